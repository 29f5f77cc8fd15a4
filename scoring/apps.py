from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


def use_re2_for_sqlite_regexp(sender, connection, **kwargs):
    """SQLite's REGEXP (every `__regex` lookup and CheckConstraint) reads RE2, as `matches` does,
    instead of Django's Python `re`: one pattern dialect wherever Accord runs one."""
    if connection.vendor == "sqlite":
        from scoring.normal import sqlite_regexp

        connection.connection.create_function("REGEXP", 2, sqlite_regexp, deterministic=True)


class ScoringConfig(AppConfig):
    name = "scoring"
    verbose_name = _("MQL agreement and scoring")

    def ready(self):
        connection_created.connect(use_re2_for_sqlite_regexp, dispatch_uid="scoring-sqlite-re2")

        from handoff import hooks as handoff_hooks
        from leads import hooks
        from scoring.selectors import word_reasons
        from scoring.services import rescore_leads

        handoff_hooks.word_reasons.register(word_reasons)

        @hooks.leads_changed.register
        def rescore_changed_leads(*, lead_ids, now=None):
            rescore_leads(lead_ids, now=now)
