from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self):
        from accounts.people import name_people_everywhere
        from accounts.permissions import sync_roles_after_migrate
        from accounts.preferences import remember_reader  # noqa: F401 (connects its receiver)

        post_migrate.connect(sync_roles_after_migrate, sender=self)
        name_people_everywhere()
