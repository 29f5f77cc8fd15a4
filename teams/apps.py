from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeamsConfig(AppConfig):
    """Organisation structure, read by SLA calendars, assignment, access rules and reports."""

    name = "teams"
    verbose_name = _("Teams")
