from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """Who changed what: the append-only audit trail of configuration and lead field changes."""

    name = "audit"
    verbose_name = _("Audit trail")
