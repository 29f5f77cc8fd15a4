from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from core.zones import zone_names
from leads.models import ChannelKind
from sla.business_time import BusinessCalendar
from sla.calendars import (
    DEFAULT_HOURS,
    WEEKDAYS,
    build_calendar,
    format_spans,
    parse_spans,
)
from sla.models import ExceptionKind, SlaPolicy, TeamCalendar


class SlaPolicyForm(forms.ModelForm):
    class Meta:
        model = SlaPolicy
        fields = [
            "name",
            "step",
            "target_minutes",
            "counting",
            "at_risk_percent",
            "channel",
            "channel_kind",
            "min_score",
            "team",
            "requires_request",
            "priority",
            "notify_manager",
            "return_to_pool",
            "is_active",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].empty_label = _("Any channel")
        self.fields["team"].empty_label = _("Any team")
        self.fields["channel_kind"].choices = [("", _("Any kind")), *ChannelKind.choices]

    def clean_at_risk_percent(self):
        share = self.cleaned_data["at_risk_percent"]
        if not 1 <= share <= 99:
            raise forms.ValidationError(_("Choose a share between 1 and 99 percent."))
        return share

    def clean_target_minutes(self):
        minutes = self.cleaned_data["target_minutes"]
        if minutes < 1:
            raise forms.ValidationError(_("A target is at least one minute."))
        return minutes


class TeamCalendarForm(forms.Form):
    """A team's business hours as people write them: '09:00-12:00, 13:00-17:00' per weekday."""

    time_zone = forms.ChoiceField(label=_("Time zone"))
    holiday_country = forms.CharField(
        label=_("Public holidays of (country code)"),
        max_length=3,
        required=False,
        help_text=_("e.g. TH, DE, US; empty for none."),
    )
    holiday_subdiv = forms.CharField(
        label=_("Subdivision"), max_length=10, required=False, help_text=_("e.g. BY for Bavaria")
    )
    closed_dates = forms.CharField(
        label=_("Extra closed dates"),
        required=False,
        widget=forms.Textarea({"rows": 4}),
        help_text=_("One per line: 2026-12-24 Company day off"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = [(zone, zone) for zone in zone_names()]
        for weekday, name in enumerate(WEEKDAYS):
            self.fields[f"day_{weekday}"] = forms.CharField(
                label=name,
                required=False,
                help_text=_("e.g. 09:00-12:00, 13:00-17:00; empty when closed"),
            )

    @classmethod
    def initial_for(cls, calendar: TeamCalendar | None, default_zone: str) -> dict:
        if calendar is None:
            hours = DEFAULT_HOURS
            initial = {"time_zone": default_zone}
            closed = []
        else:
            hours = {}
            for span in calendar.spans.all():
                hours.setdefault(span.weekday, []).append((span.opens, span.closes))
            initial = {
                "time_zone": calendar.time_zone,
                "holiday_country": calendar.holiday_country,
                "holiday_subdiv": calendar.holiday_subdiv,
            }
            closed = [
                f"{row.date.isoformat()} {row.note}".strip() for row in calendar.closed_dates.all()
            ]
        for weekday in range(7):
            initial[f"day_{weekday}"] = format_spans(hours.get(weekday, ()))
        initial["closed_dates"] = "\n".join(closed)
        return initial

    def weekday_fields(self):
        return [self[f"day_{weekday}"] for weekday in range(7)]

    def clean_holiday_country(self):
        return self.cleaned_data["holiday_country"].strip().upper()

    def clean_holiday_subdiv(self):
        return self.cleaned_data["holiday_subdiv"].strip().upper()

    def clean_closed_dates(self):
        closed = {}
        for number, line in enumerate(self.cleaned_data["closed_dates"].splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            day, _sep, note = line.partition(" ")
            try:
                closed[date.fromisoformat(day)] = note.strip()[:200]
            except ValueError:
                raise forms.ValidationError(
                    _("Line %(number)d: write the date as YYYY-MM-DD.") % {"number": number}
                ) from None
        return closed

    def clean(self):
        data = super().clean()
        hours = {}
        for weekday in range(7):
            name = f"day_{weekday}"
            try:
                hours[weekday] = parse_spans(data.get(name, ""))
                BusinessCalendar.from_hours("UTC", {weekday: hours[weekday]})
            except ValueError:
                self.add_error(
                    name,
                    _("Write hours as 09:00-17:00, separated by commas, without overlaps."),
                )
        if self.errors:
            return data
        if not any(hours.values()):
            self.add_error(None, _("Open at least one weekday, or clocks would never run."))
            return data
        row = TeamCalendar(
            time_zone=data["time_zone"],
            holiday_country=data["holiday_country"],
            holiday_subdiv=data["holiday_subdiv"],
        )
        try:
            build_calendar(row, hours, data["closed_dates"])
        except ValueError:
            self.add_error(
                "holiday_country",
                _("The holidays package knows no such country or subdivision."),
            )
        data["hours"] = hours
        return data


class CalendarExceptionForm(forms.Form):
    """An extra working day or a range of reduced hours, as a manager adds it."""

    kind = forms.ChoiceField(label=_("Kind"), choices=ExceptionKind.choices)
    first_day = forms.DateField(
        label=_("Date (first day)"), widget=forms.DateInput({"type": "date"})
    )
    last_day = forms.DateField(
        label=_("Last day"),
        required=False,
        widget=forms.DateInput({"type": "date"}),
        help_text=_("Reduced hours only; empty for one day."),
    )
    hours = forms.CharField(
        label=_("Hours"),
        required=False,
        help_text=_("e.g. 09:00-14:00. A working day left empty has the team's normal hours."),
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def clean_hours(self):
        try:
            spans = parse_spans(self.cleaned_data["hours"])
            BusinessCalendar.from_hours("UTC", {0: spans})
        except ValueError:
            raise forms.ValidationError(
                _("Write hours as 09:00-17:00, separated by commas, without overlaps.")
            ) from None
        return spans
