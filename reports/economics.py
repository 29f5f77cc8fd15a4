"""Channel economics: what each channel cost per lead and per stage those leads reached.

Cohort: leads created in the months the date range touches (spend is entered per month), counted
with every stage they reached at any time since. Costs are shown in one currency: by default
only the spend entered in it; asked to convert, the spend in other currencies too, at the current
exchange rates a manager entered (reports.pipeline.convert, the same rule as the pipeline value).
A currency without a rate is left out and named, never guessed; spend itself is never rewritten.
Team, campaign and agreement version do not narrow this report: spend belongs to a channel as a
whole.
"""

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.databases import report_reads
from leads.models import Channel, Lead, Stage, StageChange
from reports.filters import ReportFilters, next_month
from reports.models import ChannelSpend, ExchangeRate
from reports.pipeline import convert

# Column -> the stage a lead must have reached to count in it.
REACHED = {"mql": Stage.MQL, "sal": Stage.SAL, "sql": Stage.SQL, "won": Stage.CUSTOMER}
METRICS = ("leads", *REACHED)
# Metric -> (count heading, cost heading).
METRIC_LABELS = {
    "leads": (gettext_lazy("Leads"), gettext_lazy("Cost per lead")),
    "mql": (gettext_lazy("MQLs"), gettext_lazy("Cost per MQL")),
    "sal": (gettext_lazy("SALs"), gettext_lazy("Cost per SAL")),
    "sql": (gettext_lazy("SQLs"), gettext_lazy("Cost per SQL")),
    "won": (gettext_lazy("Won deals"), gettext_lazy("Cost per won deal")),
}
CENT = Decimal("0.01")


def cost(spend: Decimal | None, count: int) -> Decimal | None:
    if spend is None or not count:
        return None
    return (spend / count).quantize(CENT)


@dataclass(frozen=True)
class ChannelEconomics:
    channel_id: int | None
    label: str
    spend: Decimal | None
    counts: dict[str, int]

    @property
    def costs(self) -> dict[str, Decimal | None]:
        return {metric: cost(self.spend, self.counts[metric]) for metric in METRICS}

    @property
    def count_cells(self) -> list[int]:
        return [self.counts[metric] for metric in METRICS]

    @property
    def cost_cells(self) -> list[Decimal | None]:
        costs = self.costs
        return [costs[metric] for metric in METRICS]


@dataclass(frozen=True)
class EconomicsReport:
    filters: ReportFilters
    months: list[date]
    currency: str | None
    currencies: list[str]
    rows: list[ChannelEconomics]
    total: ChannelEconomics
    # Whether spend in other currencies was converted into `currency`, at `rates` (currency ->
    # rate into `currency`, for the currencies converted); `left_out`: those without a rate.
    converted: bool = False
    rates: dict[str, Decimal] | None = None
    left_out: list[str] | None = None


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _stage_counts(filters: ReportFilters, months: list[date]) -> dict:
    """Per channel id: leads created in the months and how many of them reached each stage."""
    if not months:  # an empty range
        return {}

    def reached(stage):
        return Q(Exists(StageChange.objects.filter(lead_id=OuterRef("id"), to_stage=stage)))

    leads = Lead.objects.filter(
        created_at__gte=_aware(months[0]), created_at__lt=_aware(next_month(months[-1]))
    )
    if filters.channel_id is not None:
        leads = leads.filter(channel_id=filters.channel_id)
    rows = (
        leads.order_by()
        .values("channel_id")
        .annotate(
            leads=Count("id"),
            **{column: Count("id", filter=reached(stage)) for column, stage in REACHED.items()},
        )
    )
    return {row.pop("channel_id"): row for row in rows}


def _spend(filters: ReportFilters, months: list[date]) -> dict[tuple[int, str], Decimal]:
    spend = ChannelSpend.objects.filter(month__in=months)
    if filters.channel_id is not None:
        spend = spend.filter(channel_id=filters.channel_id)
    rows = spend.order_by().values("channel_id", "currency").annotate(total=Sum("amount"))
    return {(row["channel_id"], row["currency"]): row["total"].quantize(CENT) for row in rows}


def _converted_spend(
    spend: dict[tuple[int, str], Decimal], into: str
) -> tuple[dict[int, Decimal], dict[str, Decimal], list[str]]:
    """Each channel's spend in every currency converted into `into`; the rates used and the
    currencies left out for want of one."""
    rates = dict(ExchangeRate.objects.filter(into=into).values_list("currency", "rate"))
    by_channel: dict[int, dict[str, Decimal]] = {}
    for (channel_id, code), amount in spend.items():
        by_channel.setdefault(channel_id, {})[code] = amount
    converted, left_out = {}, set()
    for channel_id, amounts in by_channel.items():
        total, missing = convert(amounts, into=into, rates=rates)
        left_out.update(missing)
        if total is not None:
            converted[channel_id] = total
    used = {code: rates[code] for _channel, code in spend if code in rates}
    return converted, used, sorted(left_out)


@report_reads
def channel_economics(
    *,
    filters: ReportFilters,
    currency: str | None = None,
    converted: bool = False,
) -> EconomicsReport:
    """`currency` picks the spend to divide; by default the one most spend was entered in, or,
    when converting, the workspace's reporting currency (spend belongs to no team, so no team's
    currency applies). `converted` adds the spend entered in other currencies at the current
    rates."""
    months = filters.months
    counts = _stage_counts(filters, months)
    spend = _spend(filters, months)
    entries_per_currency: dict[str, int] = {}
    for _channel_id, code in spend:
        entries_per_currency[code] = entries_per_currency.get(code, 0) + 1
    currencies = sorted(entries_per_currency, key=lambda code: (-entries_per_currency[code], code))
    rates = left_out = None
    if converted:
        currency = currency or settings.ACCORD_REPORTING_CURRENCY
        spend_by_channel, rates, left_out = _converted_spend(spend, currency)
    else:
        if currency not in currencies:
            currency = currencies[0] if currencies else None
        spend_by_channel = {
            channel_id: amount for (channel_id, code), amount in spend.items() if code == currency
        }
    channel_ids = set(counts) | set(spend_by_channel)
    names = dict(
        Channel.objects.filter(pk__in=[pk for pk in channel_ids if pk is not None]).values_list(
            "pk", "name"
        )
    )
    empty = dict.fromkeys(METRICS, 0)
    rows = [
        ChannelEconomics(
            channel_id=channel_id,
            label=names.get(channel_id) or _("No channel"),
            spend=spend_by_channel.get(channel_id),
            counts=counts.get(channel_id, empty),
        )
        for channel_id in channel_ids
    ]
    rows.sort(key=lambda row: (row.channel_id is None, row.label))
    spent = [row.spend for row in rows if row.spend is not None]
    total = ChannelEconomics(
        channel_id=None,
        label=_("All channels"),
        spend=sum(spent, Decimal(0)) if spent else None,
        counts={metric: sum(row.counts[metric] for row in rows) for metric in METRICS},
    )
    return EconomicsReport(
        filters=filters,
        months=months,
        currency=currency,
        currencies=currencies,
        rows=rows,
        total=total,
        converted=converted,
        rates=rates,
        left_out=left_out,
    )


@dataclass(frozen=True)
class SpendCell:
    channel: Channel
    amount: Decimal | None


def spend_grid(*, month: date, currency: str) -> list[SpendCell]:
    """Every channel with its spend for the month in `currency` (None: nothing entered)."""
    amounts = dict(
        ChannelSpend.objects.filter(month=month, currency=currency).values_list(
            "channel_id", "amount"
        )
    )
    return [
        SpendCell(channel=channel, amount=amounts.get(channel.pk))
        for channel in Channel.objects.order_by("name", "pk")
    ]


def latest_currency(default: str = "USD") -> str:
    """The currency spend was last entered in, so the grid opens where the marketer left off."""
    latest = ChannelSpend.objects.order_by("-updated_at", "-id").values_list("currency", flat=True)
    return latest.first() or default
