"""Who may do what, written once: each capability names the roles that hold it.

Views (`capability_required`, `CapabilityRequiredMixin`), the API (`HasCapability`), services
(`require`) and templates (`may.<capability with _ for .>` from the context processor) all read
this table, so no role name is spelled out anywhere else. Rules that also depend on the object
(a rep works only the handoffs of their teams) live in the owning app's access module and start
from a capability here.
"""

from functools import wraps

from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from rest_framework import permissions

from accounts.roles import EVERY_ROLE, Role, roles_of

MARKETER, SDR, AE, MANAGER, ADMIN = (
    Role.MARKETER,
    Role.SDR,
    Role.ACCOUNT_EXECUTIVE,
    Role.MANAGER,
    Role.ADMIN,
)

CAPABILITIES: dict[str, frozenset[str]] = {
    name: frozenset(roles)
    for name, roles in {
        # Leads
        "leads.view": EVERY_ROLE,
        "leads.edit": (MARKETER, MANAGER, ADMIN),
        "leads.set_status": (SDR, AE, MARKETER, MANAGER, ADMIN),
        "leads.disqualify": (SDR, MANAGER),
        "leads.reinstate": (MANAGER,),
        # Intake
        "intake.import": (MARKETER, ADMIN),
        "intake.manage_forms": (MARKETER, ADMIN),
        "intake.post_activities": (MARKETER, MANAGER, ADMIN),
        # The MQL agreement
        "agreement.view": EVERY_ROLE,
        "agreement.edit": (MARKETER,),
        "agreement.publish": (MARKETER,),
        "agreement.sign_off_marketing": (MARKETER,),
        "agreement.sign_off_sales": (SDR, MANAGER),
        # The queue, the lead's sales sections, opportunities
        "queue.work": (SDR, MANAGER),
        "queue.reassign": (MANAGER,),
        "handoff.view_lead_sections": (SDR, AE, MANAGER),
        "handoff.qualify": (SDR, MANAGER),
        "handoff.view_returned": (MARKETER, MANAGER),
        "opportunities.work": (AE, MANAGER),
        # Set-up
        "teams.manage": (MANAGER,),
        "sla.manage": (MANAGER,),
        "webhooks.manage": (MANAGER, ADMIN),
        # Reports
        "reports.view": (MANAGER, MARKETER),
        "reports.sla": (MANAGER,),
        "reports.enter_spend": (MARKETER,),
        # Everyone's own things
        "notifications.view": EVERY_ROLE,
    }.items()
}


def roles_with(capability: str) -> frozenset[str]:
    try:
        return CAPABILITIES[capability]
    except KeyError:
        raise LookupError(f"Unknown capability {capability!r}; add it to CAPABILITIES.") from None


def may(user, capability: str) -> bool:
    """Whether `user` holds a role that has `capability`."""
    return bool(roles_of(user) & roles_with(capability))


def capabilities_of(user) -> frozenset[str]:
    roles = roles_of(user)
    return frozenset(name for name, holders in CAPABILITIES.items() if roles & holders)


def require(user, capability: str, message: str | None = None) -> None:
    """For services: raise PermissionDenied (403) unless `user` may."""
    if not may(user, capability):
        raise PermissionDenied(message or _("Your role may not do this."))


def capability_required(capability: str):
    """View decorator: 403 for a signed-in user without `capability` (LoginRequiredMiddleware
    sends anonymous users to the login page before this runs)."""
    roles_with(capability)

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            require(request.user, capability)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class CapabilityRequiredMixin(AccessMixin):
    capability: str = "leads.view"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        require(request.user, self.capability)
        return super().dispatch(request, *args, **kwargs)


class HasCapability(permissions.BasePermission):
    """The API's one permission class: the view names its `capability` (or, per method,
    `capabilities = {"GET": ..., "POST": ...}`); anonymous callers get 401, others 403."""

    def has_permission(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return False
        by_method = getattr(view, "capabilities", None)
        capability = by_method.get(request.method) if by_method else None
        return may(request.user, capability or view.capability)


class TemplateCapabilities:
    """`may.queue_work` in templates: dots become underscores, since templates read attributes."""

    def __init__(self, user):
        self._held = capabilities_of(user)

    def __getattr__(self, name: str) -> bool:
        if name.startswith("_"):
            raise AttributeError(name)
        capability = name.replace("_", ".", 1)
        roles_with(capability)
        return capability in self._held
