"""/api/v1/activities/: activity ingestion, a thin view over intake.ingest.

Marketers, managers and admins post activities; other roles get 403, an anonymous caller 401.
"""

import msgspec
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.views import APIView

from accounts.capabilities import HasCapability
from core.api import RETRY_AFTER, error_responses
from intake.ingest import MAX_BATCH, ingest_activities
from intake.serializers import ActivityBatchSerializer, IngestResultSerializer


def activity_source(user) -> str:
    """Idempotency keys are scoped per API user: give each sending system its own user."""
    return f"api:{user.pk}"


class BodyRequired(AutoSchema):
    """The body is an activity or a list of them; a request without one is refused (400)."""

    def _get_request_body(self, direction="request"):
        body = super()._get_request_body(direction)
        body["required"] = True
        return body


class ActivityIngestView(APIView):
    """Bodies are decoded by msgspec in intake.ingest, not by DRF parsers or serializers."""

    permission_classes = [HasCapability]
    capability = "intake.post_activities"
    schema = BodyRequired()

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
            "with msgspec for speed; ActivityItem is the schema of an item that is stored."
        )
        % {"max": MAX_BATCH},
        request=ActivityBatchSerializer(max_items=MAX_BATCH),
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
    value = (request.query_params.get(name) or "false").lower()
    if value not in {"true", "false", "1", "0"}:
        raise ValidationError({name: [_("Use true or false.")]})
    return value in {"true", "1"}
