"""The Django admin's user and token pages, narrowed to what the admin role may do.

The admin role assigns Accord's roles (the groups named by accounts.roles.Role) and nothing that
reaches past them: staff status, superuser status, raw permissions, other groups and passwords
stay with superusers, and a non-superuser cannot change a superuser at all. API tokens are listed
and revoked, never created or shown: only their owners ever see a key, once, on their profile.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import ApiToken
from accounts.roles import Role
from accounts.services import api_token_revoke, record_role_changes

User = get_user_model()

ROLE_FIELDSETS = (
    (None, {"fields": ("username",)}),
    (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
    (_("Access"), {"fields": ("is_active", "groups")}),
)


def role_groups():
    return Group.objects.filter(name__in=Role.values).order_by("name")


admin.site.unregister(User)


@admin.register(User)
class AccordUserAdmin(UserAdmin):
    def get_fieldsets(self, request, obj=None):
        if obj is None or request.user.is_superuser:
            return super().get_fieldsets(request, obj)
        return ROLE_FIELDSETS

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups" and not request.user.is_superuser:
            kwargs["queryset"] = role_groups()
            kwargs["help_text"] = _("The Accord roles this person holds.")
            field = super().formfield_for_manytomany(db_field, request, **kwargs)
            field.label_from_instance = lambda group: Role(group.name).label
            return field
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)

    def user_change_password(self, request, id, form_url=""):
        # Setting someone's password is logging in as them; people change their own on their
        # profile, and a superuser resets anyone's here.
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)

    def save_related(self, request, form, formsets, change):
        """The roles field offers only role groups; other groups a person holds stay."""
        kept = []
        if change and not request.user.is_superuser:
            kept = list(form.instance.groups.exclude(name__in=Role.values))
        roles_before = (
            set(form.instance.groups.filter(name__in=Role.values).values_list("name", flat=True))
            if change
            else set()
        )
        super().save_related(request, form, formsets, change)
        form.instance.groups.add(*kept)
        record_role_changes(person=form.instance, before=roles_before, actor=request.user)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Every person's tokens, to see who can reach the API and to stop a key that leaked or
    belongs to someone who left. Nobody adds a token here (each person makes their own on their
    profile, so no key passes through another's hands), edits one or deletes one (a revoked
    token keeps its row); the digest is not shown either."""

    list_display = (
        "name",
        "user",
        "prefix",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    )
    list_select_related = ("user",)
    search_fields = ("name", "prefix", "user__username")
    fields = list_display
    actions = ("revoke",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_revoke_permission(self, request):
        return request.user.has_perm("accounts.revoke_apitoken")

    @admin.action(description=_("Revoke the selected API tokens"), permissions=("revoke",))
    def revoke(self, request, queryset):
        revoked = 0
        for token in queryset.select_related("user"):
            if api_token_revoke(token=token, actor=request.user):
                self.log_change(request, token, _("Revoked."))
                revoked += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d API token was revoked.",
                "%(count)d API tokens were revoked.",
                revoked,
            )
            % {"count": revoked},
        )
