import pytest
from django.utils import translation

from reports import breaches
from sla.models import ClockState, Step
from tests.sla import fixtures

pytestmark = pytest.mark.django_db


def cells(rows):
    return {
        (row["label"], row["step"]): (row["met"], row["breached"], row["open"], row["breach_rate"])
        for row in rows
    }


def test_totals_count_met_breached_and_open_clocks_of_the_period(data):
    assert breaches.totals(fixtures.week()) == {
        "met": 13,
        "breached": 5,
        "open": 2,
        "decided": 18,
        "breach_rate": 27.8,
    }


def test_by_team(data):
    assert cells(breaches.breach_summary(fixtures.week(group_by="team"))) == {
        ("Team A", Step.FIRST_TOUCH): (4, 1, 0, 20.0),
        ("Team A", Step.ACCEPT_OR_RETURN): (3, 1, 1, 25.0),
        ("Team B", Step.FIRST_TOUCH): (3, 2, 0, 40.0),
        ("Team B", Step.ACCEPT_OR_RETURN): (3, 1, 1, 25.0),
    }


def test_by_rep(data):
    assert cells(breaches.breach_summary(fixtures.week(group_by="rep"))) == {
        ("rep1", Step.FIRST_TOUCH): (4, 2, 0, 33.3),
        ("rep1", Step.ACCEPT_OR_RETURN): (4, 1, 1, 20.0),
        ("rep2", Step.FIRST_TOUCH): (3, 1, 0, 25.0),
        ("rep2", Step.ACCEPT_OR_RETURN): (2, 1, 1, 33.3),
    }


def test_by_channel_for_one_step(data):
    rows = breaches.breach_summary(fixtures.week(group_by="channel", step=Step.FIRST_TOUCH))

    assert cells(rows) == {
        ("Channel X", Step.FIRST_TOUCH): (5, 1, 0, 16.7),
        ("Channel Y", Step.FIRST_TOUCH): (2, 2, 0, 50.0),
    }


def test_by_week_and_one_team(data):
    team_b = data["teams"]["B"].pk
    with translation.override("en"):  # the label writes the week's first day in the language
        rows = breaches.breach_summary(fixtures.week(group_by="week", team_id=team_b))

    assert cells(rows) == {
        ("week of Nov 16, 2026", Step.FIRST_TOUCH): (3, 2, 0, 40.0),
        ("week of Nov 16, 2026", Step.ACCEPT_OR_RETURN): (3, 1, 1, 25.0),
    }
    assert {row["group"] for row in rows} == {"2026-11-16"}


def test_median_and_90th_percentile_response_times(data):
    times = breaches.response_times(fixtures.week())

    first_touch, accept = times[Step.FIRST_TOUCH], times[Step.ACCEPT_OR_RETURN]
    assert (first_touch["count"], first_touch["median_minutes"], first_touch["p90_minutes"]) == (
        10,
        105,
        300,
    )
    assert (accept["count"], accept["median_minutes"], accept["p90_minutes"]) == (8, 385, 600)
    assert first_touch["distribution"] == [1, 3, 3, 2, 1, 0]


def test_weekly_trend_includes_only_the_period(data):
    assert breaches.weekly_trend(fixtures.week()) == [
        {"week": "2026-11-16", "met": 13, "breached": 5, "open": 2, "breach_rate": 27.8}
    ]


def test_the_drilldown_lists_the_clocks_behind_a_cell(data, reps):
    clocks = breaches.drilldown(
        fixtures.week(group_by="rep"), group=str(reps["rep1"].pk), state=ClockState.BREACHED
    )

    assert sorted((clock.step, clock.elapsed_minutes) for clock in clocks) == [
        (Step.ACCEPT_OR_RETURN, 600),
        (Step.FIRST_TOUCH, 250),
        (Step.FIRST_TOUCH, 300),
    ]


def test_the_drilldown_of_a_week(data):
    clocks = breaches.drilldown(fixtures.week(group_by="week"), group="2026-11-16")

    assert clocks.count() == 20


def test_percentiles_by_nearest_rank():
    assert breaches.percentile([], 0.9) is None
    assert breaches.percentile([7], 0.9) == 7
    assert breaches.percentile(list(range(1, 21)), 0.9) == 18
