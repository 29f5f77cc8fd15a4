"""Accord's roles are Django groups; one person may hold several. What each role may do is
written once, in accounts.capabilities."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    MARKETER = "marketer", _("Marketer")
    SDR = "sdr", _("Sales development rep")
    ACCOUNT_EXECUTIVE = "account_executive", _("Account executive")
    MANAGER = "manager", _("Manager")
    ADMIN = "admin", _("Administrator")


EVERY_ROLE = tuple(Role)


def roles_of(user) -> frozenset[str]:
    """The user's role names, cached on the user object for the request."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_accord_roles", None)
    if cached is None:
        if user.is_superuser:
            cached = frozenset(Role.values)
        else:
            names = user.groups.filter(name__in=Role.values).values_list("name", flat=True)
            cached = frozenset(names)
        user._accord_roles = cached
    return cached
