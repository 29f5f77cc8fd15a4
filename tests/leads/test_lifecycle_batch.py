import threading

import pytest
from django.db import connection

from leads.lifecycle import ForbiddenMove, PlannedMove, move_stages
from leads.models import Lead, Stage, StageChange
from tests.leads.test_lifecycle import ALLOWED, FORBIDDEN, lead_at


@pytest.mark.django_db
@pytest.mark.parametrize(("source", "target"), ALLOWED)
def test_each_allowed_move_works_and_writes_one_stage_change_per_lead(source, target, sdr):
    leads = [lead_at(source), lead_at(source)]

    moved, stale = move_stages(
        [PlannedMove(lead.pk, source, "because", {"v": lead.pk}) for lead in leads],
        target,
        actor=sdr,
    )

    assert stale == []
    assert [lead.pk for lead in moved] == sorted(lead.pk for lead in leads)
    for lead in leads:
        lead.refresh_from_db()
        change = StageChange.objects.get(lead=lead)
        assert lead.stage == target
        assert (
            change.from_stage,
            change.to_stage,
            change.actor,
            change.reason,
            change.context,
        ) == (
            source,
            target,
            sdr,
            "because",
            {"v": lead.pk},
        )


@pytest.mark.django_db
@pytest.mark.parametrize(("source", "target"), FORBIDDEN)
def test_a_forbidden_move_fails_the_whole_batch_and_writes_nothing(source, target):
    leads = [lead_at(Stage.LEAD), lead_at(source)]

    with pytest.raises(ForbiddenMove):
        move_stages(
            [PlannedMove(leads[0].pk, Stage.LEAD), PlannedMove(leads[1].pk, source)], target
        )

    assert [Lead.objects.get(pk=lead.pk).stage for lead in leads] == [Stage.LEAD, source]
    assert not StageChange.objects.exists()


@pytest.mark.django_db
def test_a_lead_that_moved_since_it_was_seen_is_left_alone_and_reported_stale():
    fresh, moved_meanwhile = lead_at(Stage.LEAD), lead_at(Stage.SAL)

    moved, stale = move_stages(
        [PlannedMove(fresh.pk, Stage.LEAD), PlannedMove(moved_meanwhile.pk, Stage.LEAD)], Stage.MQL
    )

    assert [lead.pk for lead in moved] == [fresh.pk]
    assert stale == [moved_meanwhile.pk]
    assert Lead.objects.get(pk=moved_meanwhile.pk).stage == Stage.SAL
    assert list(StageChange.objects.values_list("lead_id", flat=True)) == [fresh.pk]


@pytest.mark.django_db
def test_a_lead_that_no_longer_exists_is_stale():
    lead = lead_at(Stage.LEAD)
    gone = lead.pk
    lead.delete()

    assert move_stages([PlannedMove(gone, Stage.LEAD)], Stage.MQL) == ([], [gone])


@pytest.mark.django_db
def test_the_system_moves_with_no_actor():
    lead = lead_at(Stage.LEAD)

    move_stages([PlannedMove(lead.pk, Stage.LEAD)], Stage.MQL)

    assert StageChange.objects.get(lead=lead).actor is None


@pytest.mark.django_db(transaction=True)
def test_two_batches_moving_the_same_leads_at_once_move_each_lead_once():
    leads = [lead_at(Stage.LEAD) for _ in range(5)]
    barrier = threading.Barrier(2)
    results = []

    def move(order):
        try:
            barrier.wait(timeout=5)
            moves = [PlannedMove(lead.pk, Stage.LEAD) for lead in order]
            moved, _stale = move_stages(moves, Stage.MQL)
            results.append({lead.pk for lead in moved})
        finally:
            connection.close()

    threads = [threading.Thread(target=move, args=(o,)) for o in (leads, leads[::-1])]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert len(results) == 2
    assert results[0] ^ results[1] == {lead.pk for lead in leads}
    assert StageChange.objects.filter(to_stage=Stage.MQL).count() == len(leads)
