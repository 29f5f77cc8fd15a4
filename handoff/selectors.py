"""Reads for the queue, the lead page, teams, returned leads and opportunities.

Each list runs a fixed number of queries whatever its length.
"""

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from accounts.roles import Role, has_role
from handoff.access import is_manager, may_work
from handoff.filters import QueueFilter
from handoff.models import (
    Handoff,
    Opportunity,
    Outcome,
    Qualification,
    QualificationPolicy,
    Team,
)
from handoff.models.qualification import CRITERIA
from handoff.services.qualification import missing_criteria
from leads.models import Lead, Stage
from sla.selectors import clock_display, clocks_for_handoffs, queue_clock

MINE, POOL, ALL = "mine", "pool", "all"
QUEUE_VIEWS = (MINE, POOL, ALL)


def queue_base(*, user, view: str) -> QuerySet[Handoff]:
    """Open handoffs in one view of the queue, most urgent first, then highest score.

    Mine: assigned to the user. Pool: unassigned in the user's teams (managers also see the
    pool of leads no team covers). All: every open handoff, for managers.
    """
    handoffs = Handoff.objects.filter(outcome=Outcome.OPEN).select_related(
        "lead", "lead__channel", "assignee", "team"
    )
    if view == ALL and is_manager(user):
        pass
    elif view == POOL:
        handoffs = handoffs.filter(assignee__isnull=True)
        if not is_manager(user):
            handoffs = handoffs.filter(team__memberships__user=user)
    else:
        handoffs = handoffs.filter(assignee=user)
    return handoffs.order_by("sla_due_at", "-score", "id")


def queue_for_user(*, user, view: str, params=None) -> QueueFilter:
    return QueueFilter(params or {}, queryset=queue_base(user=user, view=view))


def queue_counts(*, user) -> dict[str, int]:
    """How many open handoffs each tab holds, in one query."""
    open_handoffs = Handoff.objects.filter(outcome=Outcome.OPEN)
    pool = Q(assignee__isnull=True)
    if not is_manager(user):
        pool &= Q(team__in=Team.objects.filter(memberships__user=user))
    return open_handoffs.aggregate(
        mine=Count("id", filter=Q(assignee=user)),
        pool=Count("id", filter=pool),
        all=Count("id"),
    )


def with_clocks(handoffs, now=None) -> list[Handoff]:
    """Attach each row's SLA clock (the one the rep is racing) and its colour, read once at
    `now` for the whole list, in a fixed number of queries."""
    now = now or timezone.now()
    rows = list(handoffs)
    clocks = clocks_for_handoffs([handoff.pk for handoff in rows])
    for handoff in rows:
        handoff.sla_clock = queue_clock(clocks.get(handoff.pk, {}))
        if handoff.sla_clock is None:
            handoff.clock = handoff.clock_state(now)
        else:
            handoff.clock = clock_display(handoff.sla_clock, now).css_state
    return rows


def team_overview(team: Team) -> list:
    """Members with their share of new leads (weight %) and their open load, in one query."""
    members = list(
        team.memberships.select_related("user")
        .annotate(load=Count("user__handoffs", filter=Q(user__handoffs__outcome=Outcome.OPEN)))
        .order_by("user__username")
    )
    active_weight = sum(member.weight for member in members if not member.is_away)
    for member in members:
        member.share = (
            round(100 * member.weight / active_weight)
            if active_weight and not member.is_away
            else 0
        )
    return members


def returned_handoffs() -> QuerySet[Handoff]:
    return (
        Handoff.objects.filter(outcome=Outcome.RETURNED)
        .select_related("lead", "lead__channel", "assignee", "return_reason")
        .order_by("-returned_at", "-id")
    )


def opportunities_for(*, user) -> QuerySet[Opportunity]:
    opportunities = Opportunity.objects.select_related("lead", "owner")
    if not is_manager(user):
        opportunities = opportunities.filter(owner=user)
    return opportunities


def lead_handoff_section(*, lead: Lead, user, now=None) -> dict:
    """What the lead page shows after MQL: handoffs, qualification, opportunities."""
    handoffs = with_clocks(
        lead.handoffs.select_related("team", "assignee", "return_reason").order_by(
            "-created_at", "-id"
        ),
        now,
    )
    current = handoffs[0] if handoffs else None
    qualification = Qualification.objects.filter(lead=lead).first()
    required = QualificationPolicy.current().required
    met = (qualification or Qualification()).criteria_met()
    return {
        "handoffs": handoffs,
        "current_handoff": current,
        "may_work_handoff": current is not None and current.is_open and may_work(current, user),
        "qualification": qualification,
        "criteria": [
            {"code": code, "label": label, "required": code in required, "met": met[code]}
            for code, label in CRITERIA.items()
        ],
        "missing_criteria": [CRITERIA[c] for c in missing_criteria(qualification, required)],
        "opportunities": list(lead.opportunities.select_related("owner")),
        "is_sal": lead.stage == Stage.SAL,
        "is_sql": lead.stage == Stage.SQL,
        "may_act": has_role(user, Role.SDR, Role.MANAGER, Role.ACCOUNT_EXECUTIVE),
    }


def handoff_timeline_entries(lead: Lead, *, limit: int) -> list[dict]:
    events = lead.handoff_events.select_related("actor")[:limit]
    return [{"when": event.created_at, "kind": "handoff_event", "item": event} for event in events]
