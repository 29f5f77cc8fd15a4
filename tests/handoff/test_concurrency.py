"""Two reps, one lead: exactly one wins. Threads on a real database (SQLite serializes writers
with IMMEDIATE transactions, PostgreSQL with row locks)."""

import threading

import pytest
from django.db import connection

from core.errors import ConflictError
from handoff import services
from handoff.models import EventKind, Handoff, HandoffEvent, Outcome
from leads.models import Lead, Stage, StageChange
from tests.factories import LeadFactory
from tests.handoff.factories import mql_handoff
from tests.teams.factories import TeamMemberFactory

pytestmark = pytest.mark.django_db(transaction=True)
CHECKS = {"meets_mql_spec": True, "can_start_conversation": True, "role_could_buy": True}


def race(*actions):
    barrier = threading.Barrier(len(actions))
    outcomes = []

    def run(action):
        try:
            barrier.wait(timeout=5)
            action()
            outcomes.append("won")
        except ConflictError as error:
            outcomes.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(outcomes) == len(actions), "an action failed with something else than a conflict"
    return outcomes


def test_two_reps_claiming_at_once_exactly_one_wins(pool_team, sdr, sdr2):
    handoff = mql_handoff()

    outcomes = race(
        lambda: services.claim_handoff(handoff=handoff, user=sdr),
        lambda: services.claim_handoff(handoff=handoff, user=sdr2),
    )

    assert outcomes.count("won") == 1
    (refusal,) = [outcome for outcome in outcomes if outcome != "won"]
    winner = Handoff.objects.get().assignee
    assert refusal.extra["assignee"]["id"] == winner.pk
    assert HandoffEvent.objects.filter(kind=EventKind.CLAIMED).count() == 1


def test_two_reps_accepting_at_once_exactly_one_wins_and_nothing_is_half_written(
    pool_team, sdr, sdr2
):
    handoff = mql_handoff()

    outcomes = race(
        lambda: services.accept_handoff(handoff=handoff, user=sdr, checklist=CHECKS),
        lambda: services.return_handoff(handoff=handoff, user=sdr2, reason="no_fit"),
    )

    assert outcomes.count("won") == 1
    handoff.refresh_from_db()
    lead = Lead.objects.get()
    assert StageChange.objects.filter(lead=lead).exclude(to_stage=Stage.MQL).count() == 1
    expected = Stage.SAL if handoff.outcome == Outcome.ACCEPTED else Stage.RECYCLED
    assert lead.stage == expected
    assert HandoffEvent.objects.filter(kind__in=["accepted", "returned"]).count() == 1


def test_concurrent_mqls_take_turns_in_a_round_robin_team(team, sdr, sdr2, make_user):
    third = make_user("sdr", username="sid")
    for user in (sdr, sdr2, third):
        TeamMemberFactory(team=team, user=user)
    leads = [LeadFactory() for _ in range(6)]

    def open_one(lead):
        return lambda: mql_handoff(lead)

    outcomes = race(*[open_one(lead) for lead in leads])

    assert outcomes == ["won"] * 6
    loads = sorted(
        Handoff.objects.filter(outcome=Outcome.OPEN).values_list("assignee__username", flat=True)
    )
    assert loads == ["sam", "sam", "sasha", "sasha", "sid", "sid"]


def test_disqualifying_while_another_rep_accepts_exactly_one_wins(pool_team, sdr, sdr2):
    handoff = mql_handoff()

    outcomes = race(
        lambda: services.accept_handoff(handoff=handoff, user=sdr, checklist=CHECKS),
        lambda: services.disqualify_handoff(handoff=handoff, user=sdr2, reason="junk"),
    )

    assert outcomes.count("won") == 1
    (refusal,) = [outcome for outcome in outcomes if outcome != "won"]
    handoff.refresh_from_db()
    assert refusal.extra["assignee"]["id"] == handoff.assignee_id
    lead = Lead.objects.get()
    expected = Stage.SAL if handoff.outcome == Outcome.ACCEPTED else Stage.DISQUALIFIED
    assert lead.stage == expected
    assert StageChange.objects.filter(lead=lead).exclude(to_stage=Stage.MQL).count() == 1
    assert HandoffEvent.objects.filter(kind__in=["accepted", "disqualified"]).count() == 1
