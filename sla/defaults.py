"""The SLA a fresh install starts with; managers edit or replace these policies in the browser.

"One business day" is eight business hours (480 minutes), a full day of the default calendar
(09:00-17:00); ten business days are 4,800 minutes. A hot lead scores at least HOT_SCORE or has
asked to be contacted or for a demo (two policies, since a policy's conditions all must hold).

Created by the data migration, and again after any migrate or flush that leaves no policy at all
(a flushed test database), so that every handoff always finds a clock.
"""

from django.utils.translation import gettext_noop

# The hot-lead policy's name says this number too (a catalog entry cannot be an f-string).
HOT_SCORE = 40

DEFAULT_POLICIES = [
    {
        "name": gettext_noop("First touch within 4 business hours"),
        "step": "mql_to_first_touch",
        "target_minutes": 4 * 60,
    },
    {
        "name": gettext_noop("Accept or return within 1 business day"),
        "step": "mql_to_accept_or_return",
        "target_minutes": 8 * 60,
    },
    {
        "name": gettext_noop("SQL decision within 10 business days"),
        "step": "sal_to_sql_decision",
        "target_minutes": 10 * 8 * 60,
    },
    {
        "name": gettext_noop("Hot lead (score 40+): first touch within 15 business minutes"),
        "step": "mql_to_first_touch",
        "target_minutes": 15,
        "min_score": HOT_SCORE,
    },
    {
        "name": gettext_noop(
            "Hot lead (contact or demo request): first touch within 15 business minutes"
        ),
        "step": "mql_to_first_touch",
        "target_minutes": 15,
        "requires_request": True,
    },
]


def add_default_policies(apps) -> None:
    """Create the defaults when there is no policy at all; never touches a manager's edits."""
    SlaPolicy = apps.get_model("sla", "SlaPolicy")
    if not SlaPolicy.objects.exists():
        SlaPolicy.objects.bulk_create(SlaPolicy(**policy) for policy in DEFAULT_POLICIES)


def add_default_policies_after_migrate(sender, using="default", **kwargs):
    from django.apps import apps
    from django.db import connections

    # After `migrate sla zero` the table is gone, and there is nothing to fill.
    if "sla_slapolicy" in connections[using].introspection.table_names():
        add_default_policies(apps)
