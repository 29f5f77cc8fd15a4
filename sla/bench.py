"""`make bench --only clock_scan`: the every-minute scan over 20,000 running clocks.

The scan must stay a few set-based statements however many handoffs are open; this measures it
in a scratch copy of the configured database, with a tenth of the clocks turning at risk and a
hundredth breaching (escalated one by one, as each breach must be).
"""

import statistics
import time
from datetime import UTC, datetime, timedelta

from django.db import connection

from core.benchmarking import scratch_database
from handoff.models import Handoff
from leads.models import Lead, Stage
from sla.models import Clock, ClockState, Counting, SlaPolicy, Step
from sla.services import advance_clocks

CLOCKS = 20_000
RUNS = 3
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def seed(count: int) -> None:
    policy = SlaPolicy.objects.get(step=Step.ACCEPT_OR_RETURN, min_score=None)
    SlaPolicy.objects.filter(pk=policy.pk).update(notify_manager=False)
    leads = Lead.objects.bulk_create(
        (Lead(email=f"scan{n}@example.com", stage=Stage.MQL) for n in range(count)),
        batch_size=2000,
    )
    started = NOW - timedelta(hours=1)
    handoffs = Handoff.objects.bulk_create(
        (Handoff(lead=lead, score=10, created_at=started, sla_due_at=started) for lead in leads),
        batch_size=2000,
    )
    clocks = []
    for n, handoff in enumerate(handoffs):
        # Every 100th is overdue, every 10th past its at-risk time, the rest on time.
        due = NOW - timedelta(minutes=1) if n % 100 == 0 else NOW + timedelta(hours=2)
        at_risk = NOW - timedelta(minutes=1) if n % 10 == 0 else NOW + timedelta(hours=1)
        clocks.append(
            Clock(
                handoff=handoff,
                step=Step.ACCEPT_OR_RETURN,
                policy=policy,
                target_minutes=policy.target_minutes,
                counting=Counting.BUSINESS,
                at_risk_percent=75,
                started_at=started,
                due_at=due,
                at_risk_at=min(at_risk, due),
            )
        )
    Clock.objects.bulk_create(clocks, batch_size=2000)


def clock_scan(stdout, options):
    count = max(1000, int(CLOCKS * options.get("scale", 1.0)))
    with scratch_database():
        seed(count)
        timings = []
        for _run in range(RUNS):
            Clock.objects.update(
                state=ClockState.RUNNING, breached_at=None, escalated_at=None, rep=None
            )
            started = time.perf_counter()
            result = advance_clocks(now=NOW)
            timings.append(time.perf_counter() - started)
            assert result.escalated == count // 100, result
        stdout.write(
            f"clock scan on {connection.vendor}, {count:,} running clocks "
            f"({result.at_risk:,} at risk, {result.breached:,} breached and escalated): "
            f"{statistics.median(timings) * 1000:,.0f} ms (median of {RUNS})"
        )


BENCHMARKS = [clock_scan]
