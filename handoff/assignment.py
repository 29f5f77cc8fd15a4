"""Who gets a new handoff: smooth weighted round-robin inside a team, or the team's pool.

The team row is locked while choosing, so concurrent MQLs take turns; the credits live in the
database, so the turn order survives restarts. Away members and members at their cap are
skipped without earning credit, so nobody is flooded to "catch up" afterwards.
"""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from handoff.models import EventKind, Handoff, HandoffEvent, Outcome
from notifications.models import NotificationKind
from notifications.services import notify, notify_each
from teams.models import AssignmentMode, Team, TeamMember


def team_for_channel(channel_id: int | None) -> Team | None:
    """The team covering the channel, else the default team, else none (the no-team pool)."""
    if channel_id is not None:
        team = Team.objects.filter(channels=channel_id).order_by("id").first()
        if team is not None:
            return team
    return Team.objects.filter(is_default=True).first()


def teams_for_channels(channel_ids: Iterable[int | None]) -> dict[int | None, Team | None]:
    """`team_for_channel` for many channels in two queries."""
    channel_ids = set(channel_ids)
    found = dict.fromkeys(channel_ids, Team.objects.filter(is_default=True).first())
    covering = (
        Team.channels.through.objects.filter(channel_id__in=channel_ids - {None})
        .select_related("team")
        .order_by("-team_id")
    )
    for link in covering:  # highest id first, so the lowest id covering a channel wins
        found[link.channel_id] = link.team
    return found


def with_open_load(memberships: QuerySet[TeamMember]) -> QuerySet[TeamMember]:
    """Each member's open handoffs as `load`, counted off the open-by-assignee index (a join
    would read every handoff the member ever had: thousands a rep after a year)."""
    open_load = (
        Handoff.objects.filter(assignee=OuterRef("user_id"), outcome=Outcome.OPEN)
        .order_by()
        .values("assignee")
        .annotate(count=Count("id"))
        .values("count")
    )
    return memberships.annotate(load=Coalesce(Subquery(open_load), 0))


def _members(team: Team) -> list[TeamMember]:
    """The members who can take leads now, with their open load, in turn order."""
    return list(
        with_open_load(team.memberships.filter(is_away=False, user__is_active=True))
        .select_related("user")
        .order_by("id")
    )


def _take_turn(members: list[TeamMember]) -> TeamMember | None:
    """Smooth weighted round-robin: credit every member under their cap, give the lead to the
    richest and charge them the round's total; the chosen member's load grows by one."""
    eligible = [member for member in members if member.cap is None or member.load < member.cap]
    if not eligible:
        return None
    for member in eligible:
        member.credit += member.weight
    chosen = max(eligible, key=lambda member: member.credit)
    chosen.credit -= sum(member.weight for member in eligible)
    chosen.load += 1
    return chosen


def next_in_turn(team: Team) -> TeamMember | None:
    """Pick the next eligible member and pay for it; call with the team row locked."""
    members = _members(team)
    chosen = _take_turn(members)
    if chosen is not None:
        TeamMember.objects.bulk_update(members, ["credit"])
    return chosen


def _assigned_params(handoff: Handoff) -> dict:
    return {"lead": handoff.lead}


def give_to(*, handoff: Handoff, user, actor=None, now=None) -> None:
    """Record that `user` now has the handoff, and tell them."""
    now = now or timezone.now()
    previous = handoff.assignee_id
    Handoff.objects.filter(pk=handoff.pk).update(assignee=user, claimed_at=None)
    handoff.assignee, handoff.claimed_at = user, None
    HandoffEvent.objects.create(
        lead_id=handoff.lead_id,
        handoff=handoff,
        kind=EventKind.REASSIGNED if previous else EventKind.ASSIGNED,
        actor=actor,
        data={"assignee": user.pk, "previous": previous},
        created_at=now,
    )
    notify(
        user=user,
        kind=NotificationKind.LEAD_ASSIGNED,
        params=_assigned_params(handoff),
        url=reverse("leads:detail", args=[handoff.lead_id]),
    )


def assign_new_handoffs(*, handoffs: list[Handoff], now=None) -> None:
    """`assign_handoff` for many handoffs that have just opened (with their leads loaded), in
    the order given: each team row is locked once and its members' loads read once, the turns
    are taken in memory exactly as one at a time would take them, then each table is written
    once. Leads turning MQL in bulk (an import, a feed batch, a rescoring run) cost a few
    queries per team, not a dozen per lead."""
    now = now or timezone.now()
    by_team: dict[int, list[Handoff]] = {}
    for handoff in handoffs:
        if handoff.team_id is not None:
            by_team.setdefault(handoff.team_id, []).append(handoff)
    if by_team:
        with transaction.atomic():
            _assign_by_team(by_team, now)


def _assign_by_team(by_team: dict[int, list[Handoff]], now) -> None:
    given = []
    teams = Team.objects.select_for_update().filter(pk__in=list(by_team)).order_by("pk")
    for team in teams:
        if team.mode != AssignmentMode.ROUND_ROBIN:
            continue
        members = _members(team)
        for handoff in by_team[team.pk]:
            chosen = _take_turn(members)
            if chosen is None:
                break
            handoff.assignee, handoff.claimed_at = chosen.user, None
            given.append(handoff)
        TeamMember.objects.bulk_update(members, ["credit"])
    if not given:
        return
    Handoff.objects.bulk_update(given, ["assignee", "claimed_at"])
    HandoffEvent.objects.bulk_create(
        HandoffEvent(
            lead_id=handoff.lead_id,
            handoff=handoff,
            kind=EventKind.ASSIGNED,
            data={"assignee": handoff.assignee_id, "previous": None},
            created_at=now,
        )
        for handoff in given
    )
    notify_each(
        (
            handoff.assignee,
            NotificationKind.LEAD_ASSIGNED,
            _assigned_params(handoff),
            reverse("leads:detail", args=[handoff.lead_id]),
        )
        for handoff in given
    )


@transaction.atomic
def assign_handoff(*, handoff: Handoff, now=None) -> Handoff:
    """Give an open handoff to the next rep in turn; it stays in the pool when nobody can take
    it (pool mode, everyone away or at their cap, or no team). The SLA escalation calls this to
    reassign a lead a rep sat on."""
    if handoff.team_id is None:
        return handoff
    team = Team.objects.select_for_update().get(pk=handoff.team_id)
    if team.mode != AssignmentMode.ROUND_ROBIN:
        return handoff
    member = next_in_turn(team)
    if member is not None:
        give_to(handoff=handoff, user=member.user, now=now)
    return handoff


@transaction.atomic
def assign_waiting(*, team_id: int, now=None) -> int:
    """Hand pooled leads of a round-robin team to reps who have room again, most urgent first."""
    team = Team.objects.select_for_update().filter(pk=team_id).first()
    if team is None or team.mode != AssignmentMode.ROUND_ROBIN:
        return 0
    waiting = (
        Handoff.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(team=team, outcome=Outcome.OPEN, assignee__isnull=True)
        .select_related("lead")
        .order_by("sla_due_at", "id")
    )
    given = 0
    for handoff in waiting:
        member = next_in_turn(team)
        if member is None:
            break
        give_to(handoff=handoff, user=member.user, now=now)
        given += 1
    return given


def assign_waiting_everywhere(*, now=None) -> int:
    """The sweep: `assign_waiting` for every round-robin team with pooled handoffs, so a lead
    whose prompt after a rep cleared work was lost (Redis down, a killed worker) still flows."""
    team_ids = (
        Handoff.objects.filter(
            outcome=Outcome.OPEN,
            assignee__isnull=True,
            team__mode=AssignmentMode.ROUND_ROBIN,
        )
        .order_by("team_id")
        .values_list("team_id", flat=True)
        .distinct()
    )
    return sum(assign_waiting(team_id=team_id, now=now) for team_id in team_ids)
