from collections import Counter

import pytest

from handoff import services
from handoff.assignment import assign_waiting_everywhere
from handoff.models import Handoff, Outcome
from handoff.services import teams as team_services
from handoff.tasks import assign_waiting_handoffs
from teams.models import TeamMember
from tests.handoff.factories import mql_handoff
from tests.teams.factories import TeamMemberFactory

pytestmark = pytest.mark.django_db
CHECKS = {"meets_mql_spec": True, "can_start_conversation": True, "role_could_buy": True}


def assignees(count):
    return Counter(mql_handoff().assignee.username for _ in range(count))


def test_a_70_30_split_holds_over_100_assignments(team, sdr, sdr2):
    TeamMemberFactory(team=team, user=sdr, weight=7)
    TeamMemberFactory(team=team, user=sdr2, weight=3)

    counts = assignees(100)

    assert counts == {"sam": 70, "sasha": 30}


def test_the_turn_order_is_smooth_not_in_bursts(team, sdr, sdr2):
    TeamMemberFactory(team=team, user=sdr, weight=2)
    TeamMemberFactory(team=team, user=sdr2, weight=1)

    order = [mql_handoff().assignee.username for _ in range(6)]

    assert order == ["sam", "sasha", "sam", "sam", "sasha", "sam"]


def test_the_turn_lives_in_the_database_so_it_survives_a_restart(team, sdr, sdr2):
    TeamMemberFactory(team=team, user=sdr)
    TeamMemberFactory(team=team, user=sdr2)

    assert mql_handoff().assignee == sdr

    credits = dict(TeamMember.objects.values_list("user__username", "credit"))
    assert credits == {"sam": -1, "sasha": 1}
    assert mql_handoff().assignee == sdr2


def test_away_members_are_skipped(team, sdr, sdr2, manager):
    TeamMemberFactory(team=team, user=sdr)
    away = TeamMemberFactory(team=team, user=sdr2)
    team_services.set_member_away(member=away, user=manager, away=True)

    assert assignees(5) == {"sam": 5}


def test_a_rep_back_from_away_is_not_flooded(team, sdr, sdr2, manager):
    TeamMemberFactory(team=team, user=sdr)
    away = TeamMemberFactory(team=team, user=sdr2)
    team_services.set_member_away(member=away, user=manager, away=True)
    assignees(10)

    TeamMember.objects.filter(pk=away.pk).update(credit=5)

    team_services.set_member_away(member=away, user=manager, away=False)

    assert TeamMember.objects.get(pk=away.pk).credit == 0
    assert assignees(10) == {"sam": 5, "sasha": 5}


def test_a_rep_at_the_cap_is_skipped_and_the_lead_waits_in_the_pool_when_all_are(team, sdr, sdr2):
    TeamMemberFactory(team=team, user=sdr, cap=1)
    TeamMemberFactory(team=team, user=sdr2, cap=2)

    given = [mql_handoff().assignee for _ in range(4)]

    assert Counter(user.username if user else None for user in given) == {
        "sam": 1,
        "sasha": 2,
        None: 1,
    }
    assert Handoff.objects.filter(assignee__isnull=True, team=team).count() == 1


def test_clearing_work_lets_a_waiting_lead_flow_to_the_rep(team, sdr):
    TeamMemberFactory(team=team, user=sdr, cap=1)
    first = mql_handoff()
    waiting = mql_handoff()
    assert waiting.assignee is None

    services.accept_handoff(handoff=first, user=sdr, checklist=CHECKS)
    assert services.assign_waiting(team_id=team.pk) == 1

    waiting.refresh_from_db()
    assert waiting.assignee == sdr
    assert services.assign_waiting(team_id=team.pk) == 0


def test_in_pool_mode_nobody_is_assigned(pool_team):
    handoffs = [mql_handoff() for _ in range(3)]

    assert all(handoff.assignee is None for handoff in handoffs)
    assert all(handoff.outcome == Outcome.OPEN for handoff in handoffs)


def test_switching_a_pool_team_to_round_robin_hands_out_the_pool(pool_team, manager):
    mql_handoff()
    mql_handoff()

    team_services.set_team_mode(team=pool_team, user=manager, mode="round_robin")
    services.assign_waiting(team_id=pool_team.pk)

    assert Counter(Handoff.objects.values_list("assignee__username", flat=True)) == {
        "sam": 1,
        "sasha": 1,
    }


def test_assign_handoff_gives_a_pooled_lead_to_the_next_rep(team, sdr, manager):
    member = TeamMemberFactory(team=team, user=sdr)
    team_services.set_member_away(member=member, user=manager, away=True)
    handoff = mql_handoff()
    team_services.set_member_away(member=member, user=manager, away=False)

    services.assign_handoff(handoff=handoff)

    assert Handoff.objects.get().assignee == sdr


def test_clearing_work_queues_the_pool_drain_after_commit(
    team, sdr, monkeypatch, django_capture_on_commit_callbacks
):
    TeamMemberFactory(team=team, user=sdr, cap=1)
    first = mql_handoff()
    waiting = mql_handoff()
    queued = []
    monkeypatch.setattr("core.jobs.async_task", lambda *args: queued.append(args))

    with django_capture_on_commit_callbacks(execute=True):
        services.accept_handoff(handoff=first, user=sdr, checklist=CHECKS)
    assert queued == [("handoff.tasks.assign_waiting_handoffs", team.pk)]

    assert assign_waiting_handoffs(*queued[0][1:]) == 1
    waiting.refresh_from_db()
    assert waiting.assignee == sdr


def test_the_sweep_drains_every_team_pool_when_the_prompt_was_lost(team, sdr):
    TeamMemberFactory(team=team, user=sdr, cap=1)
    mql_handoff()
    waiting = mql_handoff()
    assert waiting.assignee is None
    TeamMember.objects.filter(user=sdr).update(cap=2)  # room again, and no prompt queued

    assert assign_waiting_everywhere() == 1
    assert assign_waiting_everywhere() == 0
    waiting.refresh_from_db()
    assert waiting.assignee == sdr
