"""Admin: read the agreement versions; a published or retired version cannot be changed here
either (the editor and scoring.versions are the way to change a draft)."""

from django.contrib import admin

from scoring.models import (
    ActionRule,
    Agreement,
    ChannelRule,
    NegativeRule,
    ProfileRule,
    RescoreRun,
    Signoff,
)


class DraftOnlyMixin:
    def has_change_permission(self, request, obj=None):
        agreement = getattr(obj, "agreement", obj)
        if agreement is not None and not agreement.is_draft:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        agreement = getattr(obj, "agreement", obj)
        if agreement is not None and not agreement.is_draft:
            return False
        return super().has_delete_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        if obj is not None and not obj.is_draft:
            return False
        return super().has_add_permission(request, obj) if obj is not None else False


class RuleInline(DraftOnlyMixin, admin.TabularInline):
    extra = 0


class ProfileRuleInline(RuleInline):
    model = ProfileRule


class ChannelRuleInline(RuleInline):
    model = ChannelRule


class ActionRuleInline(RuleInline):
    model = ActionRule


class NegativeRuleInline(RuleInline):
    model = NegativeRule


class SignoffInline(admin.TabularInline):
    model = Signoff
    extra = 0
    readonly_fields = ["side", "user", "at"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Agreement)
class AgreementAdmin(DraftOnlyMixin, admin.ModelAdmin):
    list_display = ["version", "name", "status", "author", "published_at"]
    list_filter = ["status"]
    readonly_fields = ["version", "status", "revision", "submitted_at", "published_at"]
    inlines = [
        ProfileRuleInline,
        ChannelRuleInline,
        ActionRuleInline,
        NegativeRuleInline,
        SignoffInline,
    ]


@admin.register(RescoreRun)
class RescoreRunAdmin(admin.ModelAdmin):
    list_display = ["agreement", "status", "processed", "total", "moved_to_mql", "created_at"]
    readonly_fields = [field.name for field in RescoreRun._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
