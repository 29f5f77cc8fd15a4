"""The filters every report shares, read from the query string so a report's URL can be shared."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from handoff.models import Handoff
from leads.models import Channel, FunnelPass
from scoring.models import Agreement
from teams.models import Team

DEFAULT_DAYS = 30
# Bounds that keep the range's datetimes and months computable and the report's work bounded.
MAX_DAYS = 3 * 366
EARLIEST, LATEST = date(1970, 1, 1), date(8999, 12, 31)
# A date from EARLIEST's year to LATEST's, as the API's schema writes it.
REPORT_DATE = r"^(19[7-9][0-9]|[2-8][0-9]{3})-[0-9]{2}-[0-9]{2}$"


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


@dataclass(frozen=True)
class ReportFilters:
    """One report request: an inclusive date range plus optional narrowing."""

    date_from: date
    date_to: date
    team_id: int | None = None
    channel_id: int | None = None
    agreement_version: int | None = None
    campaign: str = ""

    @property
    def start(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.date_from, time.min))

    @property
    def end(self) -> datetime:
        """The exclusive end: midnight after `date_to`."""
        return timezone.make_aware(datetime.combine(self.date_to + timedelta(days=1), time.min))

    @property
    def months(self) -> list[date]:
        """The months the range touches: spend is monthly, so channel economics reads whole ones."""
        months, month = [], month_start(self.date_from)
        while month <= self.date_to:
            months.append(month)
            month = next_month(month)
        return months

    def lead_conditions(self) -> Q:
        """Team, channel and campaign as conditions on the `lead` of the rows filtered."""
        conditions = Q()
        if self.channel_id is not None:
            conditions &= Q(lead__channel_id=self.channel_id)
        if self.campaign:
            conditions &= Q(lead__attributes__campaign=self.campaign)
        if self.team_id is not None:
            # A lead belongs to the team that worked it in the queue.
            worked_by_team = Handoff.objects.filter(
                lead_id=OuterRef("lead_id"), team_id=self.team_id
            )
            conditions &= Q(Exists(worked_by_team))
        return conditions


class ReportFilterForm(forms.Form):
    """Parses the query string into ReportFilters; an empty query string means the last 30 days."""

    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.all(), required=False, empty_label=_("All teams")
    )
    channel = forms.ModelChoiceField(
        label=_("Channel"),
        queryset=Channel.objects.all(),
        required=False,
        empty_label=_("All channels"),
    )
    agreement_version = forms.IntegerField(
        label=_("Agreement version"), required=False, min_value=1
    )
    campaign = forms.CharField(label=_("Campaign"), required=False, max_length=200)

    def __init__(self, data=None, *, today: date | None = None, clamp: bool = False, **kwargs):
        """`clamp` (the API): an end before the start is an empty range, and a range longer
        than MAX_DAYS is cut to the MAX_DAYS ending on `date_to`, rather than errors; the
        answer's `filters` say which days it covers."""
        super().__init__(data if data is not None else {}, **kwargs)
        self.today = today or timezone.localdate()
        self.clamp = clamp

    def offer_choices(self) -> None:
        """On the page, values that exist are picked from a list, not typed: the versions ever
        published and the campaigns MQLs came in with (two queries). The API takes the same
        parameters as plain values, so it reads none of this."""
        versions = Agreement.objects.filter(published_at__isnull=False).values_list(
            "version", flat=True
        )
        self.offer(
            "agreement_version",
            [(version, _("Version %(version)d") % {"version": version}) for version in versions],
            everything=_("All versions"),
        )
        campaigns = (
            FunnelPass.objects.exclude(campaign="")
            .order_by("campaign")
            .values_list("campaign", flat=True)
            .distinct()
        )
        self.offer("campaign", [(name, name) for name in campaigns], everything=_("All campaigns"))

    def offer(self, name: str, choices: list, *, everything: str) -> None:
        """Show field `name` as a list of `choices` after an option for no narrowing. A value
        from a shared link that the list lacks is kept as an option, so the page never shows
        one filter while applying another."""
        if name not in self.fields:
            return
        asked = (self.data.get(name) or "").strip()
        if asked and asked not in {str(value) for value, _label in choices}:
            choices = [*choices, (asked, asked)]
        self.fields[name].widget = forms.Select(choices=[("", everything), *choices])

    def clean(self):
        cleaned = super().clean()
        date_to = cleaned.get("date_to") or self.today
        if not EARLIEST <= date_to <= LATEST:
            self.add_error("date_to", _("Pick a date in a year Accord can report on."))
            date_to = self.today
        date_from = cleaned.get("date_from") or max(
            EARLIEST, date_to - timedelta(days=DEFAULT_DAYS - 1)
        )
        if not EARLIEST <= date_from <= LATEST:
            self.add_error("date_from", _("Pick a date in a year Accord can report on."))
        elif date_from > date_to:
            if not self.clamp:
                self.add_error("date_to", _("The end date is before the start date."))
        elif (date_to - date_from).days >= MAX_DAYS:
            if self.clamp:
                date_from = date_to - timedelta(days=MAX_DAYS - 1)
            else:
                self.add_error("date_from", _("A report covers at most three years."))
        cleaned["date_from"], cleaned["date_to"] = date_from, date_to
        return cleaned

    @classmethod
    def default_filters(cls, *, today: date | None = None) -> ReportFilters:
        """The period a report shows when nothing is asked for: the last DEFAULT_DAYS days."""
        form = cls({}, today=today)
        form.is_valid()
        return form.filters()

    def filters(self) -> ReportFilters:
        """The parsed filters; call after is_valid()."""
        data = self.cleaned_data
        return ReportFilters(
            date_from=data["date_from"],
            date_to=data["date_to"],
            team_id=data["team"].pk if data.get("team") else None,
            channel_id=data["channel"].pk if data.get("channel") else None,
            agreement_version=data.get("agreement_version"),
            campaign=(data.get("campaign") or "").strip(),
        )
