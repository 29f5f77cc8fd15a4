from django.contrib import admin

from webhooks.models import Delivery, Subscription


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["name", "url", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "url"]
    # The secret is shown once, on the webhook page that created or rotated it; never here.
    exclude = ["secret"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "event", "subscription", "status", "attempts", "next_attempt_at", "last_status_code",
    ]  # fmt: skip
    list_filter = ["status", "event"]
    list_select_related = ["subscription"]
    readonly_fields = [
        "subscription", "event", "payload", "status", "attempts", "next_attempt_at",
        "last_attempt_at", "last_status_code", "last_duration_ms", "last_error", "created_at",
    ]  # fmt: skip

    def has_add_permission(self, request):
        return False
