"""/api/v1/reports/: the funnel, returns and channel economics as JSON.

The same filters as the pages, parsed by the same form, answered by the same selectors. Managers
and marketers only: another role gets 403, an anonymous caller 401.
"""

from django import forms
from django.http import Http404
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.capabilities import HasCapability
from core.api import RETRY_AFTER, error_responses
from core.currency import CURRENCY_PATTERN
from core.filters import ID_SCHEMA, AnyRowChoiceField
from reports.economics import channel_economics
from reports.filters import REPORT_DATE, ReportFilterForm
from reports.forms import EconomicsFilterForm, PipelineFilterForm
from reports.models import ExchangeRate
from reports.pipeline import pipeline_report
from reports.selectors import funnel_report, returns_report
from reports.serializers import (
    EconomicsSerializer,
    ExchangeRateInputSerializer,
    ExchangeRateSerializer,
    FunnelSerializer,
    PipelineSerializer,
    ReturnsSerializer,
)
from reports.services import exchange_rate_remove, exchange_rate_set


def _query(name, kind, description):
    return OpenApiParameter(name, kind, OpenApiParameter.QUERY, description=description)


# A day in the years a report can cover (reports.filters: EARLIEST to LATEST).
REPORT_DAY = {"type": "string", "format": "date", "pattern": REPORT_DATE}
DATE_RANGE = [
    _query(
        "date_from",
        REPORT_DAY,
        gettext_lazy(
            "First day; default 29 days before `date_to`. A range longer than three years "
            "is cut to the three years ending on `date_to`; after `date_to`, the range is "
            "empty. The answer's `filters` give the days covered."
        ),
    ),
    _query("date_to", REPORT_DAY, gettext_lazy("Last day, inclusive; default today.")),
    _query("channel", ID_SCHEMA, gettext_lazy("Channel id; one no channel has: nothing.")),
]
CAMPAIGN = _query(
    "campaign",
    {"type": "string", "maxLength": 200},
    gettext_lazy("The lead's campaign attribute."),
)
COHORT = [
    _query(
        "team",
        ID_SCHEMA,
        gettext_lazy("Team id: leads a team worked in the queue; one no team has: nothing."),
    ),
    _query(
        "agreement_version",
        {"type": "integer", "minimum": 1},
        gettext_lazy("Version of the MQL move."),
    ),
    CAMPAIGN,
]
PIPELINE_TEAM = _query(
    "team",
    ID_SCHEMA,
    gettext_lazy(
        "Team id: opportunities on leads the team worked in the queue, converted into the "
        "team's reporting currency; one no team has: nothing."
    ),
)
CURRENCY = _query(
    "currency",
    {"type": "string", "pattern": CURRENCY_PATTERN},
    gettext_lazy("ISO code; default the most used one."),
)
CONVERTED = _query(
    "converted",
    {"type": "boolean"},
    gettext_lazy(
        "Add spend entered in other currencies, converted at the current exchange rates into "
        "`currency` (default: the workspace's reporting currency)."
    ),
)
COHORT_DESCRIPTION = gettext_lazy(
    "Cohort: leads that entered MQL in the date range; a later step counts if the lead reached "
    "it at any time after."
)


def api_form(form):
    """The page's filter form, read as the API's schema writes the parameters: a team or channel
    id that names none narrows to nothing (an empty report), like the lists' filters
    (core.filters), a currency is its code as written and a boolean is `true` or `false`; the
    page keeps its choice of real rows, reads "eur" as EUR and a ticked box as true."""
    for name in ("team", "channel"):
        if name in form.fields:
            form.fields[name] = AnyRowChoiceField(
                queryset=form.fields[name].queryset, required=False
            )
    if "currency" in form.fields:
        form.fields["currency"] = forms.RegexField(CURRENCY_PATTERN, strip=False, required=False)
    if "converted" in form.fields:
        form.fields["converted"] = forms.TypedChoiceField(
            choices=[("true", "true"), ("false", "false")],
            coerce=lambda value: value == "true",
            empty_value=False,
            required=False,
        )
    return form


class ReportAPIView(APIView):
    permission_classes = [HasCapability]
    capability = "reports.view"
    form_class = ReportFilterForm

    def filter_form(self, request):
        form = api_form(self.form_class(request.query_params, clamp=True))
        if not form.is_valid():
            raise ValidationError({field: list(errors) for field, errors in form.errors.items()})
        return form


class FunnelAPIView(ReportAPIView):
    @extend_schema(
        summary=gettext_lazy("Funnel report"),
        description=COHORT_DESCRIPTION,
        parameters=[*DATE_RANGE, *COHORT, RETRY_AFTER],
        responses={200: FunnelSerializer, **error_responses(400, 401, 403, 429)},
    )
    def get(self, request):
        report = funnel_report(filters=self.filter_form(request).filters())
        return Response(FunnelSerializer(report).data)


class ReturnsAPIView(ReportAPIView):
    @extend_schema(
        summary=gettext_lazy("Return reasons report"),
        description=gettext_lazy(
            "Returns and disqualifications of the funnel's cohort after MQL entry, by reason, "
            "channel and agreement version; `total` (returns) equals the funnel's `returned`, "
            "`disqualified` its `disqualified`."
        ),
        parameters=[*DATE_RANGE, *COHORT, RETRY_AFTER],
        responses={200: ReturnsSerializer, **error_responses(400, 401, 403, 429)},
    )
    def get(self, request):
        report = returns_report(filters=self.filter_form(request).filters())
        return Response(ReturnsSerializer(report).data)


class ChannelEconomicsAPIView(ReportAPIView):
    form_class = EconomicsFilterForm

    @extend_schema(
        summary=gettext_lazy("Channel economics report"),
        description=gettext_lazy(
            "Leads created in the months the date range touches, the stages they reached, and "
            "the cost of each per channel in one currency."
        ),
        parameters=[*DATE_RANGE, CURRENCY, CONVERTED, RETRY_AFTER],
        responses={200: EconomicsSerializer, **error_responses(400, 401, 403, 429)},
    )
    def get(self, request):
        form = self.filter_form(request)
        report = channel_economics(
            filters=form.filters(),
            currency=form.cleaned_data["currency"],
            converted=form.cleaned_data["converted"],
        )
        return Response(EconomicsSerializer(report).data)


class PipelineAPIView(ReportAPIView):
    form_class = PipelineFilterForm

    @extend_schema(
        summary=gettext_lazy("Pipeline value report"),
        description=gettext_lazy(
            "Opportunities opened in the date range, by stage: per currency the count and the "
            "sum of amounts, and one total per stage converted into the reporting currency (the "
            "team's, else the workspace's) at the current exchange rates. A currency without a "
            "rate is left out of the converted total and listed in `left_out`."
        ),
        parameters=[*DATE_RANGE, PIPELINE_TEAM, CAMPAIGN, RETRY_AFTER],
        responses={200: PipelineSerializer, **error_responses(400, 401, 403, 429)},
    )
    def get(self, request):
        form = self.filter_form(request)
        report = pipeline_report(filters=form.filters(), currency=form.reporting_currency())
        return Response(PipelineSerializer(report).data)


PAIR = [
    OpenApiParameter(
        name,
        {"type": "string", "pattern": CURRENCY_PATTERN},
        OpenApiParameter.PATH,
        description=description,
    )
    for name, description in (
        ("currency", gettext_lazy("The currency converted, as an ISO 4217 code.")),
        ("into", gettext_lazy("The currency it converts into; not `currency` itself.")),
    )
]


class ExchangeRateListView(APIView):
    """The current exchange rates, for whoever reads the reports they convert amounts in."""

    permission_classes = [HasCapability]
    capability = "reports.view"

    @extend_schema(
        summary=gettext_lazy("Current exchange rates"),
        parameters=[RETRY_AFTER],
        responses={200: ExchangeRateSerializer(many=True), **error_responses(401, 403, 429)},
    )
    def get(self, request):
        return Response(ExchangeRateSerializer(ExchangeRate.objects.all(), many=True).data)


class ExchangeRateView(APIView):
    """One pair's rate: PUT enters it (replacing the one before), DELETE removes it. Managers
    only (reports.exchange_rates), as on the exchange rates page."""

    permission_classes = [HasCapability]
    capability = "reports.exchange_rates"

    @extend_schema(
        summary=gettext_lazy("Enter an exchange rate"),
        parameters=PAIR,
        request=ExchangeRateInputSerializer,
        responses={200: ExchangeRateSerializer, **error_responses(400, 401, 403, 404, 429)},
    )
    def put(self, request, currency, into):
        data = ExchangeRateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        saved = exchange_rate_set(
            user=request.user, currency=currency, into=into, rate=data.validated_data["rate"]
        )
        saved.refresh_from_db()
        return Response(ExchangeRateSerializer(saved).data)

    @extend_schema(
        summary=gettext_lazy("Remove an exchange rate"),
        parameters=PAIR,
        responses={204: None, **error_responses(401, 403, 404, 429)},
    )
    def delete(self, request, currency, into):
        if not exchange_rate_remove(user=request.user, currency=currency, into=into):
            raise Http404
        return Response(status=status.HTTP_204_NO_CONTENT)
