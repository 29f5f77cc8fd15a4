"""What managers change about teams and return reasons."""

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.capabilities import may, require
from audit.models import Action
from audit.services import (
    entry_for,
    record_changes,
    record_many,
    record_saved,
    record_snapshots,
    recorded_fields,
    snapshot,
    stored,
)
from core.errors import ApplicationError
from core.jobs import prompt_after_commit
from handoff.models import ReturnReason
from teams.models import AssignmentMode, Team, TeamMember


def check_manager(user) -> None:
    require(user, "teams.manage", _("Only managers change teams and return reasons."))


TEAM_FIELDS = recorded_fields(Team)
MEMBER_FIELDS = ("weight", "cap", "is_away")
REASON_FIELDS = recorded_fields(ReturnReason)


def _team_snapshot(team: Team) -> dict | None:
    """The team's stored fields and the channels it covers (None: not saved yet)."""
    before = stored(team, TEAM_FIELDS)
    if before is not None:
        before["channels"] = sorted(str(channel) for channel in team.channels.all())
    return before


def _drain_later(team_id: int) -> None:
    prompt_after_commit("handoff.tasks.assign_waiting_handoffs", team_id)


def save_team(*, team: Team, user, channels=None) -> Team:
    """Create or update a team (fields already set on `team`); one default team at most."""
    check_manager(user)
    with transaction.atomic():
        before = _team_snapshot(team)
        if team.is_default:
            Team.objects.exclude(pk=team.pk).filter(is_default=True).update(is_default=False)
        team.full_clean()
        team.save()
        if channels is not None:
            team.channels.set(channels)
        after = {**snapshot(team, TEAM_FIELDS), "channels": _team_snapshot(team)["channels"]}
        record_snapshots(team, before, after, actor=user)
        _drain_later(team.pk)
    return team


def set_team_mode(*, team: Team, user, mode: str) -> Team:
    check_manager(user)
    if mode not in AssignmentMode.values:
        message = _("Choose round-robin or shared pool.")
        raise ApplicationError(message, extra={"mode": [message]})
    with transaction.atomic():
        before = stored(team, ["mode"])
        Team.objects.filter(pk=team.pk).update(mode=mode)
        team.mode = mode
        record_saved(team, before, ["mode"], actor=user)
        _drain_later(team.pk)
    return team


def add_member(*, team: Team, user, member_user, weight: int = 1, cap: int | None = None):
    check_manager(user)
    if not may(member_user, "queue.take_leads"):
        message = _("Teams are made of sales development reps.")
        raise ApplicationError(message, extra={"user": [message]})
    if TeamMember.objects.filter(team=team, user=member_user).exists():
        message = _("Already in this team.")
        raise ApplicationError(message, extra={"user": [message]})
    member = TeamMember(team=team, user=member_user, weight=weight, cap=cap)
    member.full_clean()
    with transaction.atomic():
        member.save()
        _record_membership(member, Action.MEMBER_ADDED, actor=user)
    return member


def _record_membership(member: TeamMember, action: str, *, actor) -> None:
    """On the team's history: who joined or left it, with their weight and cap."""
    after = {"member": str(member.user), "weight": member.weight, "cap": member.cap}
    record_many([entry_for(member.team, action=action, after=after)], actor=actor)


def update_member(*, member: TeamMember, user, weight: int, cap: int | None) -> TeamMember:
    check_manager(user)
    with transaction.atomic():
        before = snapshot(member, MEMBER_FIELDS)
        member.weight, member.cap = weight, cap
        member.full_clean()
        member.save(update_fields=["weight", "cap"])
        record_saved(member, before, MEMBER_FIELDS, actor=user)
        _drain_later(member.team_id)
    return member


def remove_member(*, member: TeamMember, user) -> None:
    check_manager(user)
    with transaction.atomic():
        _record_membership(member, Action.MEMBER_REMOVED, actor=user)
        member.delete()


def set_member_away(*, member: TeamMember, user, away: bool) -> TeamMember:
    """Mark a rep away or back. Back means a fresh start: their credit is reset, so they are
    not flooded with the turns they missed."""
    check_manager(user)
    with transaction.atomic():
        # The team first, in the same order as round-robin, which locks the team to choose.
        Team.objects.select_for_update().filter(pk=member.team_id).first()
        locked = TeamMember.objects.select_for_update().get(pk=member.pk)
        if locked.is_away == away:
            return locked
        record_changes(locked, {"is_away": locked.is_away}, {"is_away": away}, actor=user)
        locked.is_away = away
        if not away:
            locked.credit = 0
            _drain_later(locked.team_id)
        locked.save(update_fields=["is_away", "credit"])
    return locked


def save_return_reason(*, reason: ReturnReason, user) -> ReturnReason:
    check_manager(user)
    reason.full_clean()
    with transaction.atomic():
        before = stored(reason, REASON_FIELDS)
        reason.save()
        record_saved(reason, before, REASON_FIELDS, actor=user)
    return reason
