"""Roles are Django groups (see roles.py); this app's only model is a view of API tokens."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework.authtoken.models import Token


class ApiToken(Token):
    """A token as the Django admin shows it: by user and date. Token's own name is its key, which
    would reach page titles, breadcrumbs, delete pages and the admin log."""

    class Meta:
        proxy = True
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return gettext("API token of %(user)s") % {"user": self.user}
