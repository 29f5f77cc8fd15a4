"""Who may act on a handoff or a lead after MQL; one helper per object, used by every service."""

from django.utils.translation import gettext as _

from accounts.capabilities import may
from accounts.people import person_name
from core.errors import ConflictError, PermissionDenied
from handoff.models import Handoff, Outcome
from leads.models import Lead, Stage
from teams.models import TeamMember

SALES_STAGES = (Stage.SQL, Stage.OPPORTUNITY, Stage.CUSTOMER)


def is_team_member(user, team_id: int | None) -> bool:
    return team_id is not None and TeamMember.objects.filter(team_id=team_id, user=user).exists()


def check_may(user, capability: str, message: str) -> None:
    """The capability table's answer as the domain's 403, which views show in place."""
    if not may(user, capability):
        raise PermissionDenied(str(message))


def someone_has_it(handoff: Handoff) -> ConflictError:
    """The 409 told to the rep who came second: who has the lead, or what became of it."""
    if handoff.outcome != Outcome.OPEN:
        who = person_name(handoff.assignee) if handoff.assignee else _("someone")
        message = _("%(name)s already handled this lead: it is %(outcome)s.") % {
            "name": who,
            "outcome": handoff.get_outcome_display().lower(),
        }
    else:
        message = _("%(name)s has this lead.") % {"name": person_name(handoff.assignee)}
    extra = {"outcome": handoff.outcome}
    if handoff.assignee:
        extra["assignee"] = {"id": handoff.assignee.pk, "name": person_name(handoff.assignee)}
    return ConflictError(message, extra=extra)


def check_may_work(handoff: Handoff, user) -> None:
    """SDRs work the handoffs assigned to them and their team's pool; managers work any."""
    if may(user, "queue.work_any"):
        return
    if not may(user, "queue.work"):
        raise PermissionDenied(_("Only sales development reps and managers work the queue."))
    if handoff.assignee_id == user.pk:
        return
    if handoff.assignee_id is not None:
        raise someone_has_it(handoff)
    if not is_team_member(user, handoff.team_id):
        raise PermissionDenied(_("This lead is in another team's pool."))


def passes(check, *args) -> bool:
    """Whether `check(*args)` lets the user through: neither a 403 nor a 409."""
    try:
        check(*args)
    except (PermissionDenied, ConflictError):
        return False
    return True


def may_work(handoff: Handoff, user) -> bool:
    return passes(check_may_work, handoff, user)


def check_may_decide(handoff: Handoff, user) -> None:
    """Who may close a handoff or end its SAL: the queue's rule while it is open, the lead's
    once it was accepted."""
    if handoff.is_open:
        check_may_work(handoff, user)
    else:
        check_may_handle_lead(handoff.lead, user)


def may_decide(handoff: Handoff, user) -> bool:
    return passes(check_may_decide, handoff, user)


def check_may_handle_lead(lead: Lead, user) -> None:
    """Managers, the lead's owner, the rep working or who accepted it, and account executives
    once it is an SQL may update a lead's status, qualification and opportunities."""
    if may(user, "handoff.work_any_lead") or lead.owner_id == user.pk:
        return
    if may(user, "opportunities.work") and lead.stage in SALES_STAGES:
        return
    if may(user, "queue.work"):
        latest = lead.handoffs.order_by("-created_at", "-id").first()
        if latest is not None and latest.outcome == Outcome.ACCEPTED:
            if latest.assignee_id == user.pk:
                return
        elif latest is not None and latest.outcome == Outcome.OPEN and may_work(latest, user):
            return
    raise PermissionDenied(_("You do not work this lead."))


def check_may_set_status(lead: Lead, user) -> None:
    """Who may set a lead's work status, in the browser and the API alike: before the lead ever
    entered the queue it is marketing's, so the lead writers (leads.edit) may; from then on,
    whoever may handle it (check_may_handle_lead: managers, the owner, the rep working it, an
    account executive once it is an SQL)."""
    check_may(user, "leads.set_status", _("Your role may not change a lead's status."))
    if may(user, "leads.edit") and not lead.handoffs.exists():
        return
    check_may_handle_lead(lead, user)
