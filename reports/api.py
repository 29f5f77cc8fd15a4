"""/api/v1/reports/: the funnel, returns and channel economics as JSON.

The same filters as the pages, parsed by the same form, answered by the same selectors. Managers
and marketers only: another role gets 403, an anonymous caller 401.
"""

from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.capabilities import HasCapability
from core.api import RETRY_AFTER, error_responses
from reports.economics import channel_economics
from reports.filters import ReportFilterForm
from reports.forms import EconomicsFilterForm
from reports.selectors import funnel_report, returns_report
from reports.serializers import EconomicsSerializer, FunnelSerializer, ReturnsSerializer


def _query(name, kind, description):
    return OpenApiParameter(name, kind, OpenApiParameter.QUERY, description=description)


DATE_RANGE = [
    _query("date_from", OpenApiTypes.DATE, gettext_lazy("First day; default 29 days before.")),
    _query("date_to", OpenApiTypes.DATE, gettext_lazy("Last day, inclusive; default today.")),
    _query("channel", OpenApiTypes.INT, gettext_lazy("Channel id.")),
]
COHORT = [
    _query("team", OpenApiTypes.INT, gettext_lazy("Team id: leads a team worked in the queue.")),
    _query("agreement_version", OpenApiTypes.INT, gettext_lazy("Version of the MQL move.")),
    _query("campaign", OpenApiTypes.STR, gettext_lazy("The lead's campaign attribute.")),
]
CURRENCY = _query(
    "currency", OpenApiTypes.STR, gettext_lazy("ISO code; default the most used one.")
)
COHORT_DESCRIPTION = gettext_lazy(
    "Cohort: leads that entered MQL in the date range; a later step counts if the lead reached "
    "it at any time after."
)


class ReportAPIView(APIView):
    permission_classes = [HasCapability]
    capability = "reports.view"
    form_class = ReportFilterForm

    def filter_form(self, request):
        form = self.form_class(request.query_params)
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
        parameters=[*DATE_RANGE, CURRENCY, RETRY_AFTER],
        responses={200: EconomicsSerializer, **error_responses(400, 401, 403, 429)},
    )
    def get(self, request):
        form = self.filter_form(request)
        report = channel_economics(filters=form.filters(), currency=form.cleaned_data["currency"])
        return Response(EconomicsSerializer(report).data)
