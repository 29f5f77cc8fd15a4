from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api import StrictInput
from leads.models import Consent, ConsentScope
from privacy.models import Erasure


class EraseSerializer(StrictInput, serializers.Serializer):
    reason = serializers.CharField(
        max_length=1000,
        help_text=_("Why the lead is erased, e.g. the request's ticket; do not name the person."),
    )


class ErasureSerializer(serializers.ModelSerializer):
    erased_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    counts = serializers.DictField(
        child=serializers.IntegerField(), help_text=_("What was removed, by kind of record.")
    )

    class Meta:
        model = Erasure
        fields = ["lead", "erased_by", "erased_at", "reason", "counts"]


class ConsentSerializer(serializers.ModelSerializer):
    recorded_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = Consent
        fields = ["scope", "granted", "source", "recorded_at", "recorded_by"]


class ConsentChangeSerializer(StrictInput, serializers.Serializer):
    scopes = serializers.ListField(
        child=serializers.ChoiceField(choices=ConsentScope.choices),
        min_length=1,
        max_length=len(ConsentScope.values),
        help_text=_("The scopes this changes; all of them withdrawn is an unsubscribe."),
    )
    granted = serializers.BooleanField(help_text=_("Granted (true) or withdrawn (false)."))


class ScopeStateSerializer(serializers.Serializer):
    scope = serializers.ChoiceField(choices=ConsentScope.choices)
    granted = serializers.BooleanField(
        allow_null=True, help_text=_("The latest record's answer; null: never asked.")
    )
    since = serializers.DateTimeField(allow_null=True)


class ConsentStateSerializer(serializers.Serializer):
    do_not_contact = serializers.BooleanField(
        help_text=_("Every scope withdrawn: the address is on the suppression list.")
    )
    current = ScopeStateSerializer(many=True)
    history = ConsentSerializer(many=True, help_text=_("Newest first."))
