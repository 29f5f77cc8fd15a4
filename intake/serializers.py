from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerExtension
from rest_framework import serializers

from leads.models import ActivityKind


class ActivityItemSerializer(serializers.Serializer):
    """Describes one activity for the schema; intake.ingest decodes it with msgspec."""

    external_id = serializers.CharField(
        min_length=1,
        max_length=200,
        help_text=_("Your id for the event: the idempotency key, unique per sending user."),
    )
    lead = serializers.IntegerField(
        required=False, min_value=1, help_text=_("The lead's id. Give this or `email`.")
    )
    email = serializers.CharField(
        required=False, max_length=254, help_text=_("The lead's email. Give this or `lead`.")
    )
    kind = serializers.ChoiceField(choices=ActivityKind.choices)
    occurred_at = serializers.DateTimeField(help_text=_("ISO 8601 with a time zone offset."))
    channel = serializers.SlugField(required=False, allow_null=True, max_length=100)
    properties = serializers.DictField(
        required=False, help_text=_("Anything the agreement's action conditions read.")
    )


class ActivityBatchSerializer(serializers.Serializer):
    """The body of POST /api/v1/activities/, for the schema only (intake.ingest decodes it)."""

    def __init__(self, *args, max_items: int, **kwargs):
        self.max_items = max_items
        super().__init__(*args, **kwargs)


class ActivityBatchSchema(OpenApiSerializerExtension):
    """One activity or a list of them, where each item is judged on its own: an item that is not
    an ActivityItem is reported rejected with the path of its problem and the others are
    stored. So the body may hold any object, or a list of anything, up to the batch size."""

    target_class = ActivityBatchSerializer

    def map_serializer(self, auto_schema, direction):
        item = auto_schema.resolve_serializer(ActivityItemSerializer, direction).ref
        return {
            "anyOf": [
                item,
                {"type": "object"},
                {
                    "type": "array",
                    "maxItems": self.target.max_items,
                    "items": {"anyOf": [item, {}]},
                },
            ]
        }


class ItemErrorSerializer(serializers.Serializer):
    path = serializers.CharField(help_text=_("e.g. `[3].occurred_at`"))
    message = serializers.CharField()


class ItemResultSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text=_("Position of the item in the request."))
    status = serializers.CharField(
        help_text=_(
            "`created`, `duplicate`, `rejected`, or `suppressed` (the lead was erased or its "
            "address unsubscribed: nothing stored)."
        )
    )
    external_id = serializers.CharField(allow_null=True)
    errors = ItemErrorSerializer(many=True, required=False)


class IngestResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    duplicates = serializers.IntegerField(help_text=_("Items already stored: nothing new."))
    rejected = serializers.IntegerField()
    suppressed = serializers.IntegerField(
        help_text=_("Items about an erased lead or an unsubscribed address: nothing stored.")
    )
    leads_created = serializers.IntegerField(help_text=_("Leads created for unknown emails."))
    results = ItemResultSerializer(many=True, help_text=_("One entry per item, in order."))
