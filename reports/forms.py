from datetime import date, timedelta
from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from core.currency import CurrencyField
from core.formats import first_weekday
from reports.breaches import GROUPINGS, BreachFilters
from reports.economics import SpendCell
from reports.filters import EARLIEST, LATEST, ReportFilterForm
from reports.models import ChannelSpend
from sla.models import Step
from teams.models import Team

# Without dates, the breach report covers the 30 days up to today.
DEFAULT_PERIOD_DAYS = 30


class MonthField(forms.DateField):
    """A month as `YYYY-MM` (the browser's month picker), cleaned to its first day."""

    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    input_formats = ["%Y-%m"]

    def to_python(self, value):
        day = super().to_python(value)
        return day.replace(day=1) if day else day


class EconomicsFilterForm(ReportFilterForm):
    """Channel economics reads the date range and channel; spend has no team or campaign."""

    def offer_choices(self) -> None:
        """The currencies spend was entered in; none picked means the most used one."""
        super().offer_choices()
        currencies = (
            ChannelSpend.objects.order_by("currency").values_list("currency", flat=True).distinct()
        )
        self.offer("currency", [(code, code) for code in currencies], everything=_("Most used"))

    currency = CurrencyField(
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Most used"), "size": 4}),
    )
    converted = forms.BooleanField(
        label=_("Convert other currencies"),
        required=False,
        help_text=_("Add spend entered in other currencies, at the current exchange rates."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("team", "agreement_version", "campaign"):
            del self.fields[name]


class PipelineFilterForm(ReportFilterForm):
    """The pipeline reads opportunities opened in the date range, narrowed by their lead's team,
    channel and campaign; the team also picks the currency the totals are converted into."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["agreement_version"]

    def reporting_currency(self) -> str:
        """The chosen team's reporting currency, else the workspace's; call after is_valid()."""
        team = self.cleaned_data.get("team")
        return team.currency_for_reports if team else settings.ACCORD_REPORTING_CURRENCY


class CurrencyPairForm(forms.Form):
    """The two currencies of a rate; alone, the rate to remove."""

    currency = CurrencyField(label=_("Currency"))
    into = CurrencyField(
        label=pgettext_lazy("the currency an exchange rate converts into", "Into"),
        help_text=_("The currency the rate converts into."),
    )


class ExchangeRateForm(CurrencyPairForm):
    """One rate as a manager enters it: 1 `currency` = `rate` `into`."""

    rate = forms.DecimalField(
        label=pgettext_lazy("exchange rate", "Rate"),
        help_text=_("What one unit of the currency is worth in the other."),
        widget=forms.NumberInput(attrs={"step": "any", "min": "0", "inputmode": "decimal"}),
    )


class SpendMonthForm(forms.Form):
    """Which month and currency the spend grid shows; the view fills in what the URL omits."""

    month = MonthField(label=_("Month"))
    currency = CurrencyField()


class SpendGridForm(forms.Form):
    """One amount per channel for the month and currency in the URL; empty means no spend."""

    def __init__(self, *args, cells: list[SpendCell], **kwargs):
        initial = {self.field_name(cell.channel.pk): cell.amount for cell in cells}
        super().__init__(*args, initial=initial, **kwargs)
        self.channels = [cell.channel for cell in cells]
        for channel in self.channels:
            self.fields[self.field_name(channel.pk)] = forms.DecimalField(
                label=channel.name,
                required=False,
                min_value=Decimal(0),
                max_digits=14,
                decimal_places=2,
                widget=forms.NumberInput(
                    attrs={"step": "0.01", "min": "0", "inputmode": "decimal"}
                ),
            )

    @staticmethod
    def field_name(channel_id: int) -> str:
        return f"channel_{channel_id}"

    def rows(self):
        """(channel, bound amount field) for the grid's rows."""
        return [(channel, self[self.field_name(channel.pk)]) for channel in self.channels]

    def amounts(self) -> dict[int, Decimal | None]:
        return {
            channel.pk: self.cleaned_data.get(self.field_name(channel.pk))
            for channel in self.channels
        }


class BreachReportForm(forms.Form):
    """The report's filters, read from the query string so that a link shares the view."""

    start = forms.DateField(label=_("From"), widget=forms.DateInput({"type": "date"}))
    end = forms.DateField(label=_("To"), widget=forms.DateInput({"type": "date"}))
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.all(), required=False, empty_label=_("All teams")
    )
    step = forms.ChoiceField(
        label=_("Step"), choices=[("", _("All steps")), *Step.choices], required=False
    )
    group_by = forms.ChoiceField(label=_("Group by"), choices=list(GROUPINGS.items()))

    def __init__(self, *args, clamp: bool = False, **kwargs):
        """`clamp` (the API): an end before the start is an empty period, not an error."""
        super().__init__(*args, **kwargs)
        self.clamp = clamp

    @classmethod
    def from_query(cls, params, *, clamp: bool = False) -> "BreachReportForm":
        """Bound to the query string with the defaults filled in, so the page shows them."""
        data = params.copy()
        today = timezone.localdate()
        end = data["end"] = data.get("end") or today.isoformat()
        if not data.get("start"):
            try:
                data["start"] = (
                    date.fromisoformat(end) - timedelta(days=DEFAULT_PERIOD_DAYS)
                ).isoformat()
            except (ValueError, OverflowError):
                data["start"] = ""
        if not data.get("group_by"):
            data["group_by"] = "rep"
        return cls(data, clamp=clamp)

    def clean(self):
        data = super().clean()
        for name in ("start", "end"):
            if data.get(name) and not EARLIEST <= data[name] <= LATEST:
                self.add_error(name, _("Pick a date in a year Accord can report on."))
        if self.errors:
            return data
        if not self.clamp and data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("The end date must not be before the start date."))
        return data

    def filters(self) -> BreachFilters:
        data = self.cleaned_data
        return BreachFilters(
            start=data["start"],
            end=data["end"],
            team_id=data["team"].pk if data.get("team") else None,
            step=data.get("step") or None,
            group_by=data["group_by"],
            week_starts_on=first_weekday(get_language()),
        )
