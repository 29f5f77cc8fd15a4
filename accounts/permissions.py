"""What each role may do at the model level, declared once.

Applied by the roles data migration and again after every migrate (post_migrate), so that
permissions of models added later reach the groups and a flushed test database gets them back.
"""

from django.contrib.auth.management import create_permissions
from django.db.models import Q

VIEW_LEADS = ["view_lead", "view_activity", "view_stagechange", "view_channel"]
# Everyone reads the MQL agreement; marketers write drafts, sales signs (scoring.versions).
SCORING_MODELS = ["agreement", "profilerule", "channelrule", "actionrule", "negativerule"]
VIEW_AGREEMENT = [f"view_{m}" for m in [*SCORING_MODELS, "signoff", "rescorerun"]]
EDIT_AGREEMENT = [f"{a}_{m}" for m in SCORING_MODELS for a in ("add", "change", "delete")]
# Spreadsheet imports and web-form keys (intake app).
INTAKE = [
    "view_importjob",
    "add_importjob",
    "view_importmapping",
    "view_formkey",
    "add_formkey",
    "change_formkey",
]
WEBHOOKS = [
    "view_subscription",
    "add_subscription",
    "change_subscription",
    "delete_subscription",
    "view_delivery",
]
# Teams and their members (teams app); managers change them.
VIEW_TEAMS = ["view_team", "view_teammember"]
MANAGE_TEAMS = [
    *VIEW_TEAMS,
    "add_team",
    "change_team",
    "add_teammember",
    "change_teammember",
    "delete_teammember",
]
# The SDR queue, qualification and opportunities (handoff app; rules in handoff/access.py).
VIEW_HANDOFFS = [
    "view_handoff",
    "view_handoffevent",
    "view_returnreason",
    "view_qualification",
    "view_opportunity",
]
WORK_HANDOFFS = [
    *VIEW_HANDOFFS,
    "change_handoff",
    "add_qualification",
    "change_qualification",
    "add_opportunity",
]
MANAGE_HANDOFFS = [
    *WORK_HANDOFFS,
    "change_opportunity",
    "add_returnreason",
    "change_returnreason",
    "view_qualificationpolicy",
    "change_qualificationpolicy",
]

VIEW_SLA = [
    "view_slapolicy",
    "view_teamcalendar",
    "view_workingspan",
    "view_closeddate",
    "view_clock",
]
# Managers edit policies and business hours; clocks change only through the SLA services.
MANAGE_SLA = [
    *VIEW_SLA,
    "add_slapolicy",
    "change_slapolicy",
    "add_teamcalendar",
    "change_teamcalendar",
    "add_workingspan",
    "change_workingspan",
    "delete_workingspan",
    "add_closeddate",
    "change_closeddate",
    "delete_closeddate",
]

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
        "intake": INTAKE,
        "scoring": [*VIEW_AGREEMENT, *EDIT_AGREEMENT, "add_signoff"],
        "handoff": ["view_handoff", "view_handoffevent", "view_returnreason"],
        # Marketers enter monthly channel spend (reports/spend/).
        "reports": [
            "view_channelspend",
            "add_channelspend",
            "change_channelspend",
            "delete_channelspend",
        ],
    },
    "sdr": {
        "leads": [*VIEW_LEADS, "change_lead"],
        "scoring": [*VIEW_AGREEMENT, "add_signoff"],
        "handoff": WORK_HANDOFFS,
        "teams": VIEW_TEAMS,
    },
    "account_executive": {
        "leads": [*VIEW_LEADS, "change_lead"],
        "scoring": VIEW_AGREEMENT,
        "handoff": [*WORK_HANDOFFS, "change_opportunity"],
        "teams": VIEW_TEAMS,
    },
    "manager": {
        "leads": [*VIEW_LEADS, "change_lead"],
        "webhooks": WEBHOOKS,
        "scoring": [*VIEW_AGREEMENT, "add_signoff"],
        "reports": ["view_channelspend"],
        "handoff": MANAGE_HANDOFFS,
        "teams": MANAGE_TEAMS,
        "sla": MANAGE_SLA,
    },
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
        "intake": INTAKE,
        "webhooks": WEBHOOKS,
        "scoring": VIEW_AGREEMENT,
        "handoff": VIEW_HANDOFFS,
        "teams": VIEW_TEAMS,
        "sla": VIEW_SLA,
        # Users' names, active flag and Accord roles; accounts/admin.py keeps staff, superuser,
        # raw permissions and passwords away from non-superusers.
        "auth": ["view_user", "add_user", "change_user", "view_group"],
        # Everyone's API tokens (accounts.models.ApiToken): list and revoke, never create or read
        # a key; each person makes their own on their profile.
        "accounts": ["view_apitoken", "revoke_apitoken"],
    },
}


def sync_roles(apps, *, create_missing_permissions=False):
    """Create the role groups and give them exactly their permissions; idempotent.

    Exactly: a permission taken out of ROLE_PERMISSIONS leaves the groups of existing installs.
    """
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
        granted = Q(pk__in=[])
        for app_label, codenames in by_app.items():
            granted |= Q(content_type__app_label=app_label, codename__in=codenames)
        group.permissions.set(Permission.objects.filter(granted))


def sync_roles_after_migrate(sender, **kwargs):
    from django.apps import apps

    sync_roles(apps)
