from datetime import UTC, datetime, timedelta

import pytest

from handoff.models import Handoff

START = datetime(2026, 3, 6, 15, 0, tzinfo=UTC)  # a Friday: calendar hours ignore weekends
DUE = START + timedelta(hours=24)


@pytest.mark.parametrize(
    ("hours_in", "state"),
    [(0, "on_time"), (17.9, "on_time"), (18, "at_risk"), (23.9, "at_risk"), (24, "breached")],
)
def test_a_running_clock_is_on_time_then_at_risk_at_75_percent_then_breached(hours_in, state):
    handoff = Handoff(created_at=START, sla_due_at=DUE)

    assert handoff.clock_state(START + timedelta(hours=hours_in)) == state


def test_a_stopped_clock_is_met_or_breached_by_when_it_stopped():
    in_time = Handoff(created_at=START, sla_due_at=DUE, accepted_at=DUE)
    late = Handoff(created_at=START, sla_due_at=DUE, returned_at=DUE + timedelta(minutes=1))

    later = DUE + timedelta(days=3)
    assert in_time.clock_state(later) == "met"
    assert late.clock_state(later) == "breached"


def test_top_reasons_are_the_three_lines_worth_most():
    handoff = Handoff(
        explanation={
            "lines": [
                {"rule": "a", "points": 5},
                {"rule": "b", "points": 20},
                {"rule": "c", "points": -10},
                {"rule": "d", "points": 10},
                {"rule": "e", "points": 7},
            ]
        }
    )

    assert [line["rule"] for line in handoff.top_reasons] == ["b", "d", "e"]
