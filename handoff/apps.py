from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HandoffConfig(AppConfig):
    name = "handoff"
    verbose_name = _("Handoff and queue")

    def ready(self):
        from handoff.services.outcomes import return_to_pool
        from handoff.services.status import set_lead_status
        from leads import hooks as leads_hooks
        from sla import hooks as sla_hooks

        sla_hooks.return_to_pool.register(return_to_pool)
        leads_hooks.set_status.register(set_lead_status)
