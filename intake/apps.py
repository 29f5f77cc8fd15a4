from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    """Getting leads in from outside: API ingest, spreadsheet imports, public web forms."""

    name = "intake"
    verbose_name = _("Intake")
