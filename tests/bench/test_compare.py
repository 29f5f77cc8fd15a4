"""`manage.py bench --compare FILE`: each figure beside the earlier run's, regressions flagged in
the direction that is worse for that figure."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bench.base import Result
from bench.compare import compare, comparison_table, read_previous


def _earlier(tmp_path, **values):
    path = tmp_path / "before.json"
    path.write_text(
        json.dumps({"leads": 1000, "results": [{"name": n, "value": v} for n, v in values.items()]})
    )
    return path


def test_a_rate_regresses_when_it_falls_more_than_a_fifth(tmp_path):
    previous = read_previous(_earlier(tmp_path, fell=10_000, held=10_000, rose=10_000))
    results = [
        Result("fell", 7_900, "events/s"),
        Result("held", 8_100, "events/s"),
        Result("rose", 20_000, "events/s"),
    ]

    assert [c.regressed for c in compare(results, previous)] == [True, False, False]


def test_a_duration_regresses_when_it_grows_more_than_a_fifth(tmp_path):
    previous = read_previous(_earlier(tmp_path, grew=100, held=100, fell=100))
    results = [
        Result("grew", 121, "ms", better="lower"),
        Result("held", 119, "ms", better="lower"),
        Result("fell", 10, "ms", better="lower"),
    ]

    assert [c.regressed for c in compare(results, previous)] == [True, False, False]


def test_a_figure_without_an_earlier_one_is_shown_and_not_flagged(tmp_path):
    previous = read_previous(_earlier(tmp_path, other=1))
    comparisons = compare([Result("new", 5, "s", better="lower"), Result("gone", None, "s")], {})

    assert [(c.previous, c.change, c.regressed) for c in comparisons] == [(None, None, False)] * 2
    assert previous == {"other": {"name": "other", "value": 1}}


def test_the_table_shows_both_figures_the_change_and_the_flag():
    previous = {"page": {"value": 40.0}, "rate": {"value": 10_000}}
    text = comparison_table(
        compare(
            [Result("page", 61.5, "ms p95", better="lower"), Result("rate", 11_000, "events/s")],
            previous,
        ),
        against="bench/results/1m.json",
    )

    page = next(line for line in text.splitlines() if line.startswith("page"))
    rate = next(line for line in text.splitlines() if line.startswith("rate"))
    assert "61.50" in page and "40.00" in page and "+54%" in page and "REGRESSION" in page
    assert "11,000" in rate and "10,000" in rate and "+10%" in rate and "REGRESSION" not in rate
    assert "1 regression(s) against bench/results/1m.json" in text


def test_the_command_refuses_a_file_that_is_not_a_result_before_measuring(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text("{}")

    with pytest.raises(CommandError, match="not a bench --json file"):
        call_command("bench", "--compare", str(broken), "--no-scratch")
    with pytest.raises(CommandError, match="not a bench --json file"):
        call_command("bench", "--compare", str(tmp_path / "missing.json"), "--no-scratch")
