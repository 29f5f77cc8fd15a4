"""The API's lead and activity shapes. Field names are a published contract: change with care.

Lead input is validated by leads.services (the CSV import and form capture share it); these
serializers shape the output and describe the input in the OpenAPI schema.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api import JSONObject, StrictInput
from leads.countries import country_name
from leads.models import Channel, Lead
from leads.services import MAX_COMPANY_SIZE, TEXT_FIELDS


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
    display_name = serializers.CharField(
        source="full_name",
        read_only=True,
        help_text=_(
            "The name as its script writes it: family name first without a space in Chinese "
            "(王伟), given, middle (patronymic) and family name elsewhere."
        ),
    )
    country = serializers.CharField(
        read_only=True, help_text=_("ISO 3166 alpha-2 code, e.g. TH; empty when unknown.")
    )
    country_name = serializers.SerializerMethodField(
        help_text=_("The country's name in the language of the request.")
    )

    class Meta:
        model = Lead
        fields = [
            "id",
            "email",
            "display_name",
            "first_name",
            "middle_name",
            "last_name",
            "title",
            "organization",
            "phone",
            "company_size",
            "company_size_max",
            "industry",
            "country",
            "country_name",
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
            "do_not_contact",
            "erased_at",
        ]
        read_only_fields = [
            "id", "stage", "owner", "score", "created_at", "updated_at", "do_not_contact",
            "erased_at",
        ]  # fmt: skip
        extra_kwargs = {
            "do_not_contact": {
                "help_text": _(
                    "Every contact scope withdrawn (an unsubscribe): nobody may contact the lead."
                )
            },
            "erased_at": {
                "help_text": _("When the person's data was erased; null while it is held.")
            },
        }

    @extend_schema_field(ExplanationSerializer(allow_null=True))
    def get_explanation(self, lead: Lead) -> dict | None:
        return explanation_of(lead)

    def get_country_name(self, lead: Lead) -> str:
        return country_name(lead.country.code) if lead.country else ""


class LeadWriteSerializer(StrictInput, serializers.ModelSerializer):
    """Lead input as JSON: the schema, and the check of JSON types and sizes a request passes
    before leads.services.clean_lead_data cleans it as it cleans every source's leads.

    Text is measured as sent (not trimmed), as the schema's maxLength counts it; null clears a
    text field, as the service reads it.
    """

    channel = serializers.CharField(
        allow_null=True,
        allow_blank=True,
        required=False,
        trim_whitespace=False,
        max_length=Channel._meta.get_field("slug").max_length,
        help_text=_(
            "Channel slug; blank or null for none; one no channel has answers 404. On an upsert "
            "it is set only if the lead has none yet."
        ),
    )
    company_size = serializers.IntegerField(
        allow_null=True, required=False, min_value=0, max_value=MAX_COMPANY_SIZE
    )
    company_size_max = serializers.IntegerField(
        allow_null=True,
        required=False,
        min_value=0,
        max_value=MAX_COMPANY_SIZE,
        help_text=_(
            "The upper end when the size is a range (51 to 200), given with company_size; "
            "2147483647 for an open range (10,000+); omitted or null when company_size is exact."
        ),
    )
    attributes = JSONObject(
        required=False,
        allow_null=True,
        help_text=_("Extra fields; an upsert merges keys, PATCH replaces."),
    )
    social_handles = serializers.DictField(
        child=serializers.CharField(allow_blank=True, trim_whitespace=False),
        required=False,
        allow_null=True,
        help_text=_('e.g. {"linkedin": "…"}'),
    )
    country = serializers.CharField(
        required=False,
        allow_blank=True,
        allow_null=True,
        help_text=_(
            "ISO 3166 code (TH, THA) or the country's name in English, Thai, Chinese, Russian "
            "or Arabic; stored as the alpha-2 code."
        ),
    )

    class Meta:
        model = Lead
        fields = [
            "email",
            "first_name",
            "middle_name",
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
            "email": {
                "help_text": _(
                    "Matched case-insensitively: the upsert key. On an edit, an email another "
                    "lead has answers 409."
                ),
                "trim_whitespace": False,
            },
            "status": {"help_text": _("Work status; the only field sales roles may change.")},
            # The text fields the service cleans: null clears one, as leads.services reads it.
            **{name: {"allow_null": True, "trim_whitespace": False} for name in TEXT_FIELDS},
        }
