"""GET /api/v1/audit/: the audit trail for managers and admins, with the page's filters."""

from django.utils.translation import gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers

from accounts.capabilities import HasCapability
from audit.models import AuditEntry
from core.api import RETRY_AFTER, error_responses
from reports import audit


class AuditEntrySerializer(serializers.ModelSerializer):
    actor_name = serializers.SerializerMethodField(
        help_text=gettext_lazy("Who acted, as Accord names them; the source when nobody did.")
    )
    before = serializers.JSONField(allow_null=True)
    after = serializers.JSONField(allow_null=True)

    class Meta:
        model = AuditEntry
        fields = [
            "id", "at", "actor", "actor_name", "source", "object_type", "object_id",
            "object_label", "action", "field", "before", "after", "change_set",
        ]  # fmt: skip
        read_only_fields = fields

    def get_actor_name(self, entry) -> str:
        return audit.actor_name(entry)


class AuditListView(generics.ListAPIView):
    permission_classes = [HasCapability]
    capability = "audit.read"
    serializer_class = AuditEntrySerializer
    filterset_class = audit.AuditFilter
    filter_backends = [DjangoFilterBackend]
    queryset = audit.audit_entries()

    @extend_schema(
        summary=gettext_lazy("List the audit trail"),
        description=gettext_lazy(
            "Who changed what, newest first, a cursor page at a time: one entry per changed "
            "field (before and after), or one per event without fields (created, signed, "
            "issued, ...). Filter by actor (user id), object type and id, source and days "
            "(`date_from`, `date_to`, in the caller's time zone). Managers and admins only."
        ),
        parameters=[RETRY_AFTER],
        responses={
            200: AuditEntrySerializer(many=True),
            **error_responses(400, 401, 403, 404, 429),
        },
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
