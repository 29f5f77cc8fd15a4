from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class SlaConfig(AppConfig):
    name = "sla"
    verbose_name = _("SLA policies and clocks")

    def ready(self):
        from accounts import hooks as accounts_hooks
        from sla.calendars import team_time_zone
        from sla.defaults import add_default_policies_after_migrate

        accounts_hooks.team_time_zone.register(team_time_zone)
        post_migrate.connect(add_default_policies_after_migrate, sender=self)
