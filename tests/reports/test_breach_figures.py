"""The breach report computed in one pass: the same figures as its parts, reps as the clocks name
them, and response times read from counts of minutes."""

import pytest

from accounts.roles import Role
from handoff.models import Handoff
from reports import breaches
from sla.models import Clock, Step
from tests.sla import fixtures

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("group_by", breaches.GROUPINGS)
@pytest.mark.parametrize("step", [None, Step.FIRST_TOUCH])
def test_the_report_holds_the_figures_of_its_parts(data, group_by, step):
    filters = fixtures.week(group_by=group_by, step=step)

    assert breaches.breach_report(filters) == {
        "totals": breaches.totals(filters),
        "rows": breaches.breach_summary(filters),
        "response_times": breaches.response_times(filters),
        "weekly": breaches.weekly_trend(filters),
    }


def test_a_running_clock_counts_for_the_handoff_s_rep_and_a_decided_one_for_its_own(
    data, make_user
):
    rep3 = make_user(Role.SDR, username="rep3")
    # Two handoffs of the fixture (one of each rep's) still wait for accept or return.
    Handoff.objects.filter(clocks__state="running").update(assignee=rep3)

    rows = {
        (row["label"], row["step"]): (row["met"], row["breached"], row["open"])
        for row in breaches.breach_summary(fixtures.week(group_by="rep"))
    }

    assert rows[("rep3", Step.ACCEPT_OR_RETURN)] == (0, 0, 2)
    assert rows[("rep1", Step.ACCEPT_OR_RETURN)] == (4, 1, 0)
    assert rows[("rep2", Step.ACCEPT_OR_RETURN)] == (2, 1, 0)
    assert ("rep3", Step.FIRST_TOUCH) not in rows


def test_a_running_clock_of_a_handoff_in_the_pool_is_unassigned(data):
    Handoff.objects.filter(clocks__state="running").update(assignee=None)

    rows = breaches.breach_summary(fixtures.week(group_by="rep", step=Step.ACCEPT_OR_RETURN))

    assert [(row["label"], row["open"]) for row in rows if row["open"]] == [("Unassigned", 2)]


def test_steps_that_took_the_same_minutes_count_once_each(data):
    taken = Clock.objects.filter(step=Step.FIRST_TOUCH, stopped_at__isnull=False)
    taken.update(elapsed_minutes=30)
    taken.filter(pk=taken.order_by("pk")[0].pk).update(elapsed_minutes=500)

    first_touch = breaches.response_times(fixtures.week())[Step.FIRST_TOUCH]

    assert (first_touch["count"], first_touch["median_minutes"], first_touch["p90_minutes"]) == (
        10,
        30,
        30,
    )
    assert first_touch["distribution"] == [0, 9, 0, 0, 1, 0]


def test_minutes_read_as_the_sorted_list_they_count():
    minutes = breaches.Minutes({10: 1, 5: 3, 60: 2})

    assert list(minutes) == [5, 5, 5, 10, 60, 60]
    assert (breaches.median(minutes), breaches.percentile(minutes, 0.9)) == (7.5, 60)
    assert breaches.median(breaches.Minutes({7: 3})) == 7
    assert breaches.median(breaches.Minutes({})) is None
    with pytest.raises(IndexError):
        minutes[6]
