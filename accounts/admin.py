"""The Django admin's user and token pages, narrowed to what the admin role may do.

The admin role assigns Accord's roles (the groups named by accounts.roles.Role) and nothing that
reaches past them: staff status, superuser status, raw permissions, other groups and passwords
stay with superusers, and a non-superuser cannot change a superuser at all. API tokens are listed
by user and date; a key is shown once, on the page that creates it, and never again.
"""

from django.contrib import admin
from django.contrib.admin.models import ADDITION, DELETION, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from rest_framework.authtoken.admin import TokenAdmin
from rest_framework.authtoken.models import TokenProxy

from accounts.models import ApiToken
from accounts.roles import Role

User = get_user_model()

ROLE_FIELDSETS = (
    (None, {"fields": ("username",)}),
    (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
    (_("Access"), {"fields": ("is_active", "groups")}),
)


def role_groups():
    return Group.objects.filter(name__in=Role.values).order_by("name")


admin.site.unregister(User)
# DRF's token admin lists keys and names each token by its key; ApiTokenAdmin replaces it.
admin.site.unregister(TokenProxy)


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
        super().save_related(request, form, formsets, change)
        form.instance.groups.add(*kept)


@admin.register(ApiToken)
class ApiTokenAdmin(TokenAdmin):
    list_display = ("user", "created")
    fields = ("user",)
    readonly_fields = ()

    def has_change_permission(self, request, obj=None):
        # Moving a key to another user would hand that user's access to whoever holds it.
        return False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user" and not request.user.is_superuser:
            kwargs["queryset"] = User.objects.filter(is_superuser=False, auth_token=None)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_fields(self, request, obj=None):
        return ("user",) if obj is None else ("user", "created")

    def get_deleted_objects(self, objs, request):
        # Django's list links each object by its primary key, here the key; a token has no
        # dependent rows to list.
        objs = list(objs)
        return [str(obj) for obj in objs], {self.opts.verbose_name_plural: len(objs)}, set(), []

    def log_addition(self, request, obj, message):
        return self.log(request, obj, ADDITION, message)

    def log_deletions(self, request, queryset):
        return [self.log(request, obj, DELETION) for obj in queryset]

    def log(self, request, obj, action_flag, message=""):
        """An admin log entry that names the token by its user's id, as this admin's URLs do;
        Django's own would keep the key in django_admin_log and link to it."""
        return LogEntry.objects.create(
            user_id=request.user.pk,
            content_type=ContentType.objects.get_for_model(self.model, for_concrete_model=False),
            object_id=str(obj.user_id),
            object_repr=str(obj)[:200],
            action_flag=action_flag,
            change_message=message,
        )

    def response_add(self, request, obj, post_url_continue=None):
        """The one page that shows the key; nothing stores it on the way (no message, no
        session)."""
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("API token created"),
            "token": obj,
        }
        return TemplateResponse(request, "admin/accounts/apitoken/created.html", context)
