"""The every-minute SLA scan over the data set's running clocks (N/10: 100,000 at a million leads).

Each run scans at the moment when one running clock in 500 has passed its due time (at the data
set's inflow, about a minute's worth: each is escalated one by one, as each breach must be) and
those past their at-risk time turn at risk, inside a transaction that is rolled back, so every
run sees the same clocks.
"""

from bench.base import Bench, Result, median, timed_then_undone
from sla.models import RUNNING_STATES, Clock
from sla.services import advance_clocks


def _scan_moment(running, count: int):
    """The instant by which one running clock in 500 is due."""
    return running.order_by("due_at").values_list("due_at", flat=True)[count // 500]


def sla_scan(bench: Bench) -> Result:
    running = Clock.objects.filter(state__in=RUNNING_STATES, stopped_at=None)
    count = running.count()
    now = _scan_moment(running, count)
    timings, result = [], None
    for _run in range(bench.runs):
        elapsed, result = timed_then_undone(lambda: advance_clocks(now=now))
        timings.append(elapsed)
    bench.log(f"{result.at_risk:,} at risk, {result.breached:,} breached per run")
    return Result(
        "sla_scan",
        median(timings),
        "s",
        target=1,
        better="lower",
        notes=f"{count:,} running clocks; each run turns {result.at_risk:,} at risk and "
        f"escalates {result.breached:,} breaches",
        extra={"running_clocks": count, "breached": result.breached, "at_risk": result.at_risk},
    )


MEASUREMENTS = [sla_scan]
