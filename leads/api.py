"""/api/v1/leads/ and /api/v1/activities/: thin views over leads.services and leads.ingest.

Roles, as in the browser: every role reads leads; marketers, managers and admins create, upsert
and edit leads and post activities; SDRs and account executives may change a lead's work status
only. A signed-in user without a role gets 403, an anonymous caller 401.
"""

import msgspec
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    PolymorphicProxySerializer,
    extend_schema,
)
from rest_framework import generics, parsers, permissions
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.roles import EVERY_ROLE, has_role
from leads.filters import LeadFilter
from leads.ingest import MAX_BATCH, ingest_activities
from leads.models import Lead
from leads.serializers import (
    RETRY_AFTER,
    ActivityItemSerializer,
    IngestResultSerializer,
    LeadSerializer,
    LeadWriteSerializer,
    error_responses,
)
from leads.services import update_lead, upsert_lead


class JSONParser(parsers.JSONParser):
    """DRF's, answering 400 (not 500) for JSON nested past Python's recursion limit."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(_("The JSON is nested too deeply.")) from None


class HoldsARole(permissions.BasePermission):
    """Any of Accord's roles; finer rules live in the services."""

    def has_permission(self, request, view):
        return has_role(request.user, *EVERY_ROLE)


def activity_source(user) -> str:
    """Idempotency keys are scoped per API user: give each sending system its own user."""
    return f"api:{user.pk}"


class LeadListView(generics.ListAPIView):
    permission_classes = [permissions.IsAuthenticated, HoldsARole]
    parser_classes = [JSONParser]
    serializer_class = LeadSerializer
    filterset_class = LeadFilter
    queryset = Lead.objects.select_related("channel")

    @extend_schema(
        summary=gettext_lazy("List leads"),
        description=gettext_lazy("Newest first, a cursor page at a time. Every role may read."),
        parameters=[RETRY_AFTER],
        responses={200: LeadSerializer(many=True), **error_responses(400, 401, 403, 404, 429)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary=gettext_lazy("Create or update a lead by email"),
        description=gettext_lazy(
            "Upsert by email, case-insensitive: 201 when created, 200 when updated. Only the "
            "fields sent are changed; `attributes` and `social_handles` keys are merged, and "
            "the first channel is kept. The lead is rescored under the published agreement. "
            "Marketers, managers and admins only."
        ),
        request=LeadWriteSerializer,
        parameters=[RETRY_AFTER],
        responses={
            201: LeadSerializer,
            200: LeadSerializer,
            **error_responses(400, 401, 403, 413, 429),
        },
    )
    def post(self, request, *args, **kwargs):
        lead, created = upsert_lead(data=request.data, actor=request.user)
        return Response(LeadSerializer(lead).data, status=201 if created else 200)


class LeadDetailView(generics.RetrieveAPIView):
    permission_classes = [permissions.IsAuthenticated, HoldsARole]
    parser_classes = [JSONParser]
    serializer_class = LeadSerializer
    queryset = Lead.objects.select_related("channel")

    @extend_schema(
        summary=gettext_lazy("Read a lead"),
        parameters=[RETRY_AFTER],
        responses={200: LeadSerializer, **error_responses(401, 403, 404, 429)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary=gettext_lazy("Edit a lead"),
        description=gettext_lazy(
            "Changes the fields sent. Marketers, managers and admins may change any writable "
            "field; SDRs and account executives only `status`. The lead is rescored."
        ),
        request=LeadWriteSerializer(partial=True),
        parameters=[RETRY_AFTER],
        responses={200: LeadSerializer, **error_responses(400, 401, 403, 404, 413, 429)},
    )
    def patch(self, request, *args, **kwargs):
        lead = self.get_object()
        lead = update_lead(lead_id=lead.pk, data=request.data, actor=request.user)
        return Response(LeadSerializer(lead).data)


ACTIVITY_BATCH = PolymorphicProxySerializer(
    component_name="ActivityBatch",
    serializers=[ActivityItemSerializer, ActivityItemSerializer(many=True)],
    resource_type_field_name=None,
    many=False,
)


class ActivityIngestView(APIView):
    """Bodies are decoded by msgspec in leads.ingest, not by DRF parsers or serializers; the
    parser listed here only names the media type in the schema."""

    permission_classes = [permissions.IsAuthenticated, HoldsARole]
    parser_classes = [JSONParser]

    @extend_schema(
        summary=gettext_lazy("Record activities"),
        description=gettext_lazy(
            "One activity or a list of up to %(max)d. Each item is reported as created, "
            "duplicate (its `external_id` was already stored for your user) or rejected with "
            "the path of the problem, e.g. `[3].occurred_at`; good items are stored even when "
            "others are rejected, and replaying a batch stores nothing twice. `external_id` is "
            "unique per API user, so give each sending system its own user and token. The "
            "leads' last engagement is updated and they are rescored; leads that now meet the "
            "agreement become MQLs. Marketers, managers and admins only. The body is validated "
            "with msgspec for speed; the item schema below is what it accepts."
        )
        % {"max": MAX_BATCH},
        request=ACTIVITY_BATCH,
        parameters=[
            OpenApiParameter(
                "create_leads",
                OpenApiTypes.BOOL,
                description=gettext_lazy(
                    "Create a lead for an email Accord does not know (else that item is rejected)."
                ),
            ),
            RETRY_AFTER,
        ],
        responses={200: IngestResultSerializer, **error_responses(400, 401, 403, 413, 429)},
        examples=[
            OpenApiExample(
                "A batch",
                value=[
                    {
                        "external_id": "evt-1001",
                        "email": "ana@northwind.io",
                        "kind": "webinar_attended",
                        "occurred_at": "2026-03-02T15:04:05+07:00",
                        "channel": "webinar",
                        "properties": {"minutes": 42},
                    },
                    {
                        "external_id": "evt-1002",
                        "lead": 17,
                        "kind": "pricing_view",
                        "occurred_at": "2026-03-02T15:10:00Z",
                    },
                ],
                request_only=True,
            ),
            OpenApiExample(
                "The report",
                value={
                    "created": 1,
                    "duplicates": 0,
                    "rejected": 1,
                    "leads_created": 0,
                    "results": [
                        {"index": 0, "status": "created", "external_id": "evt-1001"},
                        {
                            "index": 1,
                            "status": "rejected",
                            "external_id": "evt-1002",
                            "errors": [{"path": "[1].lead", "message": "No lead has this id."}],
                        },
                    ],
                },
                response_only=True,
            ),
        ],
    )
    def post(self, request, *args, **kwargs):
        result = ingest_activities(
            payload=request.body,
            source=activity_source(request.user),
            actor=request.user,
            create_leads=_flag(request, "create_leads"),
        )
        return HttpResponse(msgspec.json.encode(result.as_dict()), content_type="application/json")


def _flag(request, name: str) -> bool:
    value = request.query_params.get(name, "false").lower()
    if value not in {"true", "false", "1", "0"}:
        raise ValidationError({name: [_("Use true or false.")]})
    return value in {"true", "1"}
