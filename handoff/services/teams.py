"""What managers change about teams and return reasons."""

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.capabilities import may, require
from core.errors import ApplicationError
from core.jobs import prompt_after_commit
from handoff.models import ReturnReason
from teams.models import AssignmentMode, Team, TeamMember


def check_manager(user) -> None:
    require(user, "teams.manage", _("Only managers change teams and return reasons."))


def _drain_later(team_id: int) -> None:
    prompt_after_commit("handoff.tasks.assign_waiting_handoffs", team_id)


def save_team(*, team: Team, user, channels=None) -> Team:
    """Create or update a team (fields already set on `team`); one default team at most."""
    check_manager(user)
    with transaction.atomic():
        if team.is_default:
            Team.objects.exclude(pk=team.pk).filter(is_default=True).update(is_default=False)
        team.full_clean()
        team.save()
        if channels is not None:
            team.channels.set(channels)
        _drain_later(team.pk)
    return team


def set_team_mode(*, team: Team, user, mode: str) -> Team:
    check_manager(user)
    if mode not in AssignmentMode.values:
        message = _("Choose round-robin or shared pool.")
        raise ApplicationError(message, extra={"mode": [message]})
    with transaction.atomic():
        Team.objects.filter(pk=team.pk).update(mode=mode)
        team.mode = mode
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
    member.save()
    return member


def update_member(*, member: TeamMember, user, weight: int, cap: int | None) -> TeamMember:
    check_manager(user)
    with transaction.atomic():
        member.weight, member.cap = weight, cap
        member.full_clean()
        member.save(update_fields=["weight", "cap"])
        _drain_later(member.team_id)
    return member


def remove_member(*, member: TeamMember, user) -> None:
    check_manager(user)
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
        locked.is_away = away
        if not away:
            locked.credit = 0
            _drain_later(locked.team_id)
        locked.save(update_fields=["is_away", "credit"])
    return locked


def save_return_reason(*, reason: ReturnReason, user) -> ReturnReason:
    check_manager(user)
    reason.full_clean()
    reason.save()
    return reason
