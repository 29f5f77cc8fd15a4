"""`make bench --only report_queries`: the funnel, returns and channel economics over 20,000 leads.

Runs in a scratch copy of the configured database, like the import benchmark.
"""

import random
import statistics
import time

from django.db import connection
from django.utils import timezone

from core.benchmarking import scratch_database
from leads.models import Channel, ChannelKind, Lead, Stage, StageChange
from reports.economics import channel_economics
from reports.filters import ReportFilters
from reports.selectors import funnel_report, returns_report

LEADS = 20_000
RUNS = 3
# Each lead's path after MQL, weighted roughly like a real funnel.
PATHS = [
    ([Stage.MQL], 30),
    ([Stage.MQL, Stage.RECYCLED], 20),
    ([Stage.MQL, Stage.SAL], 20),
    ([Stage.MQL, Stage.SAL, Stage.SQL], 15),
    ([Stage.MQL, Stage.SAL, Stage.SQL, Stage.OPPORTUNITY], 10),
    ([Stage.MQL, Stage.SAL, Stage.SQL, Stage.OPPORTUNITY, Stage.CUSTOMER], 5),
]


def seed(leads: int) -> None:
    rng = random.Random(6)
    channels = Channel.objects.bulk_create(
        Channel(name=f"Channel {n}", slug=f"bench-{n}", kind=ChannelKind.EVENT) for n in range(8)
    )
    created = Lead.objects.bulk_create(
        (
            Lead(
                email=f"bench{n}@example.com",
                channel=rng.choice(channels),
                attributes={"campaign": rng.choice(["spring", "autumn", "always-on"])},
            )
            for n in range(leads)
        ),
        batch_size=2000,
    )
    paths, weights = zip(*PATHS, strict=True)
    changes = []
    for lead in created:
        before = Stage.LEAD
        for stage in rng.choices(paths, weights)[0]:
            context = {"agreement_version": rng.choice([1, 2])} if stage == Stage.MQL else {}
            changes.append(
                StageChange(lead=lead, from_stage=before, to_stage=stage, context=context)
            )
            before = stage
    StageChange.objects.bulk_create(changes, batch_size=5000)


def report_queries(stdout, options):
    leads = max(1000, int(LEADS * options.get("scale", 1.0)))
    with scratch_database():
        seed(leads)
        today = timezone.localdate()
        filters = ReportFilters(date_from=today, date_to=today)
        for name, build in [
            ("funnel", lambda: funnel_report(filters=filters)),
            ("returns", lambda: returns_report(filters=filters)),
            ("channel economics", lambda: channel_economics(filters=filters)),
        ]:
            timings = []
            for _run in range(RUNS):
                started = time.perf_counter()
                build()
                timings.append(time.perf_counter() - started)
            stdout.write(
                f"{name} on {connection.vendor}, {leads:,} leads: "
                f"{statistics.median(timings) * 1000:,.0f} ms (median of {RUNS})"
            )


BENCHMARKS = [report_queries]
