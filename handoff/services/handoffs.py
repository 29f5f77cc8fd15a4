"""The queue's work short of a decision: open handoffs at MQL, claim, first touch, reassign.
Decisions (accept, return, disqualify, escalation to the pool) are handoff.services.outcomes.

Each action locks the handoff (or claims it with a conditional update), so two reps acting at
once cannot both win; the loser gets a ConflictError naming who has the lead.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.capabilities import may, require
from core.errors import ApplicationError, PermissionDenied
from handoff.access import (
    check_may_work,
    is_team_member,
    someone_has_it,
)
from handoff.assignment import (
    assign_new_handoffs,
    give_to,
    teams_for_channels,
)
from handoff.models import (
    EventKind,
    FirstTouchChannel,
    Handoff,
    HandoffEvent,
    Outcome,
)
from leads.models import Lead, Stage
from sla import services as sla_services
from sla.models import Clock, Step

ACCEPTANCE_CHECKS = ("meets_mql_spec", "can_start_conversation", "role_could_buy")


def open_handoff(
    *,
    lead: Lead,
    agreement_version: int | None,
    score: int,
    explanation: dict,
    actor=None,
    now=None,
) -> Handoff:
    """Queue one lead that has just become an MQL: `open_handoffs` for a batch of one, so a
    single lead takes the very path a rescoring run takes. Calling it again while the handoff
    is open returns the same handoff."""
    (handoff,) = open_handoffs(
        leads=[lead],
        agreement_version=agreement_version,
        explanations={lead.pk: explanation},
        scores={lead.pk: score},
        actor=actor,
        now=now,
    )
    return handoff


def open_handoffs(
    *,
    leads: list[Lead],
    agreement_version: int | None,
    explanations: dict[int, dict],
    scores: dict[int, int] | None = None,
    actor=None,
    now=None,
) -> list[Handoff]:
    """Queue leads that have just become MQLs, in one transaction; call it inside the
    transaction of their moves. The leads are locked in id order (so the check that each is an
    MQL, and the one open handoff per lead, hold against anyone opening at the same time), the
    handoffs, clocks and events are written one statement each, then the handoffs are assigned
    in turn (so round-robin stays as fair as one at a time).

    `explanations` holds each lead's score explanation, whose total is its score unless
    `scores` says otherwise; a lead with an open handoff keeps it. Returns the handoffs in the
    order of the locked leads.
    """
    now = now or timezone.now()
    scores = scores or {}
    with transaction.atomic():
        locked = list(
            Lead.objects.select_for_update()
            .filter(pk__in=[lead.pk for lead in leads])
            .order_by("pk")
        )
        if len(locked) != len({lead.pk for lead in leads}) or any(
            lead.stage != Stage.MQL for lead in locked
        ):
            raise ApplicationError(_("Only an MQL can enter the queue."))
        existing = {
            handoff.lead_id: handoff
            for handoff in Handoff.objects.filter(lead__in=locked, outcome=Outcome.OPEN)
        }
        teams = teams_for_channels({lead.channel_id for lead in locked})
        new = [
            Handoff(
                lead=lead,
                agreement_version=agreement_version,
                score=scores.get(lead.pk, explanations[lead.pk].get("total", 0)),
                explanation=explanations[lead.pk],
                team=teams[lead.channel_id],
                created_at=now,
                # Replaced by the accept-or-return clock's due time as the clocks are planned.
                sla_due_at=now,
            )
            for lead in locked
            if lead.pk not in existing
        ]
        clocks = sla_services.plan_opening_clocks(handoffs=new, now=now)
        Handoff.objects.bulk_create(new)
        Clock.objects.bulk_create(clocks)
        HandoffEvent.objects.bulk_create(
            HandoffEvent(
                lead_id=handoff.lead_id,
                handoff=handoff,
                kind=EventKind.OPENED,
                actor=actor,
                data={"score": handoff.score, "agreement_version": agreement_version},
                created_at=now,
            )
            for handoff in new
        )
        assign_new_handoffs(handoffs=new, now=now)
    opened = {handoff.lead_id: handoff for handoff in new}
    return [existing.get(lead.pk) or opened[lead.pk] for lead in locked]


def lock_handoff(handoff: Handoff) -> Handoff:
    """The handoff's row, locked. Its assignee (whom a 409 names) and lead are read when first
    needed, after the lock, rather than joined into the locking query: after waiting for a
    concurrent writer, PostgreSQL hands back the locked row as written but a joined assignee as
    it was before, and the 409 would name nobody (or the wrong rep)."""
    return Handoff.objects.select_for_update().get(pk=handoff.pk)


def _locked(handoff: Handoff) -> Handoff:
    locked = lock_handoff(handoff)
    if locked.outcome != Outcome.OPEN:
        raise someone_has_it(locked)
    return locked


def _take(handoff: Handoff, user, now) -> None:
    """Working a pooled lead makes it yours."""
    if handoff.assignee_id is None:
        handoff.assignee, handoff.claimed_at = user, now
    elif handoff.claimed_at is None and handoff.assignee_id == user.pk:
        handoff.claimed_at = now


def _event(handoff: Handoff, kind: str, user, now, **fields) -> HandoffEvent:
    return HandoffEvent.objects.create(
        lead_id=handoff.lead_id, handoff=handoff, kind=kind, actor=user, created_at=now, **fields
    )


def claim_handoff(*, handoff: Handoff, user, now=None) -> Handoff:
    """Take a lead from the pool: a conditional update, so exactly one of two claims wins."""
    now = now or timezone.now()
    require(user, "queue.work", _("Only sales development reps and managers work the queue."))
    if not may(user, "queue.work_any") and not is_team_member(user, handoff.team_id):
        raise PermissionDenied(_("This lead is in another team's pool."))
    with transaction.atomic():
        taken = Handoff.objects.filter(
            pk=handoff.pk, outcome=Outcome.OPEN, assignee__isnull=True
        ).update(assignee=user, claimed_at=now)
        current = Handoff.objects.select_related("assignee", "lead").get(pk=handoff.pk)
        if taken != 1:
            if current.is_open and current.assignee_id == user.pk:
                return current
            raise someone_has_it(current)
        _event(current, EventKind.CLAIMED, user, now)
    return current


def log_first_touch(*, handoff: Handoff, user, channel: str, note: str = "", now=None) -> Handoff:
    now = now or timezone.now()
    if channel not in FirstTouchChannel.values:
        message = _("Choose how you reached them: call, email, social or meeting.")
        raise ApplicationError(message, extra={"channel": [message]})
    with transaction.atomic():
        locked = _locked(handoff)
        check_may_work(locked, user)
        _take(locked, user, now)
        locked.first_touch_at = locked.first_touch_at or now
        locked.save(update_fields=["assignee", "claimed_at", "first_touch_at"])
        sla_services.stop_clock(handoff=locked, step=Step.FIRST_TOUCH, now=now)
        _event(locked, EventKind.FIRST_TOUCH, user, now, channel=channel, note=note.strip())
    return locked


def reassign_handoff(*, handoff: Handoff, to_user, user, now=None) -> Handoff:
    """A manager moves an open handoff to another rep (or back to the pool with None)."""
    now = now or timezone.now()
    require(user, "queue.reassign", _("Only managers reassign leads."))
    if to_user is not None and not may(to_user, "queue.take_leads"):
        message = _("Leads go to sales development reps.")
        raise ApplicationError(message, extra={"assignee": [message]})
    with transaction.atomic():
        locked = _locked(handoff)
        if to_user is None:
            locked.assignee, locked.claimed_at = None, None
            locked.save(update_fields=["assignee", "claimed_at"])
            _event(locked, EventKind.REASSIGNED, user, now, data={"assignee": None})
        elif to_user.pk != locked.assignee_id:
            give_to(handoff=locked, user=to_user, actor=user, now=now)
    return locked
