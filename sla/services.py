"""SLA clocks: started when a handoff opens, stopped when its step happens, advanced by a scan.

Escalation is claimed with a conditional update on `escalated_at` inside the same transaction as
its effects (the notification row, the return to the pool). A crash part-way rolls the claim back
with them and the next scan retries, while a concurrent scan finds the claim taken: each breach is
escalated at least once and never twice. The e-mail and the `sla.breached` webhook leave after
the commit, through their own idempotent tasks.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy

from leads.models import Activity, ActivityKind, Channel
from notifications.models import NotificationKind
from notifications.services import notify, notify_each
from sla import hooks
from sla.business_time import (
    CALENDAR_TIME,
    BusinessCalendar,
    add_business_minutes,
    business_minutes_between,
)
from sla.calendars import built_calendar, calendar_for_team, calendars_for_teams
from sla.models import RUNNING_STATES, Clock, ClockState, Counting, SlaPolicy, Step, TeamCalendar
from sla.policies import HandoffFacts, TimedHandoff, choose_policy
from webhooks.models import Event
from webhooks.services import emit

logger = logging.getLogger(__name__)

# The clocks a handoff starts with when it enters the queue.
OPENING_STEPS = (Step.FIRST_TOUCH, Step.ACCEPT_OR_RETURN)
HOT_REQUESTS = (ActivityKind.CONTACT_REQUEST, ActivityKind.DEMO_REQUEST)
# A scan escalates at most this many breaches; the rest wait a minute for the next scan.
ESCALATION_BATCH = 500


def calendar_for(counting: str, team_id: int | None) -> BusinessCalendar:
    if counting == Counting.CALENDAR:
        return CALENDAR_TIME
    return calendar_for_team(team_id)


def calendar_stamp(team_ref: str = "team_id") -> Subquery:
    """The team calendar's `updated_at`, as an annotation: a handoff read with it as
    `calendar_stamp` (the outcome's lock) finds its built calendar without another query."""
    return Subquery(
        TeamCalendar.objects.filter(team_id=OuterRef(team_ref)).values("updated_at")[:1]
    )


def _handoff_calendar(handoff: TimedHandoff, counting: str) -> BusinessCalendar:
    if counting != Counting.CALENDAR and hasattr(handoff, "calendar_stamp"):
        built = built_calendar(handoff.team_id, handoff.calendar_stamp)
        if built is not None:
            return built
    return calendar_for(counting, handoff.team_id)


def hot_request(lead_ref: str = "lead_id") -> Exists:
    """Whether the lead asked to be contacted, as an annotation: a caller that reads the handoff
    anyway (the outcome's lock) names it `has_request`, and `handoff_facts` asks no more."""
    return Exists(Activity.objects.filter(lead_id=OuterRef(lead_ref), kind__in=HOT_REQUESTS))


def handoff_facts(handoff: TimedHandoff) -> HandoffFacts:
    """What a policy may be narrowed by. The channel is read unless the lead came with it, the
    request unless the handoff was read with `hot_request()` as `has_request`."""
    lead = handoff.lead
    has_request = getattr(handoff, "has_request", None)
    if has_request is None:
        has_request = Activity.objects.filter(lead_id=lead.pk, kind__in=HOT_REQUESTS).exists()
    return HandoffFacts(
        channel_id=lead.channel_id,
        channel_kind=lead.channel.kind if lead.channel_id else "",
        score=handoff.score,
        team_id=handoff.team_id,
        has_request=has_request,
    )


def _new_clock(policy: SlaPolicy, calendar: BusinessCalendar, now: datetime) -> dict:
    """The fields of a clock started now under `policy`, due by `calendar`."""
    at_risk_minutes = math.ceil(policy.target_minutes * policy.at_risk_percent / 100)
    return {
        "policy": policy,
        "target_minutes": policy.target_minutes,
        "counting": policy.counting,
        "at_risk_percent": policy.at_risk_percent,
        "started_at": now,
        "due_at": add_business_minutes(calendar, now, policy.target_minutes),
        "at_risk_at": add_business_minutes(calendar, now, at_risk_minutes),
    }


def start_clocks(
    *, handoff: TimedHandoff, now: datetime, steps: tuple[str, ...] = OPENING_STEPS
) -> dict[str, Clock]:
    """Start the clocks of `steps` with their matching policies; a started one is kept as is.

    The handoff's `sla_due_at` (the queue's order) follows its running clocks.
    """
    # Clocks start here: those a decision left on the handoff are no longer all of them.
    vars(handoff).pop("clocks_as_written", None)
    facts = handoff_facts(handoff)
    policies = list(SlaPolicy.objects.filter(is_active=True, step__in=steps))
    clocks = {}
    for step in steps:
        policy = choose_policy([policy for policy in policies if policy.step == step], facts)
        if policy is None:
            continue
        calendar = calendar_for(policy.counting, handoff.team_id)
        clocks[step], _created = Clock.objects.get_or_create(
            handoff=handoff, step=step, defaults=_new_clock(policy, calendar, now)
        )
    if any(step in OPENING_STEPS for step in clocks):
        _follow_running_clocks(handoff, Clock.objects.filter(handoff=handoff))
    return clocks


def _start_sql_decision(
    handoff: TimedHandoff, now: datetime, calendars: dict[str, BusinessCalendar]
) -> Clock | None:
    """The SQL decision clock of a handoff just accepted, whose clocks the caller holds locked
    and knows it lacks: one insert, after the policies (and the team's calendar, unless the
    stopped clocks already read it)."""
    policies = list(SlaPolicy.objects.filter(is_active=True, step=Step.SQL_DECISION))
    policy = choose_policy(policies, handoff_facts(handoff))
    if policy is None:
        return None
    if policy.counting not in calendars:
        calendars[policy.counting] = _handoff_calendar(handoff, policy.counting)
    return Clock.objects.create(
        handoff=handoff,
        step=Step.SQL_DECISION,
        **_new_clock(policy, calendars[policy.counting], now),
    )


def earliest_running_due(clocks: Iterable[Clock]) -> datetime | None:
    """The queue's order: the soonest deadline among the queue's clocks (first touch, accept or
    return) still running. A breached clock runs until its step happens, so a lead late for its
    first touch comes before one with hours left to accept; None when none runs."""
    return min(
        (
            clock.due_at
            for clock in clocks
            if clock.stopped_at is None and clock.step in OPENING_STEPS
        ),
        default=None,
    )


def _follow_running_clocks(handoff: TimedHandoff, clocks: Iterable[Clock]) -> None:
    """Keep the handoff's `sla_due_at` on its earliest running deadline (written only when it
    moves). A decided handoff has left the queue and keeps the deadline it was decided under;
    its SQL decision clock is the lead's, not the queue's."""
    due = earliest_running_due(clocks)
    if due is not None and due != handoff.sla_due_at:
        type(handoff).objects.filter(pk=handoff.pk).update(sla_due_at=due)
        handoff.sla_due_at = due


def plan_opening_clocks(*, handoffs: list[TimedHandoff], now: datetime) -> list[Clock]:
    """`start_clocks` for many handoffs about to open, in a fixed number of queries: the facts,
    policies and calendars are read once for all of them.

    Sets each handoff's `sla_due_at` to its earliest deadline and returns its clocks unsaved, so
    the caller inserts the handoffs and then the clocks, one statement each.
    """
    if not handoffs:
        return []
    lead_ids = [handoff.lead_id for handoff in handoffs]
    channel_ids = {handoff.lead.channel_id for handoff in handoffs} - {None}
    kinds = dict(Channel.objects.filter(pk__in=channel_ids).values_list("pk", "kind"))
    requested = set(
        Activity.objects.filter(lead_id__in=lead_ids, kind__in=HOT_REQUESTS).values_list(
            "lead_id", flat=True
        )
    )
    policies = list(SlaPolicy.objects.filter(is_active=True, step__in=OPENING_STEPS))
    calendars = calendars_for_teams({handoff.team_id for handoff in handoffs})
    clocks = []
    for handoff in handoffs:
        planned = []
        channel_id = handoff.lead.channel_id
        facts = HandoffFacts(
            channel_id=channel_id,
            channel_kind=kinds.get(channel_id, ""),
            score=handoff.score,
            team_id=handoff.team_id,
            has_request=handoff.lead_id in requested,
        )
        for step in OPENING_STEPS:
            policy = choose_policy([policy for policy in policies if policy.step == step], facts)
            if policy is None:
                continue
            calendar = (
                CALENDAR_TIME
                if policy.counting == Counting.CALENDAR
                else calendars[handoff.team_id]
            )
            planned.append(Clock(handoff=handoff, step=step, **_new_clock(policy, calendar, now)))
        handoff.sla_due_at = earliest_running_due(planned) or handoff.sla_due_at
        clocks += planned
    return clocks


def stop_clock(*, handoff: TimedHandoff, step: str, now: datetime) -> Clock | None:
    """Stop a step's clock: met if on time, breached if late. Stopping twice changes nothing."""
    return stop_clocks(handoff=handoff, steps=(step,), now=now).get(step)


def stop_clocks(
    *, handoff: TimedHandoff, steps: tuple[str, ...], now: datetime, accepted: bool = False
) -> dict[str, Clock]:
    """`stop_clock` for several steps at once: one query locks their clocks, and each calendar
    is looked up once (accepting is on the queue's hot path). An accepted handoff's SAL-to-SQL
    decision clock starts when its accept-or-return clock stops, and the handoff's `sla_due_at`
    moves to the earliest deadline still running."""
    decided_at = now
    # Inside the caller's transaction (an outcome's) no savepoint: a failure fails it all.
    with transaction.atomic(savepoint=False):
        every_clock = list(
            Clock.objects.select_for_update(of=("self",))
            .select_related("policy")
            .filter(handoff=handoff)
        )
        clocks = {clock.step: clock for clock in every_clock if clock.step in steps}
        calendars: dict[str, BusinessCalendar] = {}
        stopping = []
        for clock in clocks.values():
            if clock.stopped_at is not None:
                continue
            if clock.counting not in calendars:
                calendars[clock.counting] = _handoff_calendar(handoff, clock.counting)
            # Web and worker hosts' clocks drift apart a little: a step recorded a moment
            # before its clock started took no time, rather than failing the rep's action.
            stopped_at = max(now, clock.started_at)
            late = stopped_at > clock.due_at
            clock.stopped_at = stopped_at
            clock.elapsed_minutes = business_minutes_between(
                calendars[clock.counting], clock.started_at, stopped_at
            )
            clock.state = ClockState.BREACHED if late else ClockState.MET
            clock.breached_at = clock.breached_at or (stopped_at if late else None)
            clock.rep_id = clock.rep_id or handoff.assignee_id
            stopping.append(clock)
            if clock.step == Step.ACCEPT_OR_RETURN:
                decided_at = stopped_at
        # One UPDATE for all of them (accepting stops two).
        Clock.objects.bulk_update(
            stopping, ["stopped_at", "elapsed_minutes", "state", "breached_at", "rep"]
        )
        _follow_running_clocks(handoff, every_clock)
        started = {clock.step for clock in every_clock}
        if accepted and Step.ACCEPT_OR_RETURN in steps and Step.SQL_DECISION not in started:
            sql_decision = _start_sql_decision(handoff, decided_at, calendars)
            every_clock += [sql_decision] if sql_decision else []
    _hand_back(handoff, every_clock, calendars)
    return clocks


def _hand_back(
    handoff: TimedHandoff, clocks: list[Clock], calendars: dict[str, BusinessCalendar]
) -> None:
    """Leave the clocks as just written on the handoff (`clocks_as_written`), with the calendars
    already read, so the answer that shows them (sla.selectors.clocks_for_handoffs) reads them
    no more."""
    for clock in clocks:
        clock.handoff = handoff
        if clock.counting in calendars:
            clock.calendar = calendars[clock.counting]
    handoff.clocks_as_written = clocks


def decide_clocks(*, handoff: TimedHandoff, now: datetime, accepted: bool) -> None:
    """Accept or return: both opening clocks stop. Deciding counts as the first touch when none
    was logged, and accepting starts the SQL decision clock."""
    stop_clocks(handoff=handoff, steps=OPENING_STEPS, now=now, accepted=accepted)


def stop_sql_decision(*, lead_id: int, now: datetime) -> Clock | None:
    """The lead left SAL (promoted to SQL, or sent back): its decision clock stops."""
    running = (
        Clock.objects.filter(handoff__lead_id=lead_id, step=Step.SQL_DECISION, stopped_at=None)
        .select_related("handoff")
        .order_by("-handoff__created_at")
        .first()
    )
    if running is None:
        return None
    return stop_clock(handoff=running.handoff, step=Step.SQL_DECISION, now=now)


@dataclass(frozen=True)
class ScanResult:
    at_risk: int
    breached: int
    escalated: int
    warned: int = 0


def advance_clocks(*, now: datetime) -> ScanResult:
    """The every-minute scan: set-based state changes, then each new breach escalated once."""
    handoffs = Clock.handoff.field.related_model  # named by the clock's foreign key
    current_rep = Subquery(
        handoffs.objects.filter(pk=OuterRef("handoff_id")).values("assignee_id")[:1]
    )
    at_risk = Clock.objects.filter(
        state=ClockState.RUNNING, stopped_at=None, at_risk_at__lte=now
    ).update(state=ClockState.AT_RISK)
    breached = Clock.objects.filter(
        state__in=RUNNING_STATES, stopped_at=None, due_at__lte=now
    ).update(state=ClockState.BREACHED, breached_at=now, rep=current_rep)
    return ScanResult(
        at_risk=at_risk,
        breached=breached,
        escalated=escalate_breaches(now=now),
        warned=warn_reps(now=now),
    )


def warn_reps(*, now: datetime) -> int:
    """Tell each rep once that a clock of a lead they hold is at risk, while there is still
    time to act. A clock of a pooled handoff waits until someone holds it; one that breaches
    first is told as a breach instead. A quiet scan costs one query; otherwise the batch is
    claimed in one transaction (skipping rows another scan holds, on PostgreSQL), so no clock
    is warned twice."""
    unwarned = Clock.objects.filter(
        state=ClockState.AT_RISK, warned_at=None, stopped_at=None, handoff__assignee__isnull=False
    ).order_by("at_risk_at", "pk")
    if not unwarned.exists():
        return 0
    with transaction.atomic():
        pending = list(
            unwarned.select_for_update(skip_locked=True, of=("self",)).select_related(
                "handoff__lead", "handoff__assignee"
            )[:ESCALATION_BATCH]
        )
        Clock.objects.filter(pk__in=[clock.pk for clock in pending]).update(warned_at=now)
        notify_each(
            (
                clock.handoff.assignee,
                NotificationKind.SLA_AT_RISK,
                {"step": Step(clock.step).label, "lead": clock.handoff.lead},
                reverse("leads:detail", args=[clock.handoff.lead_id]),
            )
            for clock in pending
        )
    return len(pending)


def escalate_breaches(*, now: datetime) -> int:
    """Escalate breached running clocks nobody was told about; one failure stops no other.

    The pending clocks are read in one query, oldest breach first (off clock_unescalated_idx);
    each is then claimed by a conditional update in its own transaction, so it is escalated
    exactly once however many scans run.
    """
    pending = list(
        Clock.objects.filter(state=ClockState.BREACHED, escalated_at=None, stopped_at=None)
        .select_related("policy", "handoff__lead", "handoff__team__manager", "handoff__assignee")
        .order_by("breached_at", "pk")[:ESCALATION_BATCH]
    )
    escalated = 0
    for clock in pending:
        try:
            with transaction.atomic():
                claimed = Clock.objects.filter(
                    pk=clock.pk, escalated_at=None, stopped_at=None
                ).update(escalated_at=now)
                if claimed != 1:
                    continue
                _escalate(clock, now=now)
                escalated += 1
        except Exception:
            logger.exception("Escalating SLA clock %s failed; the next scan retries it.", clock.pk)
    return escalated


def _escalate(clock: Clock, *, now: datetime) -> None:
    handoff = clock.handoff
    emit(
        Event.SLA_BREACHED,
        lead=handoff.lead,
        data={
            "handoff": handoff.pk,
            "step": clock.step,
            "policy": clock.policy.name,
            "due_at": clock.due_at.isoformat(),
            "breached_at": clock.breached_at.isoformat(),
        },
    )
    if clock.policy.notify_manager:
        params = {
            "step": Step(clock.step).label,
            "lead": handoff.lead,
            "team": handoff.team or gettext_lazy("none"),
            "rep": handoff.assignee or gettext_lazy("unassigned"),
        }
        url = reverse("leads:detail", args=[handoff.lead_id])
        for manager in managers_to_tell(handoff):
            notify(user=manager, kind=NotificationKind.SLA_ESCALATION, params=params, url=url)
    if handoff.assignee_id is not None:
        notify(
            user=handoff.assignee,
            kind=NotificationKind.SLA_BREACHED,
            params={"step": Step(clock.step).label, "lead": handoff.lead},
            url=reverse("leads:detail", args=[handoff.lead_id]),
        )
    if clock.policy.return_to_pool and handoff.is_open and handoff.assignee_id is not None:
        hooks.return_to_pool(handoff=handoff, now=now)


def managers_to_tell(handoff: TimedHandoff):
    """The team's manager; every manager when the team has none (or there is no team)."""
    if handoff.team_id and handoff.team.manager_id:
        return [handoff.team.manager]
    return list(
        get_user_model()
        .objects.filter(Q(groups__name="manager") | Q(is_superuser=True), is_active=True)
        .distinct()
    )
