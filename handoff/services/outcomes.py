"""The one door for a handoff's outcome: accept into SAL, return to marketing (from the queue or
after accepting), disqualify (from the queue or after accepting), and an SLA breach's escalation
back to the pool.

`decide` looks the transition up in TRANSITIONS, checks the input and who may make it, locks the
handoff, moves the lead (leads.lifecycle.move_stage), writes the outcome and its HandoffEvent,
stops the SLA clocks (accepting starts the SQL decision clock) and tells webhooks and people,
all in one transaction: of two people deciding one handoff exactly one wins, the other gets a
409 naming what became of it, and a refusal writes nothing.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.people import person_name
from accounts.roles import Role
from core.errors import ApplicationError, ConflictError
from core.jobs import prompt_after_commit
from handoff.access import check_may, check_may_decide, someone_has_it
from handoff.assignment import assign_handoff
from handoff.models import EventKind, Handoff, HandoffEvent, Outcome, ReasonKind, ReturnReason
from handoff.services.handoffs import ACCEPTANCE_CHECKS, lock_handoff
from leads import hooks as leads_hooks
from leads.lifecycle import move_locked, move_stage, stale_move
from leads.models import Lead, Stage
from notifications.models import NotificationKind
from notifications.services import notify_many
from notifications.wording import Label
from sla import services as sla_services
from sla.models import Step
from sla.services import calendar_stamp, hot_request
from webhooks.models import Event
from webhooks.services import emit

ACCEPT, RETURN, DISQUALIFY, ESCALATE = "accept", "return", "disqualify", "escalate"


@dataclass(frozen=True)
class Transition:
    """One way a handoff's outcome changes, and everything that goes with it."""

    decision: str
    # The handoff's outcome and the lead's stage it starts from.
    from_outcome: str
    from_stage: str
    to_outcome: str
    # None: the lead stays where it is.
    to_stage: str | None
    event: str
    # Who may: a capability first (refused with `refusal`), then the handoff's own rule
    # (access.check_may_decide). None: only Accord (the SLA scan) makes it.
    capability: str | None
    refusal: str = ""
    # The kind of reason it needs (None: no reason), and the handoff field its time goes to.
    reason_kind: str | None = None
    stamp: str | None = None
    webhook: str | None = None
    # Whether marketing is told (a "lead returned" notification, worded in notifications/).
    notice: bool = False


OPEN, ACCEPTED = Outcome.OPEN, Outcome.ACCEPTED
WORK_THE_QUEUE = gettext_lazy("Only sales development reps and managers work the queue.")
TRANSITIONS: dict[tuple[str, str], Transition] = {
    (t.decision, t.from_stage): t
    for t in [
        Transition(
            ACCEPT,
            OPEN,
            Stage.MQL,
            ACCEPTED,
            Stage.SAL,
            EventKind.ACCEPTED,
            "queue.work",
            WORK_THE_QUEUE,
            stamp="accepted_at",
            webhook=Event.HANDOFF_ACCEPTED,
        ),
        Transition(
            RETURN,
            OPEN,
            Stage.MQL,
            Outcome.RETURNED,
            Stage.RECYCLED,
            EventKind.RETURNED,
            "queue.work",
            WORK_THE_QUEUE,
            reason_kind=ReasonKind.RETURN,
            stamp="returned_at",
            webhook=Event.HANDOFF_RETURNED,
            notice=True,
        ),
        # The SAL-to-SQL decision's other answer; the accepted handoff records the return, so
        # the returns report and the funnel count it like a return from the queue.
        Transition(
            RETURN,
            ACCEPTED,
            Stage.SAL,
            Outcome.RETURNED,
            Stage.RECYCLED,
            EventKind.RETURNED,
            "handoff.qualify",
            gettext_lazy("Sales development reps and managers return leads."),
            reason_kind=ReasonKind.RETURN,
            stamp="returned_at",
            webhook=Event.HANDOFF_RETURNED,
            notice=True,
        ),
        # A person's decision that the lead never should have been one (a hard negative in the
        # agreement only keeps a lead out of MQL). No webhook event exists for it yet.
        *(
            Transition(
                DISQUALIFY,
                from_outcome,
                from_stage,
                Outcome.DISQUALIFIED,
                Stage.DISQUALIFIED,
                EventKind.DISQUALIFIED,
                "leads.disqualify",
                gettext_lazy("Sales development reps and managers disqualify leads."),
                reason_kind=ReasonKind.DISQUALIFY,
                stamp="disqualified_at",
            )
            for from_outcome, from_stage in ((OPEN, Stage.MQL), (ACCEPTED, Stage.SAL))
        ),
        # A breach takes the lead from the rep who sat on it; it stays open and in MQL.
        Transition(ESCALATE, OPEN, Stage.MQL, OPEN, None, EventKind.REASSIGNED, None),
    ]
}
NO_REASON = {
    ReasonKind.RETURN: gettext_lazy("Choose one of the return reasons."),
    ReasonKind.DISQUALIFY: gettext_lazy("Choose one of the disqualification reasons."),
}


def transition_for(decision: str, expected_from: str) -> Transition:
    transition = TRANSITIONS.get((decision, expected_from))
    if transition is None:
        raise ConflictError(
            _("A lead in %(stage)s cannot be decided this way.")
            % {"stage": Stage(expected_from).label},
            extra={"current_stage": expected_from},
        )
    return transition


def clean_reason(kind: str, reason: str, note: str) -> tuple[ReturnReason, str]:
    """The active reason of `kind` with the code `reason`, and the trimmed note; or field errors."""
    note = (note or "").strip()
    chosen = ReturnReason.objects.filter(kind=kind, code=reason, is_active=True).first()
    if chosen is None:
        message = str(NO_REASON[kind])
        raise ApplicationError(message, extra={"reason": [message]})
    if chosen.code == "other" and not note:
        message = _("Say why in the note when the reason is “other”.")
        raise ApplicationError(message, extra={"note": [message]})
    return chosen, note


def clean_checklist(checklist: dict) -> None:
    unchecked = [check for check in ACCEPTANCE_CHECKS if checklist.get(check) is not True]
    if unchecked:
        message = _("Tick all three checks to accept this lead.")
        raise ApplicationError(message, extra={check: [message] for check in unchecked})


def decide(
    *,
    handoff: Handoff,
    decision: str,
    user,
    expected_from: str = Stage.MQL,
    reason: str = "",
    note: str = "",
    checklist: dict | None = None,
    now=None,
) -> Handoff:
    """Make `decision` on the handoff of a lead the caller saw in `expected_from`.

    Written set-based, each row once: the reason, one lock on the handoff and its lead (with
    the policies' facts), the access rule's reads (none once the user's teams are cached), the
    handoff's row, the stage move with the lead's other changes (leads.lifecycle.move_locked:
    the change, the lead, its passes), the clocks (locked, the calendar, one UPDATE; accepting
    adds the policies and one insert), the event, then the webhook and notification rows.
    """
    now = now or timezone.now()
    transition = transition_for(decision, expected_from)
    if transition.capability is not None:
        check_may(user, transition.capability, transition.refusal)
    if decision == ACCEPT:
        clean_checklist(checklist or {})
    chosen, note = (
        clean_reason(transition.reason_kind, reason, note) if transition.reason_kind else (None, "")
    )
    with transaction.atomic():
        locked = _locked(handoff, transition)
        if transition.capability is not None:
            check_may_decide(locked, user)
        previous_assignee = locked.assignee_id
        if user is not None and locked.assignee_id == user.pk:
            locked.assignee = user  # the answer names them without reading them again
        _write(locked, transition, user, chosen, note, now)
        if transition.to_stage is not None:
            move_locked(
                locked.lead,
                transition.to_stage,
                expected_from=transition.from_stage,
                actor=user,
                reason=_stage_reason(chosen, note),
                context=_stage_context(locked, chosen),
                # Accepting makes the rep the lead's owner, in the same UPDATE.
                also={"owner_id": locked.assignee_id} if decision == ACCEPT else None,
            )
        _stop_clocks(locked, transition, now)
        HandoffEvent.objects.create(
            lead_id=locked.lead_id,
            handoff=locked,
            kind=transition.event,
            actor=user,
            note=note,
            data=_event_data(transition, chosen, previous_assignee),
            created_at=now,
        )
        _tell(locked, transition, user, chosen, note)
        if transition.from_outcome == OPEN and transition.to_outcome != OPEN:
            _free_capacity_later(locked)
        if decision == ESCALATE:
            assign_handoff(handoff=locked, now=now)
    return locked


def _locked(handoff: Handoff, transition: Transition) -> Handoff:
    """The handoff's row and its lead's, locked in one statement, with what the SLA policies
    need (the channel, whether the lead asked to be contacted, when the team's calendar last
    changed); a 409 unless it is where the transition starts.

    Only rows that are locked are joined: after waiting for a concurrent writer, PostgreSQL hands
    back each locked row as written, but an unlocked joined one (the assignee a 409 names) as it
    was before, so the assignee is read after the lock, when needed. The channel and the team,
    joined unlocked, give a kind and a name, which a decision does not change."""
    locked = (
        Handoff.objects.select_for_update(of=("self", "lead"))
        .select_related("lead", "lead__channel", "team")
        .annotate(has_request=hot_request("lead_id"), calendar_stamp=calendar_stamp("team_id"))
        .get(pk=handoff.pk)
    )
    if locked.outcome != transition.from_outcome:
        if locked.is_open:  # the lead never got as far as the caller thinks
            raise stale_move(locked.lead, transition.from_stage)
        raise someone_has_it(locked)
    return locked


def _stage_reason(chosen: ReturnReason | None, note: str) -> str:
    if chosen is None:
        return _("Accepted from the queue")
    return f"{chosen.label}: {note}" if note else chosen.label


def _stage_context(handoff: Handoff, chosen) -> dict:
    context = {"handoff": handoff.pk}
    if chosen is not None:
        # leads.passes and the funnel count a move to recycled with a return reason as a return.
        context[f"{chosen.kind}_reason"] = chosen.code
    return context


def _write(locked: Handoff, transition: Transition, user, chosen, note: str, now) -> None:
    fields = ["outcome"]
    if transition.decision == ESCALATE:
        locked.assignee, locked.claimed_at = None, None
        fields += ["assignee", "claimed_at"]
    elif transition.from_outcome == OPEN and locked.assignee_id is None:
        # Deciding a pooled lead makes it yours.
        locked.assignee, locked.claimed_at = user, now
        fields += ["assignee", "claimed_at"]
    elif (
        transition.from_outcome == OPEN
        and locked.claimed_at is None
        and locked.assignee_id == user.pk
    ):
        locked.claimed_at = now
        fields += ["claimed_at"]
    if transition.stamp:
        setattr(locked, transition.stamp, now)
        fields.append(transition.stamp)
    if chosen is not None:
        locked.return_reason, locked.return_note = chosen, note
        fields += ["return_reason", "return_note"]
    locked.outcome = transition.to_outcome
    locked.save(update_fields=fields)


def _stop_clocks(locked: Handoff, transition: Transition, now) -> None:
    if transition.from_outcome == OPEN and transition.to_outcome != OPEN:
        # Both opening clocks stop; accepting starts the SQL decision clock.
        sla_services.decide_clocks(
            handoff=locked, now=now, accepted=transition.to_outcome == ACCEPTED
        )
    elif transition.from_outcome == ACCEPTED:
        sla_services.stop_clock(handoff=locked, step=Step.SQL_DECISION, now=now)


def _event_data(transition: Transition, chosen, previous_assignee) -> dict:
    if transition.decision == ACCEPT:
        return {"checklist": list(ACCEPTANCE_CHECKS)}
    if transition.decision == ESCALATE:
        return {"assignee": None, "previous": previous_assignee, "why": "sla_breach"}
    data = {"reason": chosen.code}
    if transition.from_stage != Stage.MQL:
        data["from_stage"] = transition.from_stage
    return data


def _tell(locked: Handoff, transition: Transition, user, chosen, note: str) -> None:
    lead = locked.lead
    if transition.webhook:
        data = {"handoff": locked.pk}
        if chosen is not None:
            data.update(reason=chosen.code, note=note)
        if transition.from_stage != Stage.MQL:
            data["from_stage"] = transition.from_stage
        emit(transition.webhook, lead=lead, data=data)
    if transition.notice:
        notify_many(
            users=marketers(),
            kind=NotificationKind.LEAD_RETURNED,
            params={
                "rep": person_name(user),
                "lead": lead,
                "reason": Label(chosen.label, chosen.labels),
                "after_accepting": transition.from_outcome == ACCEPTED,
            },
            url=reverse("leads:detail", args=[lead.pk]),
        )


def _free_capacity_later(handoff: Handoff) -> None:
    """A rep cleared work: pooled leads of the team may now flow to someone with room."""
    if handoff.team_id is not None:
        prompt_after_commit("handoff.tasks.assign_waiting_handoffs", handoff.team_id)


def marketers():
    return get_user_model().objects.filter(groups__name=Role.MARKETER, is_active=True).distinct()


def accept_handoff(*, handoff: Handoff, user, checklist: dict, now=None) -> Handoff:
    """Accept into SAL; all three acceptance checks must be ticked. The rep becomes the owner."""
    return decide(handoff=handoff, decision=ACCEPT, user=user, checklist=checklist, now=now)


def return_handoff(
    *,
    handoff: Handoff,
    user,
    reason: str,
    note: str = "",
    expected_from: str = Stage.MQL,
    now=None,
) -> Handoff:
    """Hand the lead back to marketing with a reason: it moves to recycled. From the queue (an
    MQL) or, after accepting it, as the SAL-to-SQL decision's other answer (a SAL)."""
    return decide(
        handoff=handoff,
        decision=RETURN,
        user=user,
        expected_from=expected_from,
        reason=reason,
        note=note,
        now=now,
    )


def disqualify_handoff(
    *,
    handoff: Handoff,
    user,
    reason: str,
    note: str = "",
    expected_from: str = Stage.MQL,
    now=None,
) -> Handoff:
    """A rep who may work the handoff (or a manager) rules the lead out with a reason: an MQL
    from the queue, or a SAL. It leaves the queue, its clocks stop, and only a manager brings it
    back (`reinstate_lead`)."""
    return decide(
        handoff=handoff,
        decision=DISQUALIFY,
        user=user,
        expected_from=expected_from,
        reason=reason,
        note=note,
        now=now,
    )


def return_to_pool(*, handoff: Handoff, now) -> None:
    """An SLA breach takes the lead from the rep who sat on it and runs the team's assignment
    again (called by the SLA scan through `sla.hooks.return_to_pool`). A handoff decided or put
    back in the pool since the scan read it is left as it is."""
    with transaction.atomic():
        current = lock_handoff(handoff)
        if current.is_open and current.assignee_id is not None:
            decide(handoff=current, decision=ESCALATE, user=None, now=now)


def lead_handoff(lead: Lead) -> Handoff:
    """The lead's latest pass through the queue: the handoff a decision on the lead page is
    about."""
    handoff = lead.handoffs.order_by("-created_at", "-id").first()
    if handoff is None:
        raise ConflictError(_("This lead has not been through the queue."))
    return handoff


def reinstate_lead(*, lead: Lead, user, note: str = "", now=None) -> Lead:
    """A manager takes back a disqualification made by mistake.

    The lead goes back to `lead`, not to the stage it was disqualified from, and is rescored at
    once under the published agreement: if it still qualifies it is an MQL again and enters the
    queue as a new pass with fresh clocks, as a requalifying lead does. This is what seasoned
    CRM users expect of "un-disqualify" (the record reopens as an open lead; no old pipeline
    stage is resurrected): the disqualified handoff stays on record with its reason, the funnel
    counts the new pass from its new MQL entry, and the agreement in force, not memory of where
    the lead was, decides whether it is an MQL. A SAL put back straight into SAL would skip both
    the agreement and the rep's acceptance checks.
    """
    now = now or timezone.now()
    check_may(user, "leads.reinstate", _("Only managers reinstate disqualified leads."))
    note = (note or "").strip()
    with transaction.atomic():
        handoff = (
            lead.handoffs.select_for_update()
            .filter(outcome=Outcome.DISQUALIFIED)
            .order_by("-created_at", "-id")
            .first()
        )
        moved, _change = move_stage(
            lead.pk,
            Stage.LEAD,
            expected_from=Stage.DISQUALIFIED,
            actor=user,
            reason=note or _("Reinstated by a manager"),
            context={"handoff": handoff.pk if handoff else None, "reinstated": True},
        )
        HandoffEvent.objects.create(
            lead=moved,
            handoff=handoff,
            kind=EventKind.REINSTATED,
            actor=user,
            note=note,
            data={"to_stage": Stage.LEAD},
            created_at=now,
        )
    leads_hooks.leads_changed(lead_ids=[lead.pk], now=now)
    return Lead.objects.select_related("channel").get(pk=lead.pk)
