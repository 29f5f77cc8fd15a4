"""Who gets a new handoff: smooth weighted round-robin inside a team, or the team's pool.

The team row is locked while choosing, so concurrent MQLs take turns; the credits live in the
database, so the turn order survives restarts. Away members and members at their cap are
skipped without earning credit, so nobody is flooded to "catch up" afterwards.
"""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from handoff.models import (
    AssignmentMode,
    EventKind,
    Handoff,
    HandoffEvent,
    Outcome,
    Team,
    TeamMember,
)
from notifications.models import NotificationKind
from notifications.services import notify


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


def next_in_turn(team: Team) -> TeamMember | None:
    """Pick the next eligible member and pay for it; call with the team row locked."""
    members = (
        team.memberships.filter(is_away=False, user__is_active=True)
        .annotate(load=Count("user__handoffs", filter=Q(user__handoffs__outcome=Outcome.OPEN)))
        .select_related("user")
        .order_by("id")
    )
    eligible = [member for member in members if member.cap is None or member.load < member.cap]
    if not eligible:
        return None
    for member in eligible:
        member.credit += member.weight
    chosen = max(eligible, key=lambda member: member.credit)
    chosen.credit -= sum(member.weight for member in eligible)
    TeamMember.objects.bulk_update(eligible, ["credit"])
    return chosen


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
        text=_("A lead is yours in the queue: %(lead)s") % {"lead": handoff.lead},
        url=reverse("leads:detail", args=[handoff.lead_id]),
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
