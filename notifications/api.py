"""/api/v1/notifications/: a person's own notifications, newest first, each worded when it is
read: in the language the request asks for (Accept-Language), else the recipient's own."""

from django.utils import translation
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers

from accounts.capabilities import HasCapability
from accounts.preferences import language_of
from core.api import CursorPagination, error_responses
from notifications.models import Notification
from notifications.wording import word


class NotificationSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    text = serializers.SerializerMethodField(
        help_text=gettext_lazy("Worded now, in the language of the request.")
    )

    class Meta:
        model = Notification
        fields = ["id", "kind", "kind_label", "text", "params", "url", "created_at", "read_at"]
        read_only_fields = fields

    def get_text(self, notification) -> str:
        return word(notification.kind, notification.params)


class Newest(CursorPagination):
    ordering = ("-created_at", "-id")


@extend_schema(tags=["notifications"])
class NotificationListView(generics.ListAPIView):
    permission_classes = [HasCapability]
    capability = "notifications.view"
    serializer_class = NotificationSerializer
    pagination_class = Newest

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return Notification.objects.none()
        return Notification.objects.filter(user=self.request.user)

    @extend_schema(
        summary=gettext_lazy("Your notifications"),
        description=gettext_lazy(
            "Newest first. `text` is worded in the language of Accept-Language, else in the "
            "language of your profile; `kind` and `params` are what it is worded from."
        ),
        responses={
            200: NotificationSerializer(many=True),
            **error_responses(400, 401, 403, 404, 429),
        },
    )
    def get(self, request, *args, **kwargs):
        if "HTTP_ACCEPT_LANGUAGE" in request.META:
            return super().get(request, *args, **kwargs)
        with translation.override(language_of(request.user)):
            return super().get(request, *args, **kwargs)
