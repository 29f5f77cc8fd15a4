"""Who may do what, written once: each capability names the roles that hold it.

Views (`capability_required`, `CapabilityRequiredMixin`), the API (`HasCapability`), services
(`require`) and templates (`may.<capability with _ for .>` from the context processor) all read
this table, so no role name is spelled out anywhere else. Rules that also depend on the object
(a rep works only the handoffs of their teams) live in the owning app's access module and start
from a capability here.
"""

from functools import wraps

from django.contrib.auth import get_user_model
from django.contrib.auth.mixins import AccessMixin
from django.utils.translation import gettext as _
from rest_framework import permissions

from accounts.roles import EVERY_ROLE, Role, roles_of
from core.errors import PermissionDenied

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
        # Personal data: recording a person's consent (whoever talks to them or markets to
        # them), and answering a data-subject request: erasing a lead and exporting all Accord
        # holds about it (those who answer for the data, as a GDPR or PDPA request asks)
        "leads.consent": (SDR, AE, MARKETER, MANAGER),
        "leads.erase": (MANAGER, ADMIN),
        "leads.export_personal_data": (MANAGER, ADMIN),
        # Intake
        "intake.import": (MARKETER, ADMIN),
        "intake.manage_forms": (MARKETER, ADMIN),
        "intake.post_activities": (MARKETER, MANAGER, ADMIN),
        # The MQL agreement; editing includes seeing drafts still in progress
        "agreement.view": EVERY_ROLE,
        "agreement.edit": (MARKETER,),
        "agreement.publish": (MARKETER,),
        "agreement.sign_off_marketing": (MARKETER,),
        "agreement.sign_off_sales": (SDR, MANAGER),
        # The queue: working it, every team's pool and the "all" tab (and reading every
        # handoff, handoff.access), moving leads between reps, and being someone the queue
        # hands leads to (a team member, a reassignment's target)
        "queue.work": (SDR, MANAGER),
        "queue.work_any": (MANAGER,),
        "queue.reassign": (MANAGER,),
        "queue.take_leads": (SDR,),
        # The lead page's sales sections (status, qualification, opening an opportunity; the
        # lead itself is checked by handoff.access), on any lead (reading every lead's
        # qualification too), and the SAL-to-SQL decision
        "handoff.work_leads": (SDR, AE, MANAGER),
        "handoff.work_any_lead": (MANAGER,),
        "handoff.qualify": (SDR, MANAGER),
        "handoff.view_returned": (MARKETER, MANAGER),
        # Opportunities: the pipeline pages, everyone's pipeline (reading every opportunity,
        # handoff.access), and who may own one
        "opportunities.work": (AE, MANAGER),
        "opportunities.work_any": (MANAGER,),
        "opportunities.own": (AE,),
        # Set-up; teams.manage also covers return reasons and the SQL criteria
        "teams.manage": (MANAGER,),
        "sla.manage": (MANAGER,),
        "webhooks.manage": (MANAGER, ADMIN),
        # Reports
        "reports.view": (MANAGER, MARKETER),
        "reports.sla": (MANAGER,),
        "reports.enter_spend": (MARKETER,),
        # The current exchange rates the reports convert amounts with
        "reports.exchange_rates": (MANAGER,),
        # The parts of the home page (pages.views.home): a person with several roles sees each
        # of theirs; a rep's part alone is the queue page, which shows it above the queue
        "home.marketing": (MARKETER,),
        "home.pipeline": (AE,),
        "home.queue": (SDR,),
        "home.sla": (MANAGER,),
        # Everyone's own things
        "notifications.view": EVERY_ROLE,
        "accounts.profile": EVERY_ROLE,
        # Lifting a login lockout (too many failed passwords) before its cool-off ends
        "accounts.unlock": (ADMIN,),
        # Reading the audit trail: who changed what, in set-up and on leads
        "audit.read": (MANAGER, ADMIN),
    }.items()
}


def roles_with(capability: str) -> frozenset[str]:
    try:
        return CAPABILITIES[capability]
    except KeyError:
        raise LookupError(f"Unknown capability {capability!r}; add it to CAPABILITIES.") from None


def may(user, capability: str, *others: str) -> bool:
    """Whether `user` holds a role that has `capability` (or any of `others`)."""
    roles = roles_of(user)
    return any(roles & roles_with(name) for name in (capability, *others))


def capabilities_of(user) -> frozenset[str]:
    roles = roles_of(user)
    return frozenset(name for name, holders in CAPABILITIES.items() if roles & holders)


def users_who_may(capability: str):
    """Active users whose roles hold `capability`, e.g. the reps a lead may be given to."""
    return (
        get_user_model()
        .objects.filter(groups__name__in=roles_with(capability), is_active=True)
        .distinct()
    )


def require(user, capability: str, message: str | None = None, *, others=()) -> None:
    """Raise the domain's PermissionDenied (403, also Django's) unless `user` may."""
    if not may(user, capability, *others):
        raise PermissionDenied(message or _("Your role may not do this."))


def capability_required(capability: str, *others: str):
    """View decorator: 403 for a signed-in user without `capability` (or any of `others`);
    LoginRequiredMiddleware sends anonymous users to the login page before this runs."""
    for name in (capability, *others):
        roles_with(name)

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            require(request.user, capability, others=others)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class CapabilityRequiredMixin(AccessMixin):
    capability: str

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        require(request.user, self.capability)
        return super().dispatch(request, *args, **kwargs)


class HasCapability(permissions.BasePermission):
    """The API's one permission class: the view names its `capability` (or, per method,
    `capabilities = {"GET": ..., "POST": ...}`); anonymous callers get 401, others 403.

    A method the view does not list (HEAD, OPTIONS, or one it does not answer, which then gets
    405) needs `capability` if the view has one, else the GET capability."""

    def has_permission(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return False
        by_method = getattr(view, "capabilities", {})
        capability = (
            by_method.get(request.method) or getattr(view, "capability", None) or by_method["GET"]
        )
        return may(request.user, capability)


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
