from django.contrib import admin

from leads.models import Activity, Channel, Lead, StageChange


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "kind"]
    list_filter = ["kind"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "slug"]


class StageChangeInline(admin.TabularInline):
    model = StageChange
    extra = 0
    can_delete = False
    readonly_fields = ["from_stage", "to_stage", "actor", "reason", "context", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Lead)
class LeadAdmin(admin.ModelAdmin):
    list_display = ["email", "first_name", "last_name", "organization", "stage", "status", "score"]
    list_filter = ["stage", "status", "channel"]
    search_fields = ["email", "first_name", "last_name", "organization"]
    list_select_related = ["channel"]
    raw_id_fields = ["owner"]
    # Stage moves go through leads.lifecycle so that each one is audited.
    readonly_fields = [
        "stage",
        "stage_changed_at",
        "score",
        "fit_score",
        "engagement_score",
        "score_agreement_version",
        "score_explanation",
        "scored_at",
        "created_at",
        "updated_at",
    ]
    inlines = [StageChangeInline]


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["lead", "kind", "occurred_at", "channel", "source", "external_id"]
    list_filter = ["kind", "channel"]
    raw_id_fields = ["lead"]
    date_hierarchy = "occurred_at"


@admin.register(StageChange)
class StageChangeAdmin(admin.ModelAdmin):
    list_display = ["lead", "from_stage", "to_stage", "actor", "created_at"]
    list_filter = ["to_stage"]
    raw_id_fields = ["lead", "actor"]

    def has_change_permission(self, request, obj=None):
        return False
