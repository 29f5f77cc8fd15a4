from django.contrib import admin

from handoff.models import Handoff, HandoffEvent, Opportunity, Qualification, ReturnReason


@admin.register(Handoff)
class HandoffAdmin(admin.ModelAdmin):
    """Read-only: handoffs change through the queue's services, never by hand."""

    list_display = ["lead", "team", "assignee", "outcome", "created_at", "sla_due_at"]
    list_filter = ["outcome", "team"]
    list_select_related = ["lead", "team", "assignee"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(HandoffEvent)
class HandoffEventAdmin(admin.ModelAdmin):
    list_display = ["lead", "kind", "actor", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["lead", "actor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


admin.site.register(ReturnReason)
admin.site.register(Qualification)
admin.site.register(Opportunity)
