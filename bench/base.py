"""What every measurement of `manage.py bench` returns, and the timing helpers they share.

A measurement is a function in an app's `bench` module (listed in its `MEASUREMENTS`) that takes
a `Bench` (the run's settings, the synthetic data set and a progress printer) and returns one or
more `Result`s. Figures are medians (or 95th percentiles) of several runs, and where a cheaper
way to do the same work exists (a raw COPY, the page's main SQL alone) it is measured in the
same run as the baseline, so the ratio means something on any machine.
"""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext


@dataclass
class Result:
    name: str
    value: float | None
    unit: str
    target: float | None = None
    # "higher" for rates (events/s), "lower" for durations (ms, s).
    better: str = "higher"
    baseline: float | None = None
    baseline_label: str = ""
    notes: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if self.value is None or not self.baseline:
            return None
        return self.value / self.baseline

    @property
    def met(self) -> bool | None:
        """Whether the target is met (None when the measurement has no target or no figure)."""
        if self.target is None or self.value is None:
            return None
        ok = self.value >= self.target if self.better == "higher" else self.value <= self.target
        for key in ("errors", "double_accepts"):
            if self.extra.get(key):
                ok = False
        return ok

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "value": self.value,
            "unit": self.unit,
            "target": self.target,
            "better": self.better,
            "baseline": self.baseline,
            "baseline_label": self.baseline_label,
            "ratio": self.ratio,
            "met": self.met,
            "notes": self.notes,
            **self.extra,
        }


@dataclass
class Bench:
    """One run of the command: its scale, how often to repeat, the data set, where to print."""

    leads: int
    runs: int
    data: Any  # bench.dataset.Dataset
    database_url: str
    write: Callable[[str], None] = print

    def log(self, message: str) -> None:
        self.write(f"  {message}")


def p95(samples: list[float]) -> float:
    """The nearest-rank 95th percentile: 95% of the samples took at most this long."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def figure(value: float | None) -> str:
    """A figure as the tables print it: whole above 100, two decimals below, a dash if none."""
    if value is None:
        return "—"
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.2f}"


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def timed(function: Callable[[], Any]) -> tuple[float, Any]:
    """Seconds one call takes, and what it returned."""
    started = time.perf_counter()
    value = function()
    return time.perf_counter() - started, value


class _Undo(Exception):
    """Raised inside the transaction of `timed_then_undone` to roll it back."""


def timed_then_undone(function: Callable[[], Any]) -> tuple[float, Any]:
    """Seconds one call takes inside a transaction, and what it returned; its writes are then
    rolled back, so every run (or a baseline) starts from the same data."""
    outcome = None
    try:
        with transaction.atomic():
            outcome = timed(function)
            raise _Undo
    except _Undo:
        return outcome


def page_timings(client, url: str, samples: int) -> tuple[list[float], int]:
    """Seconds of each of `samples` GETs through Django's full request handling after a
    warm-up, and the queries one GET runs."""
    if client.get(url).status_code != 200:
        raise RuntimeError(f"{url} did not answer 200")
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    count = len(queries)  # read now: the next request clears the connection's query log
    return [timed(lambda: client.get(url))[0] for _ in range(samples)], count


def main_sql(client, url: str, table: str) -> str:
    """The SQL by which the page at `url` reads its rows: the first query that reads from
    `table` (e.g. 'FROM "leads_activity"') a page of them (with a LIMIT), counting nothing."""
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    for query in list(queries.captured_queries):
        sql = query["sql"]
        if table in sql and "LIMIT" in sql and "COUNT(" not in sql:
            return sql
    raise RuntimeError(f"{url} read no rows {table}")


def raw_timings(sql: str, samples: int) -> list[float]:
    """Seconds of each of `samples` runs of `sql` alone, its rows fetched: a page's baseline."""

    def run():
        with connection.cursor() as cursor:
            cursor.execute(sql)
            cursor.fetchall()

    return [timed(run)[0] for _ in range(samples)]


def repeat(function: Callable[[], Any], runs: int) -> list[float]:
    """Seconds of each of `runs` calls."""
    return [timed(function)[0] for _ in range(runs)]
