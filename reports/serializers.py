"""The reports' JSON shapes: the same figures as the pages and the CSV downloads."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api import StrictInput
from handoff.models import ReasonKind
from leads.models import Stage
from reports.funnel import STEPS

# The API names the funnel's last step for what it is: a won deal.
API_STEP = {step: "won" if step == Stage.CUSTOMER else str(step) for step in STEPS}


class FiltersSerializer(serializers.Serializer):
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    team = serializers.IntegerField(source="team_id", allow_null=True)
    channel = serializers.IntegerField(source="channel_id", allow_null=True)
    agreement_version = serializers.IntegerField(allow_null=True)
    campaign = serializers.CharField(allow_blank=True)


class StepCountsSerializer(serializers.Serializer):
    mql = serializers.IntegerField()
    sal = serializers.IntegerField()
    sql = serializers.IntegerField()
    opportunity = serializers.IntegerField()
    won = serializers.IntegerField()


class StepRatesSerializer(serializers.Serializer):
    sal = serializers.FloatField(allow_null=True, help_text=_("Share of MQLs that reached SAL."))
    sql = serializers.FloatField(allow_null=True, help_text=_("Share of SALs that reached SQL."))
    opportunity = serializers.FloatField(allow_null=True)
    won = serializers.FloatField(allow_null=True)


class StaySecondsSerializer(serializers.Serializer):
    mql = serializers.FloatField(allow_null=True)
    sal = serializers.FloatField(allow_null=True)
    sql = serializers.FloatField(allow_null=True)
    opportunity = serializers.FloatField(allow_null=True)


class FunnelRowSerializer(serializers.Serializer):
    key = serializers.JSONField(
        help_text=_("Channel id, campaign or agreement version; null for none.")
    )
    label = serializers.CharField()
    counts = serializers.SerializerMethodField()
    conversion = serializers.SerializerMethodField()
    returned = serializers.IntegerField(help_text=_("Returns to marketing after MQL entry."))
    disqualified = serializers.IntegerField(
        help_text=_("Disqualifications (a person's decision, with a reason) after MQL entry.")
    )
    median_stay_seconds = serializers.SerializerMethodField()

    @extend_schema_field(StepCountsSerializer)
    def get_counts(self, row):
        return {API_STEP[step]: count for step, count, _rate in row.steps}

    @extend_schema_field(StepRatesSerializer)
    def get_conversion(self, row):
        return {API_STEP[step]: rate for step, _count, rate in row.steps[1:]}

    @extend_schema_field(StaySecondsSerializer)
    def get_median_stay_seconds(self, row):
        return {
            str(stage): None if duration is None else duration.total_seconds()
            for stage, duration in row.stays
        }


class FunnelSerializer(serializers.Serializer):
    filters = FiltersSerializer()
    total = FunnelRowSerializer()
    by_channel = FunnelRowSerializer(many=True)
    by_campaign = FunnelRowSerializer(many=True)
    by_agreement_version = FunnelRowSerializer(many=True)


class ReasonSerializer(serializers.Serializer):
    reason_id = serializers.IntegerField()
    kind = serializers.ChoiceField(
        choices=ReasonKind.choices, help_text=_("A return to marketing, or a disqualification.")
    )
    label = serializers.CharField()
    count = serializers.IntegerField()
    share = serializers.FloatField()


class GroupReasonSerializer(serializers.Serializer):
    reason_id = serializers.IntegerField()
    count = serializers.IntegerField()
    share = serializers.FloatField(
        help_text=_("Share of this group's returns and disqualifications.")
    )


class ReturnGroupSerializer(serializers.Serializer):
    key = serializers.JSONField(help_text=_("Channel id or agreement version; null for none."))
    label = serializers.CharField()
    count = serializers.IntegerField()
    reasons = serializers.SerializerMethodField()

    @extend_schema_field(GroupReasonSerializer(many=True))
    def get_reasons(self, group):
        return [
            {"reason_id": reason_id, "count": count, "share": group.share_of(reason_id)}
            for reason_id, count in sorted(group.by_reason.items(), key=lambda item: -item[1])
        ]


class ReturnsSerializer(serializers.Serializer):
    filters = FiltersSerializer()
    total = serializers.IntegerField(help_text=_("Returns to marketing (the funnel's returned)."))
    disqualified = serializers.IntegerField(
        help_text=_("Disqualifications (the funnel's disqualified).")
    )
    reasons = ReasonSerializer(many=True)
    by_channel = ReturnGroupSerializer(many=True)
    by_agreement_version = ReturnGroupSerializer(many=True)


class MetricsSerializer(serializers.Serializer):
    leads = serializers.IntegerField()
    mql = serializers.IntegerField()
    sal = serializers.IntegerField()
    sql = serializers.IntegerField()
    won = serializers.IntegerField()


class CostsSerializer(serializers.Serializer):
    leads = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    mql = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    sal = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    sql = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    won = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)


class RateSerializer(serializers.Serializer):
    currency = serializers.CharField()
    rate = serializers.DecimalField(max_digits=18, decimal_places=8)


def rate_list(rates) -> list:
    """Rates (currency -> rate into the report's currency) as the API lists them."""
    return RateSerializer(
        [{"currency": code, "rate": rate} for code, rate in rates.items()], many=True
    ).data


class ChannelEconomicsSerializer(serializers.Serializer):
    channel = serializers.IntegerField(source="channel_id", allow_null=True)
    label = serializers.CharField()
    spend = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    counts = MetricsSerializer()
    costs = CostsSerializer()


class EconomicsSerializer(serializers.Serializer):
    filters = FiltersSerializer()
    months = serializers.ListField(child=serializers.DateField())
    currency = serializers.CharField(
        allow_null=True, help_text=_("The currency of spend and costs; null when none entered.")
    )
    currencies = serializers.ListField(
        child=serializers.CharField(), help_text=_("Currencies spend was entered in.")
    )
    rows = ChannelEconomicsSerializer(many=True)
    total = ChannelEconomicsSerializer()
    converted = serializers.BooleanField(
        help_text=_(
            "Whether spend entered in other currencies was converted into `currency` at the "
            "current exchange rates (`rates`)."
        )
    )
    rates = serializers.SerializerMethodField()
    left_out = serializers.SerializerMethodField()

    @extend_schema_field(RateSerializer(many=True))
    def get_rates(self, report):
        return rate_list(report.rates or {})

    @extend_schema_field(
        serializers.ListField(
            child=serializers.CharField(),
            help_text=_("Currencies without a rate, left out of the converted spend."),
        )
    )
    def get_left_out(self, report):
        return report.left_out or []


# Sums keep the places their currency has (JPY none, KWD three), so no fixed decimal places.
AMOUNT = {"max_digits": None, "decimal_places": None}


class CurrencyTotalSerializer(serializers.Serializer):
    currency = serializers.CharField()
    count = serializers.IntegerField()
    amount = serializers.DecimalField(**AMOUNT)


class StageValueSerializer(serializers.Serializer):
    stage = serializers.CharField(
        help_text=_("An opportunity stage, or `open` for the open stages together.")
    )
    label = serializers.CharField()
    count = serializers.IntegerField()
    totals = CurrencyTotalSerializer(many=True, help_text=_("Per currency, as entered."))
    converted = serializers.DecimalField(
        **AMOUNT,
        allow_null=True,
        help_text=_(
            "The totals in the reporting currency at the current rates, rounded to its minor "
            "unit; null when no currency of the stage has a rate."
        ),
    )
    left_out = serializers.ListField(
        child=serializers.CharField(),
        help_text=_("Currencies without a rate, left out of `converted`."),
    )


class PipelineSerializer(serializers.Serializer):
    filters = FiltersSerializer()
    currency = serializers.CharField(
        help_text=_("The reporting currency: the team's, else the workspace's default.")
    )
    rates = serializers.SerializerMethodField()
    currencies = serializers.ListField(child=serializers.CharField())
    left_out = serializers.ListField(child=serializers.CharField())
    stages = StageValueSerializer(many=True)
    open = StageValueSerializer()

    @extend_schema_field(RateSerializer(many=True))
    def get_rates(self, report):
        return rate_list(report.rates)


class ExchangeRateSerializer(serializers.Serializer):
    """A current rate: one `currency` is worth `rate` `into`."""

    currency = serializers.CharField()
    into = serializers.CharField()
    rate = serializers.DecimalField(max_digits=18, decimal_places=8)
    updated_at = serializers.DateTimeField()


@extend_schema_field(
    {"type": "string", "format": "decimal", "pattern": r"^\d{1,10}(?:\.\d{1,8})?$"}
)
class RateField(serializers.DecimalField):
    """A rate as the schema writes it: digits, no sign (zero is the one rule left to the
    service, which refuses it on the field)."""


class ExchangeRateInputSerializer(StrictInput, serializers.Serializer):
    rate = RateField(
        max_digits=18,
        decimal_places=8,
        help_text=_(
            "How many units of `into` one unit of `currency` is worth: above 0, below "
            "10,000,000,000."
        ),
    )
