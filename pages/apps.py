from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    """Pages that compose several apps (home, the lead page and its timeline) and the demo data."""

    name = "pages"
    verbose_name = _("Pages")
