from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScoringConfig(AppConfig):
    name = "scoring"
    verbose_name = _("MQL agreement and scoring")

    def ready(self):
        from leads import hooks
        from scoring.services import rescore_leads

        @hooks.leads_changed.register
        def rescore_changed_leads(*, lead_ids, now=None):
            rescore_leads(lead_ids, now=now)
