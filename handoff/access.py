"""Who may see and act on a handoff, an opportunity or a lead after MQL: one rule per object,
used by the selectors, the pages and the API alike.

Reads. Each `*_visible_to(user)` below is the queryset of the rows `user` may read, built from the
capability table (accounts/capabilities.py). Pages and the API fetch an object through it, so a
row outside it answers 404, exactly as an id that does not exist: a guessed id tells nobody more
than their own lists do, and a client handles one answer for "not there" and "not yours". A
capability refusal (the role never may) stays 403, checked before any row is looked up.

- Handoffs: managers (queue.work_any) read every one. Reps (queue.work) read the handoffs they
  hold, the ones they decided (deciding a handoff makes it theirs, and a decided handoff keeps its
  assignee) and every handoff of their teams: the pool, and also their teammates', because the
  rep who came second to a lead must be told who has it and what became of it (409), not "not
  found". Other roles read none through the queue or its API.
- Opportunities: managers (opportunities.work_any) read every one, an account executive the ones
  they own. An SDR reads the opportunities on leads whose handoff they accepted: the pipeline
  they sourced, which reps are measured on, and the account executive they handed it to; they
  change none (only the owner and managers do, handoff.services.opportunities).
- An SQL and what follows it belong to the account executive the rep handed it to (named at
  promotion) and to the owners of its opportunities. An SQL handed to nobody waits in the account
  executives' pool, as an unassigned lead does in a CRM: any account executive may pick it up, and
  the first opportunity opened on it closes the pool (`leads_handed_to`).
- A lead's qualification (the BANT answers and next steps): managers (handoff.work_any_lead), and
  among those who work leads (handoff.work_leads) whoever has business with this one: its owner,
  the rep who holds or held one of its handoffs, the account executive it was handed to as an SQL
  (or, in the pool, any account executive) and the owner of an opportunity on it. Not marketers,
  as in a CRM: marketing sees a lead's stage, status and the reasons sales gave it back, not
  sales' notes on budget, authority and next steps. Nor admins, who manage people, not leads.

Writes. The check_* helpers below decide whether a user may act on an object they can see; they
answer 403 (or 409 when someone else got there first).
"""

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from accounts.capabilities import may
from accounts.people import person_name
from core.errors import ConflictError, PermissionDenied
from handoff.models import EventKind, Handoff, HandoffEvent, Opportunity, Outcome
from leads.models import Lead, Stage
from teams.models import TeamMember

SALES_STAGES = (Stage.SQL, Stage.OPPORTUNITY, Stage.CUSTOMER)


def handoffs_visible_to(user) -> QuerySet[Handoff]:
    """The handoffs `user` may read (see the module's docstring): one query with the rows."""
    if may(user, "queue.work_any"):
        return Handoff.objects.all()
    if not may(user, "queue.work"):
        return Handoff.objects.none()
    teams = TeamMember.objects.filter(user=user).values("team_id")
    return Handoff.objects.filter(Q(assignee=user) | Q(team_id__in=teams))


def opportunities_visible_to(user) -> QuerySet[Opportunity]:
    """The opportunities `user` may read (see the module's docstring). An account executive's
    pipeline reads off the owner index; only reps add the sourced-by-me subquery."""
    if may(user, "opportunities.work_any"):
        return Opportunity.objects.all()
    if not may(user, "opportunities.work", "handoff.work_leads"):
        return Opportunity.objects.none()
    readable = Q(owner=user)
    if may(user, "queue.work"):
        sourced = Handoff.objects.filter(
            lead=OuterRef("lead"), assignee=user, outcome=Outcome.ACCEPTED
        )
        readable |= Exists(sourced)
    return Opportunity.objects.filter(readable)


def _handed_to(user) -> Q:
    """The leads past SQL that `user` takes as an account executive (see the module's docstring):
    they own an opportunity on it, its latest promotion named them, or it named nobody and no
    opportunity has been opened on it yet."""
    lead = OuterRef("pk")
    latest_promotion = (
        HandoffEvent.objects.filter(lead=OuterRef(lead), kind=EventKind.PROMOTED)
        .order_by("-created_at", "-id")
        .values("pk")[:1]
    )
    promotion = HandoffEvent.objects.filter(pk=Subquery(latest_promotion))
    opportunities = Opportunity.objects.filter(lead=lead)
    in_pool = Exists(promotion.filter(data__account_executive=None)) & ~Exists(opportunities)
    return Q(stage__in=SALES_STAGES) & (
        Exists(opportunities.filter(owner=user))
        | Exists(promotion.filter(data__account_executive=user.pk))
        | in_pool
    )


def leads_handed_to(user) -> QuerySet[Lead]:
    """The SQLs, opportunities and customers `user` works as an account executive."""
    if not may(user, "opportunities.work"):
        return Lead.objects.none()
    return Lead.objects.filter(_handed_to(user))


def leads_with_qualification_visible_to(user) -> QuerySet[Lead]:
    """The leads whose qualification `user` may read (see the module's docstring)."""
    if may(user, "handoff.work_any_lead"):
        return Lead.objects.all()
    if not may(user, "handoff.work_leads"):
        return Lead.objects.none()
    readable = Q(owner=user) | Exists(Handoff.objects.filter(lead=OuterRef("pk"), assignee=user))
    if may(user, "opportunities.work"):
        readable |= _handed_to(user)
    return Lead.objects.filter(readable)


def may_read_qualification(lead: Lead, user) -> bool:
    return leads_with_qualification_visible_to(user).filter(pk=lead.pk).exists()


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
    """Managers, the lead's owner, the rep working or who accepted it, and, once it is an SQL,
    the account executive it was handed to (or any, while it waits in their pool) may update a
    lead's status, qualification and opportunities."""
    if may(user, "handoff.work_any_lead") or lead.owner_id == user.pk:
        return
    if lead.stage in SALES_STAGES and leads_handed_to(user).filter(pk=lead.pk).exists():
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
