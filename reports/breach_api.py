"""GET /api/v1/reports/sla/: the breach report's numbers, with the same filters as the page."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.capabilities import HasCapability
from core.api import error_responses
from core.filters import ID_SCHEMA
from reports import breaches
from reports.api import REPORT_DAY, api_form
from reports.forms import BreachReportForm
from sla.models import Step


class CountsSerializer(serializers.Serializer):
    met = serializers.IntegerField()
    breached = serializers.IntegerField()
    open = serializers.IntegerField(help_text=_("Running clocks, left out of the rates."))
    decided = serializers.IntegerField(help_text=_("Met plus breached."))
    breach_rate = serializers.FloatField(
        allow_null=True, help_text=_("Breached / decided, in percent.")
    )


class SummaryRowSerializer(CountsSerializer):
    group = serializers.CharField(
        help_text=_("Rep, team or channel id, a week's first day, or none.")
    )
    label = serializers.CharField()
    step = serializers.ChoiceField(choices=Step.choices)
    step_label = serializers.CharField()


class ResponseTimeSerializer(serializers.Serializer):
    step_label = serializers.CharField()
    count = serializers.IntegerField()
    median_minutes = serializers.FloatField(allow_null=True)
    p90_minutes = serializers.IntegerField(allow_null=True)
    distribution = serializers.ListField(
        child=serializers.IntegerField(), help_text=_("Counts per bucket, see `buckets`.")
    )


class WeekSerializer(serializers.Serializer):
    week = serializers.DateField(
        help_text=_(
            "The first day of the week: the day weeks start on in the language asked for "
            "(Accept-Language), e.g. Sunday in English, Monday in Russian."
        )
    )
    met = serializers.IntegerField()
    breached = serializers.IntegerField()
    open = serializers.IntegerField()
    breach_rate = serializers.FloatField(allow_null=True)


class BreachFiltersSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    team = serializers.IntegerField(allow_null=True, source="team_id")
    step = serializers.CharField(allow_null=True)
    group_by = serializers.CharField()


class BreachReportSerializer(serializers.Serializer):
    filters = BreachFiltersSerializer()
    totals = CountsSerializer()
    rows = SummaryRowSerializer(many=True)
    response_times = serializers.DictField(
        child=ResponseTimeSerializer(), help_text=_("By step: first touch, accept or return.")
    )
    buckets = serializers.ListField(child=serializers.CharField())
    weekly = WeekSerializer(many=True)


FILTER_PARAMETERS = [
    OpenApiParameter(
        "start",
        REPORT_DAY,
        description=_("First day (default: 30 days before `end`); after `end`: no days."),
    ),
    OpenApiParameter("end", REPORT_DAY, description=_("Last day (default: today).")),
    OpenApiParameter("team", ID_SCHEMA, description=_("Only this team; one no team has: nothing.")),
    OpenApiParameter("step", OpenApiTypes.STR, enum=Step.values, description=_("Only this step.")),
    OpenApiParameter(
        "group_by", OpenApiTypes.STR, enum=list(breaches.GROUPINGS), description=_("Default: rep.")
    ),
]


class BreachReportView(APIView):
    permission_classes = [HasCapability]
    capability = "reports.sla"

    @extend_schema(
        summary=_("SLA breach report"),
        description=_(
            "Met and breached clocks per group and step for clocks started in the period, "
            "with median and 90th-percentile business minutes to first touch and to accept "
            "or return, their distribution, and the weekly trend. Managers only."
        ),
        parameters=FILTER_PARAMETERS,
        responses={200: BreachReportSerializer, **error_responses(400, 401, 403)},
    )
    def get(self, request):
        form = api_form(BreachReportForm.from_query(request.query_params, clamp=True))
        if not form.is_valid():
            return Response(
                {field: list(errors) for field, errors in form.errors.items()}, status=400
            )
        filters = form.filters()
        body = {
            "filters": filters,
            **breaches.breach_report(filters),
            "buckets": breaches.bucket_labels(),
        }
        return Response(BreachReportSerializer(body).data)
