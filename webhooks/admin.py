from django.contrib import admin

from webhooks import services
from webhooks.models import Delivery, Subscription


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["name", "url", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "url"]
    # The secret is shown once, on the webhook page that created or rotated it; never here.
    exclude = ["secret"]

    # Through the services, as the webhook pages do, so that the audit trail has each change.
    def save_model(self, request, obj, form, change):
        services.save_subscription(subscription=obj, user=request.user)

    def delete_model(self, request, obj):
        services.delete_subscription(subscription=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for subscription in queryset:
            services.delete_subscription(subscription=subscription, user=request.user)


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
