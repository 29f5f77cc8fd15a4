from django.utils.translation import gettext_lazy as _
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


class ItemErrorSerializer(serializers.Serializer):
    path = serializers.CharField(help_text=_("e.g. `[3].occurred_at`"))
    message = serializers.CharField()


class ItemResultSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text=_("Position of the item in the request."))
    status = serializers.CharField(help_text=_("`created`, `duplicate` or `rejected`."))
    external_id = serializers.CharField(allow_null=True)
    errors = ItemErrorSerializer(many=True, required=False)


class IngestResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    duplicates = serializers.IntegerField(help_text=_("Items already stored: nothing new."))
    rejected = serializers.IntegerField()
    leads_created = serializers.IntegerField(help_text=_("Leads created for unknown emails."))
    results = ItemResultSerializer(many=True, help_text=_("One entry per item, in order."))
