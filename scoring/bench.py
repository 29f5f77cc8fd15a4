"""`make bench --only preview_100k rescore_10k`: the draft preview over 100,000 leads (it must
answer within 2 seconds on PostgreSQL) and rescore_leads on 10,000-lead batches.

Runs in a scratch copy of the configured database (created and dropped here), filled with the
demo generator's realistic profiles and 90 days of activities, so figures come from the engine
the app runs on and real data is never touched.
"""

import statistics
import time

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.utils import timezone

from core.benchmarking import scratch_database
from leads import demo
from leads.models import Activity, Channel, Lead, Stage, StageChange, search_key
from scoring.models import Agreement
from scoring.preview import preview_draft
from scoring.services import rescore_leads
from scoring.starter import install_starter_agreement
from scoring.versions import create_draft

LEADS = 100_000
RUNS = 5
BATCH = 10_000


def fill(count: int, stdout) -> list[int]:
    """`count` demo leads with their activities, and an outcome history for a tenth of them."""
    from django.apps import apps

    started = time.perf_counter()
    install_starter_agreement(apps)
    channels = {
        slug: Channel.objects.create(name=name, slug=slug, kind=kind)
        for name, slug, kind in demo.CHANNELS
    }
    profiles = demo.demo_leads(count)
    leads = []
    for profile in profiles:
        profile.pop("created_days_ago", None)
        lead = Lead(**{**profile, "channel": channels[profile["channel"]]})
        lead.search_text = search_key(lead.first_name, lead.last_name, lead.email)
        leads.append(lead)
    Lead.objects.bulk_create(leads, batch_size=5000)
    ids = dict(Lead.objects.values_list("email", "pk"))
    rows = demo.demo_activities([p["email"] for p in profiles], timezone.now())
    for start in range(0, len(rows), 20_000):
        Activity.objects.bulk_create(
            Activity(
                lead_id=ids[row["email"]],
                kind=row["kind"],
                occurred_at=row["occurred_at"],
                properties=row["properties"],
                source="bench",
                external_id=row["external_id"],
            )
            for row in rows[start : start + 20_000]
        )
    history = []
    for number, lead_id in enumerate(sorted(ids.values())[: count // 10]):
        stage = Stage.SQL if number % 2 else Stage.RECYCLED
        history.append(StageChange(lead_id=lead_id, from_stage=Stage.MQL, to_stage=stage))
    StageChange.objects.bulk_create(history, batch_size=5000)
    stdout.write(
        f"  filled {count:,} leads, {len(rows):,} activities "
        f"in {time.perf_counter() - started:.0f} s"
    )
    return sorted(ids.values())


def _marketer():
    user = get_user_model().objects.create(username="bench-marketer")
    user.groups.add(Group.objects.get_or_create(name="marketer")[0])
    return user


def preview_100k(stdout, options):
    count = max(1000, int(LEADS * options.get("scale", 1.0)))
    with scratch_database():
        ids = fill(count, stdout)
        # As in production, rescoring has stored each lead's verdict under the published version.
        for start in range(0, len(ids), BATCH):
            rescore_leads(ids[start : start + BATCH], allow_moves=False)
        draft = create_draft(user=_marketer(), copy_of=Agreement.objects.get(status="published"))
        Agreement.objects.filter(pk=draft.pk).update(threshold=20)
        draft.refresh_from_db()
        timings = []
        for run in range(RUNS):
            started = time.perf_counter()
            preview = preview_draft(draft=draft)
            timings.append(time.perf_counter() - started)
            stdout.write(
                f"  run {run + 1}: {timings[-1]:.2f} s "
                f"(MQL {preview.mql_under_published:,} -> {preview.mql_under_draft:,})"
            )
    stdout.write(
        f"preview_100k on {connection.vendor}, {count:,} leads: "
        f"{statistics.median(timings):.2f} s (median of {RUNS}; the bar is 2 s on PostgreSQL)"
    )


def rescore_10k(stdout, options):
    count = max(1000, int(LEADS * options.get("scale", 1.0)))
    batch = min(BATCH, count)
    with scratch_database():
        ids = fill(count, stdout)
        timings = []
        for run in range(RUNS):
            chunk = ids[(run * batch) % count :][:batch]
            started = time.perf_counter()
            summary = rescore_leads(chunk)
            timings.append(time.perf_counter() - started)
            stdout.write(
                f"  run {run + 1}: {batch / timings[-1]:,.0f} leads/s "
                f"({len(summary.moved_to_mql):,} moved to MQL)"
            )
    stdout.write(
        f"rescore_10k on {connection.vendor}, batches of {batch:,}: "
        f"{batch / statistics.median(timings):,.0f} leads/s (median of {RUNS}; "
        "each batch is new leads, so it includes their MQL moves and handoffs)"
    )


BENCHMARKS = [preview_100k, rescore_10k]
