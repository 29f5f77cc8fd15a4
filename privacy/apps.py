from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """Answering a data-subject request about one lead: erasing it and exporting what Accord
    holds about it, across every app that keeps something (above them all but the pages)."""

    name = "privacy"
    verbose_name = _("Personal data")
