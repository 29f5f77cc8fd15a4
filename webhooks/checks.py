"""`manage.py check --deploy` warns when a development-only webhook setting is on."""

from django.conf import settings
from django.core.checks import Warning


def check_webhook_settings(app_configs, **kwargs):
    warnings = []
    if settings.WEBHOOKS_ALLOW_LOOPBACK:
        warnings.append(
            Warning(
                "WEBHOOKS_ALLOW_LOOPBACK is on: webhooks may be sent to this machine's own "
                "services.",
                hint="Unset WEBHOOKS_ALLOW_LOOPBACK in production.",
                id="webhooks.W001",
            )
        )
    if settings.WEBHOOKS_ALLOW_HTTP:
        warnings.append(
            Warning(
                "WEBHOOKS_ALLOW_HTTP is on: webhook bodies and signatures may travel unencrypted.",
                hint="Set WEBHOOKS_ALLOW_HTTP=0 (it follows DEBUG unless set).",
                id="webhooks.W002",
            )
        )
    return warnings
