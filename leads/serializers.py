"""The API's lead and activity shapes. Field names are a published contract: change with care.

Lead input is validated by leads.services (the CSV import and form capture share it); these
serializers shape the output and describe the input in the OpenAPI schema.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema_field
from rest_framework import serializers

from leads.models import Lead


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text=_("What went wrong, in the user's language."))


ERROR_DESCRIPTIONS = {
    400: _("Bad input: messages by field name, or `detail`."),
    401: _("No or invalid credentials: send `Authorization: Token <key>` or a session."),
    403: _("Your role may not do this."),
    404: _("No such object (on a list: the cursor is not one this server gave)."),
    409: _("Someone else changed it first."),
    413: _("The body is larger than this server accepts."),
    429: _("Too many requests: wait for the seconds in the Retry-After header."),
}
RETRY_AFTER = OpenApiParameter(
    "Retry-After",
    OpenApiTypes.INT,
    OpenApiParameter.HEADER,
    response=[429],
    description=_("Seconds to wait before trying again."),
)


def error_responses(*codes: int) -> dict[int, OpenApiResponse]:
    """Documented error answers for extend_schema(responses=...); 400 may carry field errors."""
    return {
        code: OpenApiResponse(
            OpenApiTypes.OBJECT if code == 400 else ErrorSerializer,
            description=ERROR_DESCRIPTIONS[code],
        )
        for code in codes
    }


class ExplanationLineSerializer(serializers.Serializer):
    rule = serializers.CharField(help_text=_("The agreement's rule, in plain words."))
    points = serializers.IntegerField()


class ExplanationSerializer(serializers.Serializer):
    qualifies = serializers.BooleanField(help_text=_("Whether the lead meets the agreement."))
    lines = ExplanationLineSerializer(
        many=True, help_text=_("Points earned or lost, rule by rule.")
    )
    gates_unmet = serializers.ListField(
        child=serializers.CharField(), help_text=_("Required profile rules the lead misses.")
    )
    negatives = serializers.ListField(
        child=serializers.CharField(), help_text=_("Negatives the lead hit.")
    )


def explanation_of(lead: Lead) -> dict | None:
    """Lead.score_explanation (as the scoring engine stores it) in the API's plain words."""
    stored = lead.score_explanation
    if not stored:
        return None
    return {
        "qualifies": bool(stored.get("qualifies")),
        "lines": [
            {"rule": line["rule"], "points": line["points"]} for line in stored.get("lines", [])
        ],
        "gates_unmet": [gate["rule"] for gate in stored.get("gates_unmet", [])],
        "negatives": [negative["rule"] for negative in stored.get("negatives", [])],
    }


class LeadSerializer(serializers.ModelSerializer):
    """A lead. `stage`, `owner` and the score are read-only: stages move through the lifecycle
    and queue endpoints, owners through assignment, scores through the agreement."""

    channel = serializers.SlugRelatedField(
        slug_field="slug",
        read_only=True,
        allow_null=True,
        help_text=_("Slug of the channel the lead first came in by; kept by later upserts."),
    )
    agreement_version = serializers.IntegerField(
        source="score_agreement_version",
        read_only=True,
        allow_null=True,
        help_text=_("Version of the MQL agreement the score was computed under."),
    )
    explanation = serializers.SerializerMethodField(
        help_text=_("Why the lead is or is not an MQL; null until it has been scored.")
    )

    class Meta:
        model = Lead
        fields = [
            "id",
            "email",
            "first_name",
            "last_name",
            "title",
            "organization",
            "phone",
            "company_size",
            "company_size_max",
            "industry",
            "country",
            "city",
            "channel",
            "stage",
            "status",
            "owner",
            "score",
            "agreement_version",
            "explanation",
            "created_at",
            "updated_at",
            "attributes",
            "social_handles",
            "source_detail",
        ]
        read_only_fields = ["id", "stage", "owner", "score", "created_at", "updated_at"]

    @extend_schema_field(ExplanationSerializer(allow_null=True))
    def get_explanation(self, lead: Lead) -> dict | None:
        return explanation_of(lead)


class LeadWriteSerializer(serializers.ModelSerializer):
    """Describes lead input for the schema; leads.services.clean_lead_data validates it."""

    channel = serializers.SlugField(
        allow_null=True,
        required=False,
        help_text=_("Channel slug. On an upsert it is set only if the lead has none yet."),
    )
    attributes = serializers.DictField(
        required=False, help_text=_("Extra fields; an upsert merges keys, PATCH replaces.")
    )
    social_handles = serializers.DictField(
        child=serializers.CharField(), required=False, help_text=_('e.g. {"linkedin": "…"}')
    )

    class Meta:
        model = Lead
        fields = [
            "email",
            "first_name",
            "last_name",
            "title",
            "organization",
            "phone",
            "company_size",
            "company_size_max",
            "industry",
            "country",
            "city",
            "channel",
            "status",
            "attributes",
            "social_handles",
            "source_detail",
        ]
        extra_kwargs = {
            "email": {"help_text": _("Matched case-insensitively: the upsert key.")},
            "status": {"help_text": _("Work status; the only field sales roles may change.")},
            "company_size_max": {
                "help_text": _(
                    "The upper end when the size is a range (51 to 200), given with "
                    "company_size; 2147483647 for an open range (10,000+); omitted or null "
                    "when company_size is exact."
                )
            },
        }
