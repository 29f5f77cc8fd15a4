from datetime import UTC, datetime, time, timedelta

import pytest

from sla.calendars import save_team_calendar
from sla.models import Clock, ClockState, Counting, SlaPolicy, Step
from sla.services import (
    advance_clocks,
    decide_clocks,
    start_clocks,
    stop_clock,
    stop_sql_decision,
)
from tests.sla.factories import HandoffFactory

pytestmark = pytest.mark.django_db

# A Monday, 09:00 UTC: the default calendar (Mon-Fri 09:00-17:00, UTC) is open.
MONDAY_9 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def test_opening_a_handoff_starts_first_touch_and_accept_clocks_with_a_snapshot():
    handoff = HandoffFactory(created_at=MONDAY_9)

    clocks = start_clocks(handoff=handoff, now=MONDAY_9)

    first_touch = clocks[Step.FIRST_TOUCH]
    assert first_touch.policy.name == "First touch within 4 business hours"
    assert (first_touch.target_minutes, first_touch.counting, first_touch.at_risk_percent) == (
        240,
        Counting.BUSINESS,
        75,
    )
    assert first_touch.due_at == MONDAY_9 + timedelta(hours=4)
    assert first_touch.at_risk_at == MONDAY_9 + timedelta(hours=3)
    accept = clocks[Step.ACCEPT_OR_RETURN]
    assert accept.due_at == MONDAY_9 + timedelta(hours=8)
    assert set(Clock.objects.values_list("step", flat=True)) == {
        Step.FIRST_TOUCH,
        Step.ACCEPT_OR_RETURN,
    }


def test_starting_twice_keeps_the_clocks_already_running():
    handoff = HandoffFactory(created_at=MONDAY_9)
    first = start_clocks(handoff=handoff, now=MONDAY_9)

    again = start_clocks(handoff=handoff, now=MONDAY_9 + timedelta(hours=1))

    assert again[Step.FIRST_TOUCH].pk == first[Step.FIRST_TOUCH].pk
    assert again[Step.FIRST_TOUCH].started_at == MONDAY_9
    assert Clock.objects.count() == 2


def test_a_step_done_in_time_is_met_with_the_business_minutes_it_took():
    handoff = HandoffFactory(created_at=MONDAY_9)
    start_clocks(handoff=handoff, now=MONDAY_9)

    clock = stop_clock(handoff=handoff, step=Step.FIRST_TOUCH, now=MONDAY_9 + timedelta(minutes=95))

    assert (clock.state, clock.elapsed_minutes, clock.breached_at) == (ClockState.MET, 95, None)


def test_a_step_done_after_its_due_time_is_breached_late():
    handoff = HandoffFactory(created_at=MONDAY_9)
    start_clocks(handoff=handoff, now=MONDAY_9)
    # Tuesday 10:00: 8 business hours on Monday plus one on Tuesday.
    late = MONDAY_9 + timedelta(days=1, hours=1)

    clock = stop_clock(handoff=handoff, step=Step.FIRST_TOUCH, now=late)

    assert clock.state == ClockState.BREACHED
    assert clock.breached_at == late
    assert clock.elapsed_minutes == 9 * 60


def test_stopping_twice_keeps_the_first_stop():
    handoff = HandoffFactory(created_at=MONDAY_9)
    start_clocks(handoff=handoff, now=MONDAY_9)
    stop_clock(handoff=handoff, step=Step.FIRST_TOUCH, now=MONDAY_9 + timedelta(minutes=10))

    stop_clock(handoff=handoff, step=Step.FIRST_TOUCH, now=MONDAY_9 + timedelta(days=3))

    clock = Clock.objects.get(step=Step.FIRST_TOUCH)
    assert (clock.state, clock.elapsed_minutes) == (ClockState.MET, 10)


def test_accepting_starts_the_sql_decision_clock_and_returning_does_not():
    accepted = HandoffFactory(created_at=MONDAY_9)
    returned = HandoffFactory(created_at=MONDAY_9)
    for handoff in (accepted, returned):
        start_clocks(handoff=handoff, now=MONDAY_9)
    later = MONDAY_9 + timedelta(hours=2)

    decide_clocks(handoff=accepted, now=later, accepted=True)
    decide_clocks(handoff=returned, now=later, accepted=False)

    decision = Clock.objects.get(handoff=accepted, step=Step.SQL_DECISION)
    assert decision.started_at == later
    assert decision.target_minutes == 10 * 8 * 60
    # Ten business days of eight hours from Monday 11:00: Monday two weeks on, 11:00.
    assert decision.due_at == later + timedelta(days=14)
    assert not Clock.objects.filter(handoff=returned, step=Step.SQL_DECISION).exists()


def test_the_rep_holding_the_handoff_is_recorded_when_the_clock_stops(sdr):
    handoff = HandoffFactory(created_at=MONDAY_9, assignee=sdr)
    start_clocks(handoff=handoff, now=MONDAY_9)

    clock = stop_clock(handoff=handoff, step=Step.FIRST_TOUCH, now=MONDAY_9 + timedelta(hours=1))

    assert clock.rep == sdr


def test_calendar_time_policies_count_nights_and_weekends():
    SlaPolicy.objects.filter(step=Step.FIRST_TOUCH).update(counting=Counting.CALENDAR)
    friday_evening = datetime(2026, 11, 27, 20, 0, tzinfo=UTC)
    handoff = HandoffFactory(created_at=friday_evening)

    clocks = start_clocks(handoff=handoff, now=friday_evening)

    assert clocks[Step.FIRST_TOUCH].due_at == friday_evening + timedelta(hours=4)


def test_clocks_follow_the_team_calendar():
    handoff = HandoffFactory(created_at=MONDAY_9)
    save_team_calendar(
        team=handoff.team,
        time_zone="Asia/Bangkok",
        hours={day: [(time(8), time(12)), (time(13), time(17))] for day in range(5)},
    )

    clocks = start_clocks(handoff=handoff, now=MONDAY_9)

    # 16:00 in Bangkok: one business hour left today, three more from 08:00 on Tuesday.
    assert clocks[Step.FIRST_TOUCH].due_at == datetime(2026, 11, 24, 4, 0, tzinfo=UTC)


def test_the_handoff_is_due_when_its_earliest_running_clock_is():
    handoff = HandoffFactory(created_at=MONDAY_9)

    start_clocks(handoff=handoff, now=MONDAY_9)

    handoff.refresh_from_db()
    assert handoff.sla_due_at == MONDAY_9 + timedelta(hours=4)  # the first touch, not accept


def test_once_the_first_touch_is_logged_the_handoff_is_due_at_accept_or_return():
    handoff = HandoffFactory(created_at=MONDAY_9)
    start_clocks(handoff=handoff, now=MONDAY_9)

    stop_clock(handoff=handoff, step=Step.FIRST_TOUCH, now=MONDAY_9 + timedelta(hours=1))

    handoff.refresh_from_db()
    assert handoff.sla_due_at == MONDAY_9 + timedelta(hours=8)


def test_a_breached_clock_still_runs_so_the_handoff_stays_due_at_its_breach():
    handoff = HandoffFactory(created_at=MONDAY_9)
    start_clocks(handoff=handoff, now=MONDAY_9)

    advance_clocks(now=MONDAY_9 + timedelta(hours=5))

    handoff.refresh_from_db()
    assert handoff.sla_due_at == MONDAY_9 + timedelta(hours=4)


@pytest.mark.parametrize("accepted", [True, False])
def test_a_decided_handoff_keeps_the_deadline_it_was_decided_under(accepted):
    handoff = HandoffFactory(created_at=MONDAY_9)
    start_clocks(handoff=handoff, now=MONDAY_9)

    decide_clocks(handoff=handoff, now=MONDAY_9 + timedelta(hours=2), accepted=accepted)

    handoff.refresh_from_db()
    assert handoff.sla_due_at == MONDAY_9 + timedelta(hours=4)


def test_promotion_stops_the_lead_s_sql_decision_clock():
    handoff = HandoffFactory(created_at=MONDAY_9)
    start_clocks(handoff=handoff, now=MONDAY_9, steps=(Step.SQL_DECISION,))

    clock = stop_sql_decision(lead_id=handoff.lead_id, now=MONDAY_9 + timedelta(days=2))

    assert (clock.state, clock.elapsed_minutes) == (ClockState.MET, 16 * 60)
    assert stop_sql_decision(lead_id=handoff.lead_id, now=MONDAY_9 + timedelta(days=3)) is None


def test_a_step_stamped_just_before_its_clock_started_took_no_time():
    handoff = HandoffFactory(created_at=MONDAY_9)
    start_clocks(handoff=handoff, now=MONDAY_9)

    clock = stop_clock(
        handoff=handoff, step=Step.FIRST_TOUCH, now=MONDAY_9 - timedelta(milliseconds=40)
    )

    assert (clock.stopped_at, clock.elapsed_minutes, clock.state) == (MONDAY_9, 0, ClockState.MET)
