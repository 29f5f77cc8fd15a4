"""What each role may do at the model level, declared once.

Applied by the roles data migration and again after every migrate (post_migrate), so that
permissions of models added later reach the groups and a flushed test database gets them back.
"""

from django.contrib.auth.management import create_permissions

VIEW_LEADS = ["view_lead", "view_activity", "view_stagechange", "view_channel"]

ROLE_PERMISSIONS: dict[str, dict[str, list[str]]] = {
    "marketer": {
        "leads": [
            *VIEW_LEADS,
            "add_lead",
            "change_lead",
            "add_activity",
            "add_channel",
            "change_channel",
        ],
    },
    "sdr": {"leads": [*VIEW_LEADS, "change_lead"]},
    "account_executive": {"leads": [*VIEW_LEADS, "change_lead"]},
    "manager": {"leads": [*VIEW_LEADS, "change_lead"]},
    "admin": {
        "leads": [
            *VIEW_LEADS,
            "add_lead",
            "change_lead",
            "delete_lead",
            "add_activity",
            "change_activity",
            "delete_activity",
            "add_channel",
            "change_channel",
            "delete_channel",
        ],
        "auth": ["view_user", "add_user", "change_user", "view_group"],
        "authtoken": ["view_token", "add_token", "delete_token"],
    },
}


def sync_roles(apps, *, create_missing_permissions=False):
    """Create the role groups and grant them their permissions; idempotent."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    if create_missing_permissions:
        # Inside a migration on a fresh database, permissions do not exist yet.
        for app_config in apps.get_app_configs():
            app_config.models_module = True
            create_permissions(app_config, apps=apps, verbosity=0)
            app_config.models_module = None
    for role, by_app in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        for app_label, codenames in by_app.items():
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label=app_label, codename__in=codenames
                )
            )


def sync_roles_after_migrate(sender, **kwargs):
    from django.apps import apps

    sync_roles(apps)
