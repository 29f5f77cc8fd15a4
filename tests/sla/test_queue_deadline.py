"""The queue's order, `Handoff.sla_due_at`: while a handoff is open, the earliest due time among
its running clocks; once decided, the one it was decided under.

Generated policies and sequences of steps check the value the services keep, one handoff at a
time (`start_clocks`) and in a batch (`plan_opening_clocks`), against the rule computed afresh
from the clock rows in SQL, on whichever database runs the suite.
"""

from datetime import UTC, datetime, timedelta

import pytest
from django.db.models import Min
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handoff.models import Handoff
from sla.models import Clock, Counting, SlaPolicy, Step
from sla.services import (
    OPENING_STEPS,
    advance_clocks,
    decide_clocks,
    plan_opening_clocks,
    start_clocks,
    stop_clock,
)
from tests.factories import LeadFactory
from tests.sla.factories import HandoffFactory

pytestmark = pytest.mark.django_db

MONDAY_9 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

steps = st.lists(
    st.tuples(
        st.sampled_from(["first touch", "scan", "accept", "return"]),
        st.integers(min_value=0, max_value=3000),  # minutes after the previous step
    ),
    max_size=5,
)


def due_in_sql(handoff: Handoff):
    """The rule, computed by the database from the clock rows."""
    return Clock.objects.filter(handoff=handoff, stopped_at=None, step__in=OPENING_STEPS).aggregate(
        due=Min("due_at")
    )["due"]


def open_in_a_batch(*, like: Handoff) -> Handoff:
    """What handoff.services.open_handoffs does: plan, then insert handoffs and clocks."""
    batch = Handoff(
        lead=LeadFactory(stage="mql"),
        score=like.score,
        team=like.team,
        created_at=MONDAY_9,
        sla_due_at=MONDAY_9,
    )
    clocks = plan_opening_clocks(handoffs=[batch], now=MONDAY_9)
    batch.save()
    Clock.objects.bulk_create(clocks)
    return batch


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    first_touch_minutes=st.integers(min_value=1, max_value=2400),
    accept_minutes=st.integers(min_value=1, max_value=2400),
    counting=st.sampled_from(Counting.values),
    score=st.integers(min_value=0, max_value=100),
    steps=steps,
)
def test_the_kept_deadline_is_the_earliest_running_clock_s(
    db, first_touch_minutes, accept_minutes, counting, score, steps
):
    SlaPolicy.objects.filter(step=Step.FIRST_TOUCH, min_score=None, requires_request=False).update(
        target_minutes=first_touch_minutes, counting=counting
    )
    SlaPolicy.objects.filter(step=Step.ACCEPT_OR_RETURN).update(
        target_minutes=accept_minutes, counting=counting
    )
    handoff = HandoffFactory(created_at=MONDAY_9, score=score)
    start_clocks(handoff=handoff, now=MONDAY_9)
    batch = open_in_a_batch(like=handoff)

    handoff.refresh_from_db()
    batch.refresh_from_db()
    assert handoff.sla_due_at == batch.sla_due_at == due_in_sql(handoff) == due_in_sql(batch)

    now = MONDAY_9
    for step, minutes in steps:
        now += timedelta(minutes=minutes)
        before = handoff.sla_due_at
        if step == "first touch":
            stop_clock(handoff=handoff, step=Step.FIRST_TOUCH, now=now)
        elif step == "scan":
            advance_clocks(now=now)
        else:
            decide_clocks(handoff=handoff, now=now, accepted=step == "accept")
        handoff.refresh_from_db()
        if step in ("accept", "return"):
            assert handoff.sla_due_at == before
            break
        assert handoff.sla_due_at == due_in_sql(handoff)
