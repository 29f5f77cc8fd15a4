"""The one door for stage moves: nothing else writes `Lead.stage`.

Every move is checked against ALLOWED_MOVES, made on a locked row, and written together with its
StageChange audit row (and the lead's funnel passes) in one transaction, so two people moving the
same lead cannot both win.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ApplicationError, ConflictError
from leads.models import Lead, Stage, StageChange
from leads.passes import refresh_passes

S = Stage
ALLOWED_MOVES: dict[str, frozenset[str]] = {
    S.SUBSCRIBER: frozenset({S.LEAD, S.MQL, S.DISQUALIFIED}),
    S.LEAD: frozenset({S.MQL, S.DISQUALIFIED}),
    S.MQL: frozenset({S.SAL, S.RECYCLED, S.DISQUALIFIED}),
    S.SAL: frozenset({S.SQL, S.RECYCLED, S.DISQUALIFIED}),
    S.SQL: frozenset({S.OPPORTUNITY, S.RECYCLED, S.DISQUALIFIED}),
    S.OPPORTUNITY: frozenset({S.CUSTOMER, S.RECYCLED}),
    S.CUSTOMER: frozenset(),
    # A returned lead goes back to nurture and may qualify again.
    S.RECYCLED: frozenset({S.MQL, S.DISQUALIFIED}),
    # A person may reinstate a lead that was disqualified by mistake.
    S.DISQUALIFIED: frozenset({S.LEAD}),
}

# The order of the funnel, for "is this lead before MQL?" questions.
FUNNEL_ORDER = [S.SUBSCRIBER, S.LEAD, S.MQL, S.SAL, S.SQL, S.OPPORTUNITY, S.CUSTOMER]


class ForbiddenMove(ApplicationError):
    pass


class StaleMove(ConflictError):
    pass


def is_allowed(from_stage: str, to_stage: str) -> bool:
    return to_stage in ALLOWED_MOVES.get(from_stage, frozenset())


def check_allowed(lead: Lead, to_stage: str) -> None:
    if not is_allowed(lead.stage, to_stage):
        raise ForbiddenMove(
            _("A lead cannot move from %(from)s to %(to)s.")
            % {"from": Stage(lead.stage).label, "to": Stage(to_stage).label},
            extra={"current_stage": lead.stage},
        )


def stale_move(lead: Lead, expected_from: str) -> StaleMove:
    """The 409 for a move asked of a lead that is no longer where the caller saw it."""
    return StaleMove(
        _("This lead is already %(current)s, not %(expected)s: someone moved it first.")
        % {"current": Stage(lead.stage).label, "expected": Stage(expected_from).label},
        extra={"current_stage": lead.stage},
    )


def is_before(stage: str, other: str) -> bool:
    """True when `stage` comes earlier in the funnel than `other` (side stages are never before)."""
    if stage not in FUNNEL_ORDER or other not in FUNNEL_ORDER:
        return False
    return FUNNEL_ORDER.index(stage) < FUNNEL_ORDER.index(other)


def move_stage(
    lead_id: int,
    to_stage: str,
    *,
    expected_from: str | None = None,
    actor=None,
    reason: str = "",
    context: dict | None = None,
) -> tuple[Lead, StageChange]:
    """Move a lead to `to_stage` and record why.

    `expected_from` is the stage the caller saw; if the lead has moved since, the move is refused
    as stale instead of silently applied to a lead in another state.
    """
    with transaction.atomic():
        lead = Lead.objects.select_for_update().filter(pk=lead_id).first()
        if lead is None:
            raise ApplicationError(_("This lead no longer exists."))
        change = move_locked(
            lead, to_stage, expected_from=expected_from, actor=actor, reason=reason, context=context
        )
    return lead, change


def move_locked(
    lead: Lead,
    to_stage: str,
    *,
    expected_from: str | None = None,
    actor=None,
    reason: str = "",
    context: dict | None = None,
    also: dict | None = None,
) -> StageChange:
    """`move_stage` for a lead the caller has already locked in its open transaction (the
    handoff's outcome locks the handoff and its lead in one statement). `also` sets more of the
    lead's fields in the same UPDATE (accepting makes the rep the owner). Three queries: the
    change, the lead, its passes."""
    if expected_from is not None and lead.stage != expected_from:
        raise stale_move(lead, expected_from)
    check_allowed(lead, to_stage)
    change = StageChange.objects.create(
        lead=lead,
        from_stage=lead.stage,
        to_stage=to_stage,
        actor=actor,
        reason=reason,
        context=context or {},
    )
    also = also or {}
    for name, value in also.items():
        setattr(lead, name, value)
    lead.stage = to_stage
    lead.stage_changed_at = timezone.now()
    lead.save(update_fields=["stage", "stage_changed_at", "updated_at", *also])
    refresh_passes([lead.pk])
    return change


@dataclass(frozen=True)
class PlannedMove:
    """One lead of a batch move: the stage the caller saw, and why it moves."""

    lead_id: int
    expected_from: str
    reason: str = ""
    context: dict = field(default_factory=dict)


def move_stages(
    moves: Sequence[PlannedMove], to_stage: str, *, actor=None
) -> tuple[list[Lead], list[int]]:
    """Move many leads to `to_stage` in one transaction: the batch twin of `move_stage`.

    The rows are locked in id order (so two batches cannot deadlock); a lead that has moved
    since it was seen, or no longer exists, is left alone and returned among the stale ids
    instead of failing the others. A move the table forbids fails the whole batch.
    Returns the moved leads (as now stored) and the stale lead ids.
    """
    planned = {move.lead_id: move for move in moves}
    with transaction.atomic():
        locked = list(Lead.objects.select_for_update().filter(pk__in=planned).order_by("pk"))
        moving = [lead for lead in locked if lead.stage == planned[lead.pk].expected_from]
        for lead in moving:
            check_allowed(lead, to_stage)
        moved_ids = {lead.pk for lead in moving}
        stale = sorted(planned.keys() - moved_ids)
        if not moving:
            return [], stale
        StageChange.objects.bulk_create(
            StageChange(
                lead=lead,
                from_stage=lead.stage,
                to_stage=to_stage,
                actor=actor,
                reason=planned[lead.pk].reason,
                context=planned[lead.pk].context,
            )
            for lead in moving
        )
        now = timezone.now()
        Lead.objects.filter(pk__in=moved_ids).update(
            stage=to_stage, stage_changed_at=now, updated_at=now
        )
        refresh_passes(moved_ids)
        for lead in moving:
            lead.stage, lead.stage_changed_at, lead.updated_at = to_stage, now, now
    return moving, stale
