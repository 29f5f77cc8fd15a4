"""Reads for the queue, the lead page, teams, returned leads and opportunities.

Each list runs a fixed number of queries whatever its length.
"""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum
from django.http import QueryDict
from django.utils import timezone

from accounts.capabilities import may
from core.sorting import SortState
from handoff import hooks
from handoff.access import (
    leads_handed_to,
    may_decide,
    may_read_qualification,
    may_work,
    opportunities_visible_to,
)
from handoff.assignment import with_open_load
from handoff.filters import MEMBER_SORTING, QueueFilter
from handoff.models import (
    EventKind,
    Handoff,
    HandoffEvent,
    Opportunity,
    OpportunityStage,
    Outcome,
    Qualification,
    QualificationPolicy,
)
from handoff.models.opportunities import CLOSED_STAGES
from handoff.models.qualification import CRITERIA
from handoff.services.qualification import missing_criteria
from leads.local_time import local_time_of
from leads.models import Activity, Lead, Stage
from sla.models import Clock, ClockState
from sla.selectors import clock_display, clocks_for_handoffs, queue_clock, start_of_day
from teams.models import Team

MINE, POOL, ALL = "mine", "pool", "all"
QUEUE_VIEWS = (MINE, POOL, ALL)


def _team_ids(user) -> list[int]:
    return list(Team.objects.filter(memberships__user=user).values_list("pk", flat=True))


def queue_base(*, user, view: str) -> QuerySet[Handoff]:
    """Open handoffs in one view of the queue, most urgent first, then highest score.

    Mine: assigned to the user. Pool: unassigned in the user's teams (managers also see the
    pool of leads no team covers). All: every open handoff, for managers. Each view's filter
    matches one of Handoff's queue indexes, which also give the order.
    """
    handoffs = Handoff.objects.filter(outcome=Outcome.OPEN).select_related(
        "lead", "lead__channel", "assignee", "team"
    )
    if view == ALL and may(user, "queue.work_any"):
        pass
    elif view == POOL:
        handoffs = handoffs.filter(assignee__isnull=True)
        if not may(user, "queue.work_any"):
            handoffs = handoffs.filter(team_id__in=_team_ids(user))
    else:
        handoffs = handoffs.filter(assignee=user)
    return handoffs.order_by("sla_due_at", "-score", "id")


def queue_for_user(*, user, view: str, params=None) -> QueueFilter:
    return QueueFilter(params or {}, queryset=queue_base(user=user, view=view))


def queue_counts(*, user) -> dict[str, int | None]:
    """How many open handoffs each tab holds: one count per tab, each read off its own queue
    index (all open handoffs only for a manager, the one who sees that tab)."""
    open_handoffs = Handoff.objects.filter(outcome=Outcome.OPEN)
    pool = open_handoffs.filter(assignee__isnull=True)
    manager = may(user, "queue.work_any")
    if not manager:
        pool = pool.filter(team_id__in=_team_ids(user))
    return {
        "mine": open_handoffs.filter(assignee=user).count(),
        "pool": pool.count(),
        "all": open_handoffs.count() if manager else None,
    }


def as_shown(handoffs, now=None, *, reasons: bool = True) -> list[Handoff]:
    """What a queue row, the work panel and the API show, for a whole list: each row's clocks,
    the one the rep is racing (`sla_clock`), how it reads in business time (`clock_display`) and
    its colour (`clock`: on_time, at_risk, breached or met; None for a handoff no SLA policy
    times), read once at `now`; and its top score reasons worded in the reader's language. Two
    queries for the clocks (with their policies, and the teams' calendars), five for the words
    of the agreement versions the rows were scored under (none when no row has one)."""
    now = now or timezone.now()
    rows = list(handoffs)
    if reasons and any(handoff.agreement_version is not None for handoff in rows):
        hooks.word_reasons(handoffs=rows)
    clocks = clocks_for_handoffs(rows)
    for handoff in rows:
        handoff.clocks_by_step = clocks.get(handoff.pk, {})
        handoff.sla_clock = queue_clock(handoff.clocks_by_step)
        handoff.clock_display = (
            None if handoff.sla_clock is None else clock_display(handoff.sla_clock, now)
        )
        handoff.clock = None if handoff.clock_display is None else handoff.clock_display.css_state
    return rows


# The queue's most urgent few, shown above it and on a rep's home.
NEXT_DUE = 3


def next_due(*, user, now=None) -> list[Handoff]:
    """The first few handoffs of the rep's own queue, most urgent first, with their running
    clock as the queue shows it (as_shown, without the score's words). Three queries."""
    return as_shown(queue_base(user=user, view=MINE)[:NEXT_DUE], now, reasons=False)


@dataclass(frozen=True)
class RepDay:
    accepted: int
    returned: int
    breached: int


def rep_day(*, user, now=None) -> RepDay:
    """What the rep did and missed since midnight: handoffs accepted into SAL, returned to
    marketing, and their clocks breached (a decided clock names its rep; a running one counts
    for its handoff's assignee). Two queries."""
    since = start_of_day(now or timezone.now())
    decided = Handoff.objects.filter(assignee=user).aggregate(
        accepted=Count("pk", filter=Q(accepted_at__gte=since)),
        returned=Count("pk", filter=Q(returned_at__gte=since)),
    )
    breached = Clock.objects.filter(
        Q(rep=user) | Q(rep__isnull=True, handoff__assignee=user),
        state=ClockState.BREACHED,
        breached_at__gte=since,
    ).count()
    return RepDay(accepted=decided["accepted"], returned=decided["returned"], breached=breached)


def rep_summary(*, user, now=None) -> dict:
    """What a rep sees above the queue and on their home: the next few leads (next_due) and
    the day so far (rep_day). Five queries."""
    now = now or timezone.now()
    return {"next_due": next_due(user=user, now=now), "day": rep_day(user=user, now=now)}


# How many of an account executive's SQLs their home lists; the count says how many there are.
HOME_SQLS = 5
NEW_SQL_DAYS = 7


@dataclass(frozen=True)
class StageTotal:
    stage: str
    label: str
    count: int
    amounts: list[tuple[str, Decimal]]  # (currency, sum), currencies in order


@dataclass(frozen=True)
class Pipeline:
    """An account executive's SQLs waiting for them and their open opportunities."""

    sqls: list[HandoffEvent]
    sql_count: int
    sql_new: int  # handed over in the last NEW_SQL_DAYS days
    stages: list[StageTotal]  # open stages, in pipeline order, each with its count and amounts

    @property
    def open_count(self) -> int:
        return sum(stage.count for stage in self.stages)


def pipeline_for(*, user, now=None) -> Pipeline:
    """The SQLs page's and the opportunities page's figures for one reader (sqls_for,
    opportunities_for): the newest SQLs, how many wait and how many arrived this past week, and
    the open opportunities per stage with their amounts per currency. Three queries."""
    now = now or timezone.now()
    sqls = sqls_for(user=user)
    counts = sqls.aggregate(
        waiting=Count("pk"),
        new=Count("pk", filter=Q(created_at__gte=now - timedelta(days=NEW_SQL_DAYS))),
    )
    sums: dict[str, list] = {}
    for stage, currency, count, amount in (
        opportunities_for(user=user)
        .exclude(stage__in=CLOSED_STAGES)
        .values("stage", "currency")
        .annotate(opportunities=Count("pk"), amount=Sum("amount"))
        .order_by("stage", "currency")
        .values_list("stage", "currency", "opportunities", "amount")
    ):
        sums.setdefault(stage, []).append((currency, count, amount))
    stages = [
        StageTotal(
            stage=stage,
            label=str(OpportunityStage(stage).label),
            count=sum(count for _currency, count, _amount in sums.get(stage, [])),
            amounts=[(currency, amount) for currency, _count, amount in sums.get(stage, [])],
        )
        for stage in OpportunityStage.values
        if stage not in CLOSED_STAGES
    ]
    return Pipeline(
        sqls=list(sqls[:HOME_SQLS]),
        sql_count=counts["waiting"],
        sql_new=counts["new"],
        stages=stages,
    )


RECENT_ACTIVITIES = 5


@dataclass(frozen=True)
class FirstTouchFacts:
    """What a rep needs on the work panel to make the first touch without the lead page: how to
    reach the person, what time it is where they are, and what they did last."""

    dial: str  # the phone number as a tel: link takes it (digits and a leading +)
    local_time: datetime | None
    several_zones: bool  # the country spans zones and no city says which
    recent_activities: list[Activity]

    @property
    def utc_offset(self) -> str:
        """How reps across borders say a time zone: "UTC+7", "UTC+5:30", "UTC−3"."""
        minutes = int(self.local_time.utcoffset().total_seconds() // 60)
        hours, rest = divmod(abs(minutes), 60)
        sign = "+" if minutes >= 0 else "\N{MINUS SIGN}"
        return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def first_touch_facts(lead: Lead, now=None) -> FirstTouchFacts:
    """One query: the lead's last few activities (the lead page has them all)."""
    now = now or timezone.now()
    place = local_time_of(lead.country, lead.city)
    dial = re.sub(r"[^\d+]", "", lead.phone)
    return FirstTouchFacts(
        dial=dial[:1] + dial[1:].replace("+", ""),
        local_time=place.at(now) if place else None,
        several_zones=place is not None and place.zone is None,
        recent_activities=list(
            lead.activities.select_related("channel").order_by("-occurred_at", "-id")[
                :RECENT_ACTIVITIES
            ]
        ),
    )


def team_overview(team: Team, params=None) -> tuple[list, SortState]:
    """Members with their share of new leads (weight %) and their open load, in one query, in
    the order `params` asks for (MEMBER_SORTING: by name unless a column header says)."""
    memberships, sort = MEMBER_SORTING.apply(
        with_open_load(team.memberships.select_related("user")), params or QueryDict()
    )
    members = list(memberships)
    active_weight = sum(member.weight for member in members if not member.is_away)
    for member in members:
        member.share = (
            round(100 * member.weight / active_weight)
            if active_weight and not member.is_away
            else 0
        )
    return members, sort


def returned_handoffs() -> QuerySet[Handoff]:
    return (
        Handoff.objects.filter(outcome=Outcome.RETURNED)
        .select_related("lead", "lead__channel", "assignee", "return_reason")
        .order_by("-returned_at", "-id")
    )


def opportunities_for(*, user) -> QuerySet[Opportunity]:
    """The opportunities `user` may read (handoff.access), with their lead and owner."""
    return opportunities_visible_to(user).select_related("lead", "owner")


def lead_handoff_section(*, lead: Lead, user, now=None) -> dict:
    """What the lead page shows after MQL: handoffs, qualification, opportunities.

    The qualification is read only for those who may read it, and each opportunity says
    whether the reader may see it (`readable`): its amount and owner are shown only then
    (handoff.access). Queries: the handoffs and their clocks, the qualification check and row,
    the required criteria, the opportunities.
    """
    handoffs = as_shown(
        lead.handoffs.select_related("team", "assignee", "return_reason").order_by(
            "-created_at", "-id"
        ),
        now,
    )
    current = handoffs[0] if handoffs else None
    reads_qualification = may_read_qualification(lead, user)
    qualification = Qualification.objects.filter(lead=lead).first() if reads_qualification else None
    # Every clock of every pass through the queue, newest pass first: the SLA panel.
    clocks = [
        clock
        for handoff in handoffs
        for clock in sorted(
            handoff.clocks_by_step.values(), key=lambda clock: (clock.started_at, clock.pk)
        )
    ]
    required = QualificationPolicy.current().required
    met = (qualification or Qualification()).criteria_met()
    return {
        "handoffs": handoffs,
        "clocks": clocks,
        "current_handoff": current,
        "may_work_handoff": current is not None and current.is_open and may_work(current, user),
        # An MQL waiting in the queue or a SAL, by someone who may decide its handoff.
        "may_disqualify": current is not None
        and (current.is_open or (current.outcome == Outcome.ACCEPTED and lead.stage == Stage.SAL))
        and may(user, "leads.disqualify")
        and may_decide(current, user),
        "may_reinstate": lead.stage == Stage.DISQUALIFIED and may(user, "leads.reinstate"),
        "may_read_qualification": reads_qualification,
        "qualification": qualification,
        "criteria": [
            {"code": code, "label": label, "required": code in required, "met": met[code]}
            for code, label in CRITERIA.items()
        ],
        "missing_criteria": [CRITERIA[c] for c in missing_criteria(qualification, required)],
        "opportunities": list(
            lead.opportunities.select_related("owner").annotate(
                readable=Exists(opportunities_visible_to(user).filter(pk=OuterRef("pk")))
            )
        ),
        "is_sal": lead.stage == Stage.SAL,
        "is_sql": lead.stage == Stage.SQL,
        "may_act": may(user, "handoff.work_leads"),
    }


def handoff_timeline_events(lead: Lead, condition) -> QuerySet[HandoffEvent]:
    """The lead's queue events for its timeline, newest first."""
    return lead.handoff_events.filter(condition).select_related("actor")


def sqls_for(*, user) -> QuerySet[HandoffEvent]:
    """The SQLs handed to an account executive, or waiting in the account executives' pool, and
    still at SQL (a manager's: every one), newest first: each lead's latest promotion, naming the
    rep and the AE chosen."""
    latest = (
        HandoffEvent.objects.filter(lead=OuterRef("lead"), kind=EventKind.PROMOTED)
        .order_by("-created_at", "-id")
        .values("pk")[:1]
    )
    promotions = (
        HandoffEvent.objects.filter(kind=EventKind.PROMOTED, lead__stage=Stage.SQL)
        .filter(pk=Subquery(latest))
        .select_related("lead", "actor")
        .order_by("-created_at", "-id")
    )
    if not may(user, "opportunities.work_any"):
        promotions = promotions.filter(lead__in=leads_handed_to(user))
    return promotions
