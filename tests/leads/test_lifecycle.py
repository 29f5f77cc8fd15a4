import threading

import pytest
from django.db import connection

from core.errors import ConflictError
from leads.lifecycle import ALLOWED_MOVES, ForbiddenMove, StaleMove, is_before, move_stage
from leads.models import Lead, Stage, StageChange
from tests.factories import LeadFactory

ALL_PAIRS = [(source, target) for source in Stage.values for target in Stage.values]
ALLOWED = [(s, t) for s, t in ALL_PAIRS if t in ALLOWED_MOVES[s]]
FORBIDDEN = [(s, t) for s, t in ALL_PAIRS if t not in ALLOWED_MOVES[s]]


def lead_at(stage):
    lead = LeadFactory()
    Lead.objects.filter(pk=lead.pk).update(stage=stage)
    return lead


def test_the_table_covers_every_stage():
    assert set(ALLOWED_MOVES) == set(Stage.values)
    assert ("lead", "mql") in ALLOWED and ("mql", "sal") in ALLOWED
    assert ("recycled", "mql") in ALLOWED
    assert ("customer", "lead") in FORBIDDEN and ("mql", "mql") in FORBIDDEN


@pytest.mark.django_db
@pytest.mark.parametrize(("source", "target"), ALLOWED)
def test_each_allowed_move_works_and_writes_one_stage_change(source, target, sdr):
    lead = lead_at(source)

    moved, change = move_stage(lead.pk, target, actor=sdr, reason="because", context={"v": 1})

    lead.refresh_from_db()
    assert lead.stage == moved.stage == target
    assert list(StageChange.objects.filter(lead=lead)) == [change]
    assert (change.from_stage, change.to_stage, change.actor, change.reason, change.context) == (
        source,
        target,
        sdr,
        "because",
        {"v": 1},
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("source", "target"), FORBIDDEN)
def test_each_forbidden_move_raises_and_writes_nothing(source, target):
    lead = lead_at(source)

    with pytest.raises(ForbiddenMove):
        move_stage(lead.pk, target)

    lead.refresh_from_db()
    assert lead.stage == source
    assert not StageChange.objects.exists()


@pytest.mark.django_db
def test_a_stale_move_is_refused_with_the_current_stage():
    lead = lead_at(Stage.SAL)

    with pytest.raises(StaleMove) as refused:
        move_stage(lead.pk, Stage.SAL, expected_from=Stage.MQL)

    assert isinstance(refused.value, ConflictError)
    assert refused.value.extra == {"current_stage": "sal"}
    assert "someone moved it first" in refused.value.message
    assert not StageChange.objects.exists()


@pytest.mark.django_db
def test_the_system_moves_with_no_actor():
    lead = lead_at(Stage.LEAD)

    _, change = move_stage(lead.pk, Stage.MQL)

    assert change.actor is None


def test_is_before_follows_the_funnel():
    assert is_before(Stage.LEAD, Stage.MQL)
    assert is_before(Stage.SUBSCRIBER, Stage.MQL)
    assert not is_before(Stage.SAL, Stage.MQL)
    assert not is_before(Stage.RECYCLED, Stage.MQL)


@pytest.mark.django_db(transaction=True)
def test_two_people_moving_the_same_lead_at_once_exactly_one_wins():
    lead = lead_at(Stage.MQL)
    barrier = threading.Barrier(2)
    outcomes = []

    def accept(target):
        try:
            barrier.wait(timeout=5)
            move_stage(lead.pk, target, expected_from=Stage.MQL)
            outcomes.append("moved")
        except ConflictError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(t,)) for t in (Stage.SAL, Stage.RECYCLED)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["moved", "refused"]
    assert StageChange.objects.filter(lead=lead).count() == 1
    lead.refresh_from_db()
    assert lead.stage == StageChange.objects.get(lead=lead).to_stage
