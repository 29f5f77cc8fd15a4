"""The queue's actions: open a handoff at MQL, claim, first touch, accept into SAL, return.

Each action locks the handoff (or claims it with a conditional update), so two reps acting at
once cannot both win; the loser gets a ConflictError naming who has the lead.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_q.tasks import async_task

from accounts.roles import Role, has_role
from core.errors import ApplicationError, PermissionDenied
from handoff.access import (
    check_may_handle_lead,
    check_may_work,
    display_name,
    is_manager,
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
    ReturnReason,
)
from leads.lifecycle import move_stage
from leads.models import Lead, LeadStatus, Stage
from notifications.models import NotificationKind
from notifications.services import notify_many
from sla import services as sla_services
from sla.models import Clock, Step
from webhooks.models import Event
from webhooks.services import emit

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


def _locked(handoff: Handoff) -> Handoff:
    """The handoff's row, locked, with its assignee (whom a 409 names) in the same query."""
    locked = (
        Handoff.objects.select_for_update(of=("self",))
        .select_related("assignee")
        .get(pk=handoff.pk)
    )
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


def _free_capacity_later(handoff: Handoff) -> None:
    """A rep cleared work: pooled leads of the team may now flow to someone with room."""
    if handoff.team_id is not None:
        team_id = handoff.team_id
        transaction.on_commit(lambda: async_task("handoff.tasks.assign_waiting_handoffs", team_id))


def claim_handoff(*, handoff: Handoff, user, now=None) -> Handoff:
    """Take a lead from the pool: a conditional update, so exactly one of two claims wins."""
    now = now or timezone.now()
    if not (is_manager(user) or has_role(user, Role.SDR)):
        raise PermissionDenied(_("Only sales development reps and managers work the queue."))
    if not is_manager(user) and not is_team_member(user, handoff.team_id):
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


def accept_handoff(*, handoff: Handoff, user, checklist: dict, now=None) -> Handoff:
    """Accept into SAL; all three acceptance checks must be ticked."""
    now = now or timezone.now()
    unchecked = [check for check in ACCEPTANCE_CHECKS if checklist.get(check) is not True]
    if unchecked:
        message = _("Tick all three checks to accept this lead.")
        raise ApplicationError(message, extra={check: [message] for check in unchecked})
    with transaction.atomic():
        locked = _locked(handoff)
        check_may_work(locked, user)
        # The moved lead serves the SLA facts and the webhook below without reading it again.
        locked.lead, _change = move_stage(
            locked.lead_id,
            Stage.SAL,
            expected_from=Stage.MQL,
            actor=user,
            reason=_("Accepted from the queue"),
            context={"handoff": locked.pk},
        )
        _take(locked, user, now)
        locked.outcome, locked.accepted_at = Outcome.ACCEPTED, now
        locked.save(update_fields=["assignee", "claimed_at", "outcome", "accepted_at"])
        sla_services.decide_clocks(handoff=locked, now=now, accepted=True)
        Lead.objects.filter(pk=locked.lead_id).update(owner_id=locked.assignee_id, updated_at=now)
        _event(locked, EventKind.ACCEPTED, user, now, data={"checklist": list(ACCEPTANCE_CHECKS)})
        emit(Event.HANDOFF_ACCEPTED, lead=locked.lead, data={"handoff": locked.pk})
        _free_capacity_later(locked)
    return locked


def return_handoff(*, handoff: Handoff, user, reason: str, note: str = "", now=None) -> Handoff:
    """Hand the lead back to marketing with a reason: it moves to recycled."""
    now = now or timezone.now()
    return_reason, note = clean_return(reason, note)
    with transaction.atomic():
        locked = _locked(handoff)
        check_may_work(locked, user)
        lead, _change = move_stage(
            locked.lead_id,
            Stage.RECYCLED,
            expected_from=Stage.MQL,
            actor=user,
            reason=f"{return_reason.label}: {note}" if note else return_reason.label,
            context={"handoff": locked.pk, "return_reason": return_reason.code},
        )
        _take(locked, user, now)
        locked.outcome, locked.returned_at = Outcome.RETURNED, now
        locked.return_reason, locked.return_note = return_reason, note
        locked.save(
            update_fields=[
                "assignee",
                "claimed_at",
                "outcome",
                "returned_at",
                "return_reason",
                "return_note",
            ]
        )
        sla_services.decide_clocks(handoff=locked, now=now, accepted=False)
        _event(
            locked, EventKind.RETURNED, user, now, note=note, data={"reason": return_reason.code}
        )
        emit(
            Event.HANDOFF_RETURNED,
            lead=lead,
            data={"handoff": locked.pk, "reason": return_reason.code, "note": note},
        )
        notify_many(
            users=marketers(),
            kind=NotificationKind.LEAD_RETURNED,
            text=_("%(rep)s returned %(lead)s: %(reason)s")
            % {"rep": display_name(user), "lead": lead, "reason": return_reason.label},
            url=reverse("leads:detail", args=[lead.pk]),
        )
        _free_capacity_later(locked)
    return locked


def clean_return(reason: str, note: str) -> tuple[ReturnReason, str]:
    """The active reason for `reason` and the trimmed note, or field errors."""
    note = (note or "").strip()
    return_reason = ReturnReason.objects.filter(code=reason, is_active=True).first()
    if return_reason is None:
        message = _("Choose one of the return reasons.")
        raise ApplicationError(message, extra={"reason": [message]})
    if return_reason.code == "other" and not note:
        message = _("Say why in the note when the reason is “other”.")
        raise ApplicationError(message, extra={"note": [message]})
    return return_reason, note


def marketers():
    return get_user_model().objects.filter(groups__name=Role.MARKETER, is_active=True).distinct()


def reassign_handoff(*, handoff: Handoff, to_user, user, now=None) -> Handoff:
    """A manager moves an open handoff to another rep (or back to the pool with None)."""
    now = now or timezone.now()
    if not is_manager(user):
        raise PermissionDenied(_("Only managers reassign leads."))
    if to_user is not None and not has_role(to_user, Role.SDR):
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


def set_lead_status(*, lead: Lead, user, status: str, now=None) -> Lead:
    now = now or timezone.now()
    if status not in LeadStatus.values:
        message = _("Choose one of the lead statuses.")
        raise ApplicationError(message, extra={"status": [message]})
    check_may_handle_lead(lead, user)
    with transaction.atomic():
        locked = Lead.objects.select_for_update().get(pk=lead.pk)
        if locked.status == status:
            return locked
        previous = locked.status
        Lead.objects.filter(pk=locked.pk).update(status=status, updated_at=now)
        locked.status = status
        HandoffEvent.objects.create(
            lead=locked,
            handoff=locked.handoffs.filter(outcome=Outcome.OPEN).first(),
            kind=EventKind.STATUS_CHANGED,
            actor=user,
            data={"from": previous, "to": status},
            created_at=now,
        )
    return locked
