"""Pipeline value: opportunities by stage, summed per currency, and one total per stage in the
reporting currency where the current exchange rates allow.

Amounts keep their currency: the per-currency sums are exact, and the converted total is worked
out from them (each sum times its rate, all added, rounded half-even to the reporting
currency's minor unit once, at the end). A currency without a rate is left out of the converted
total and named, never guessed.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, localcontext

from babel.numbers import get_currency_precision
from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from core.databases import report_reads
from handoff.models import Opportunity, OpportunityStage
from handoff.models.opportunities import CLOSED_STAGES
from reports.filters import ReportFilters
from reports.models import ExchangeRate

STAGES = list(OpportunityStage)
OPEN_STAGES = [stage for stage in STAGES if stage not in CLOSED_STAGES]
# An amount (14 digits) times a rate (18) has up to 32 significant digits; with room for the sum.
PRECISION = 60
CENT = Decimal("0.01")


def minor_unit(currency: str) -> Decimal:
    """The smallest amount the currency writes: 0.01 USD, 1 JPY, 0.001 KWD (CLDR via babel)."""
    return Decimal(1).scaleb(-get_currency_precision(currency))


def convert(
    amounts: Mapping[str, Decimal], *, into: str, rates: Mapping[str, Decimal]
) -> tuple[Decimal | None, list[str]]:
    """The sum of `amounts` (currency -> amount) in `into`, and the currencies left out of it for
    want of a rate (sorted). `into` itself converts at 1. None when nothing could be converted
    but something was left out; zero for no amounts at all."""
    left_out = sorted(code for code in amounts if code != into and code not in rates)
    convertible = [code for code in amounts if code not in left_out]
    if left_out and not convertible:
        return None, left_out
    with localcontext(prec=PRECISION):
        total = sum(
            (amounts[code] * (1 if code == into else rates[code]) for code in convertible),
            Decimal(0),
        )
        return total.quantize(minor_unit(into), rounding=ROUND_HALF_EVEN), left_out


@dataclass(frozen=True)
class CurrencyTotal:
    currency: str
    count: int
    amount: Decimal


@dataclass(frozen=True)
class StageValue:
    """One stage (or the open stages together): per currency, and converted where possible."""

    stage: str
    label: str
    totals: list[CurrencyTotal]
    converted: Decimal | None
    left_out: list[str]

    @property
    def count(self) -> int:
        return sum(total.count for total in self.totals)

    def amount_in(self, currency: str) -> CurrencyTotal | None:
        return next((total for total in self.totals if total.currency == currency), None)


@dataclass(frozen=True)
class PipelineReport:
    filters: ReportFilters
    currency: str
    # The rates used, currency -> rate into `currency`, for the currencies the report holds.
    rates: dict[str, Decimal]
    currencies: list[str]
    stages: list[StageValue]
    open: StageValue

    @property
    def left_out(self) -> list[str]:
        """Currencies in the report without a rate into the reporting currency."""
        return sorted({code for stage in self.stages for code in stage.left_out})

    @property
    def rows(self) -> list[StageValue]:
        return [*self.stages[: len(OPEN_STAGES)], self.open, *self.stages[len(OPEN_STAGES) :]]


def stage_value(
    stage: str,
    label: str,
    rows: Iterable[tuple[str, int, Decimal]],
    *,
    into: str,
    rates: Mapping[str, Decimal],
) -> StageValue:
    """A stage from its (currency, count, amount) rows; a currency may come in several rows."""
    counts: dict[str, int] = {}
    amounts: dict[str, Decimal] = {}
    for currency, count, amount in rows:
        counts[currency] = counts.get(currency, 0) + count
        amounts[currency] = amounts.get(currency, Decimal(0)) + amount
    converted, left_out = convert(amounts, into=into, rates=rates)
    return StageValue(
        stage=stage,
        label=label,
        totals=[CurrencyTotal(code, counts[code], amounts[code]) for code in sorted(amounts)],
        converted=converted,
        left_out=left_out,
    )


def pipeline_value(
    grouped: Iterable[tuple[str, str, int, Decimal]],
    *,
    filters: ReportFilters,
    into: str,
    rates: Mapping[str, Decimal],
    open_label: str,
) -> PipelineReport:
    """The report from (stage, currency, count, amount) rows and the rates into `into`."""
    by_stage: dict[str, list[tuple[str, int, Decimal]]] = {stage: [] for stage in STAGES}
    for stage, currency, count, amount in grouped:
        by_stage[stage].append((currency, count, amount))
    stages = [
        stage_value(stage, stage.label, by_stage[stage], into=into, rates=rates) for stage in STAGES
    ]
    open_rows = [row for stage in OPEN_STAGES for row in by_stage[stage]]
    currencies = sorted({currency for rows in by_stage.values() for currency, _c, _a in rows})
    return PipelineReport(
        filters=filters,
        currency=into,
        rates={code: rates[code] for code in currencies if code in rates},
        currencies=currencies,
        stages=stages,
        open=stage_value("open", open_label, open_rows, into=into, rates=rates),
    )


@report_reads
def pipeline_report(*, filters: ReportFilters, currency: str) -> PipelineReport:
    """Opportunities opened in the date range (narrowed by the lead's team, channel and
    campaign), by stage and currency, with totals converted into `currency`.

    Two queries whatever the number of opportunities: one sum grouped by stage and currency,
    and the rates into `currency`.
    """
    opportunities = Opportunity.objects.filter(
        filters.lead_conditions(), created_at__gte=filters.start, created_at__lt=filters.end
    )
    grouped = (
        opportunities.order_by()
        .values_list("stage", "currency")
        .annotate(count=Count("id"), amount=Sum("amount"))
    )
    rates = dict(ExchangeRate.objects.filter(into=currency).values_list("currency", "rate"))
    return pipeline_value(
        # The amount field's two places on every database (SQLite's sum drops trailing zeros).
        [(stage, code, count, amount.quantize(CENT)) for stage, code, count, amount in grouped],
        filters=filters,
        into=currency,
        rates=rates,
        open_label=_("Open pipeline"),
    )
