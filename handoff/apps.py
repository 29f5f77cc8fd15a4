from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HandoffConfig(AppConfig):
    name = "handoff"
    verbose_name = _("Handoff and queue")

    def ready(self):
        from handoff.services.outcomes import return_to_pool
        from sla import hooks

        hooks.return_to_pool.register(return_to_pool)
