"""Accord's roles are Django groups; one person may hold several."""

from functools import wraps

from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    MARKETER = "marketer", _("Marketer")
    SDR = "sdr", _("Sales development rep")
    ACCOUNT_EXECUTIVE = "account_executive", _("Account executive")
    MANAGER = "manager", _("Manager")
    ADMIN = "admin", _("Administrator")


EVERY_ROLE = tuple(Role)
SALES_ROLES = (Role.SDR, Role.ACCOUNT_EXECUTIVE, Role.MANAGER)


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


def has_role(user, *roles: str) -> bool:
    return bool(roles_of(user) & set(roles))


def role_required(*roles: str):
    """View decorator: 403 for a signed-in user without one of `roles`.

    Anonymous users never get here: LoginRequiredMiddleware sends them to the login page.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not has_role(request.user, *roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class RoleRequiredMixin(AccessMixin):
    allowed_roles: tuple[str, ...] = EVERY_ROLE

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not has_role(request.user, *self.allowed_roles):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
