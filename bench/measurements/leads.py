"""Measurements of getting leads in (activity ingestion, CSV import) and of the lead page.

Ingestion and import go through the same code the API and the import worker run, in process
(parse, validate, store, rescore, MQL moves); their baseline is a raw COPY of the same rows into
the same table, timed in a transaction that is rolled back, the floor no application path can
beat. The lead page is timed through Django's full request handling as a logged-in user.
"""

import json
import random
import tempfile
import time
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.services import api_token_create
from bench.base import (
    Bench,
    Result,
    main_sql,
    median,
    p95,
    page_timings,
    raw_timings,
    timed,
    timed_then_undone,
)
from bench.copying import Table
from intake.imports import services as imports
from leads.models import Activity, Channel, Lead, Stage

INGEST_BATCH = 5_000
IMPORT_ROWS = 100_000
# The mix of a marketing-automation feed; about one event in a hundred asks for a demo.
FEED = [
    ("page_view", 40),
    ("email_open", 25),
    ("email_click", 15),
    ("pricing_view", 8),
    ("content_download", 8),
    ("webinar_registered", 3),
    ("demo_request", 1),
]
ACTIVITY_COPY_COLUMNS = [
    "lead_id", "kind", "occurred_at", "channel_id", "properties", "source", "external_id",
    "created_at",
]  # fmt: skip
LEAD_COPY_COLUMNS = [
    "email", "first_name", "last_name", "organization", "title", "company_size", "country",
    "phone", "industry", "city", "social_handles", "channel_id", "source_detail", "stage",
    "stage_changed_at", "status", "score", "fit_score", "engagement_score", "score_explanation",
    "attributes", "search_text", "created_at", "updated_at",
]  # fmt: skip
NAMES = ["Иван", "สมชาย", "伟", "محمد", "Olivia", "Lucas", "Sofía", "Анна", "芳", "ليلى"]
COMPANIES = ["ООО «СеверСофт»", "สยามเทค โซลูชั่น", "华通科技", "الخليج للتقنية", "Northwind"]
TITLES = ["Head of Operations", "Директор по ИТ", "技术总监", "ผู้จัดการฝ่ายไอที", "مدير تقنية"]


def _copy_seconds(table: Table) -> float:
    """Seconds to write `table`'s rows with a raw COPY, undone afterwards."""
    return timed_then_undone(table.flush)[0]


def _feed(bench: Bench, run: int, size: int, tag: str) -> list[dict]:
    rng = random.Random(run)
    kinds, weights = zip(*FEED, strict=True)
    first = bench.data.busy_lead_id - bench.data.leads + 1
    now = timezone.now()
    return [
        {
            "external_id": f"{tag}-{run}-{n}",
            "lead": rng.randint(first, bench.data.busy_lead_id),
            "kind": kind,
            "occurred_at": (now - timedelta(minutes=rng.randrange(60 * 24 * 7))).isoformat(),
            "channel": "webinar",
            "properties": {"asset_type": "ebook"} if kind == "content_download" else {},
        }
        for n, kind in enumerate(rng.choices(kinds, weights, k=size))
    ]


def ingest_activities(bench: Bench) -> Result:
    """Events/s of 5,000-event batches POSTed to /api/v1/activities/ with a marketer's token."""
    size = min(INGEST_BATCH, bench.leads)
    marketer = get_user_model().objects.get(pk=bench.data.marketer_id)
    key = api_token_create(user=marketer, name="Benchmark", lifetime_in_days=30).key
    client = Client(HTTP_AUTHORIZATION=f"Token {key}", HTTP_HOST="localhost")
    channel_id = Channel.objects.get(slug="webinar").pk
    tag = f"ingest{int(time.time())}"
    api, copy, moved = [], [], 0
    for run in range(bench.runs):
        items = _feed(bench, run, size, tag)
        body = json.dumps(items)
        before = Lead.objects.filter(stage=Stage.MQL).count()
        elapsed, response = timed(
            lambda body=body: client.post(
                "/api/v1/activities/", body, content_type="application/json"
            )
        )
        if response.status_code != 200 or response.json()["created"] != size:
            raise RuntimeError(f"the batch was not stored: {response.status_code}")
        moved += Lead.objects.filter(stage=Stage.MQL).count() - before
        baseline = Table(Activity._meta.db_table, ACTIVITY_COPY_COLUMNS, chunk=None)
        now = timezone.now()
        for item in items:
            baseline.add(
                item["lead"], item["kind"], item["occurred_at"], channel_id,
                item["properties"], "bench-copy", item["external_id"], now,
            )  # fmt: skip
        api.append(size / elapsed)
        copy.append(size / _copy_seconds(baseline))
        bench.log(f"run {run + 1}: {api[-1]:,.0f} events/s (COPY {copy[-1]:,.0f} events/s)")
    return Result(
        "ingest_activities",
        median(api),
        "events/s",
        target=10_000,
        baseline=median(copy),
        baseline_label="raw COPY",
        notes=f"batches of {size:,} through the API path; {moved:,} leads became MQL",
    )


ingest_activities.changes_data = 1


def _csv(rows: int, tag: str, run: int) -> tuple[bytes, list[tuple]]:
    """A CSV file in four scripts, and the same rows as lead columns for the COPY baseline."""
    pick = random.Random(run).choice
    lines = ["Email,First name,Last name,Company,Job title,Employees,Channel,Country"]
    records = []
    for n in range(rows):
        email = f"{tag}-{run}-{n}@example-{n % 997}.com"
        first, company, title = pick(NAMES), pick(COMPANIES), pick(TITLES)
        lines.append(f'{email},{first},Test,"{company}",{title},{n % 5000},webinar,Thailand')
        records.append((email, first, "Test", company, title, n % 5000, "TH"))
    return ("\n".join(lines) + "\n").encode(), records


def _lead_copy(records: list[tuple], channel_id: int) -> Table:
    now = timezone.now()
    table = Table(Lead._meta.db_table, LEAD_COPY_COLUMNS, chunk=None)
    for email, first, last, company, title, size, country in records:
        table.add(
            email, first, last, company, title, size, country, "", "", "", {}, channel_id, "",
            "lead", now, "new", 0, 0, 0, {}, {}, f"{first} {last} {email}".casefold(), now, now,
        )  # fmt: skip
    return table


def import_csv(bench: Bench) -> Result:
    """Rows/s of a CSV import (dry run excluded): upsert, rescoring and progress per batch."""
    rows = max(1000, min(IMPORT_ROWS, bench.leads // 10))
    runs = min(bench.runs, 3)
    channel_id = Channel.objects.get(slug="webinar").pk
    tag = f"import{int(time.time())}"
    rates, copies = [], []
    with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
        for run in range(runs):
            content, records = _csv(rows, tag, run)
            # The floor first (rolled back), then the real import of the same rows.
            copies.append(rows / _copy_seconds(_lead_copy(records, channel_id)))
            job = imports.create_import(upload=SimpleUploadedFile("bench.csv", content), user=None)
            job = imports.dry_run(job=job, mapping=job.mapping, channel=None)
            job.status = "queued"
            job.save(update_fields=["status"])
            elapsed, job = timed(lambda job=job: imports.run_import(job_id=job.pk))
            if job.created_count != rows:
                raise RuntimeError(f"{job.created_count} of {rows} rows were imported")
            rates.append(rows / elapsed)
            bench.log(f"run {run + 1}: {rates[-1]:,.0f} rows/s (COPY {copies[-1]:,.0f} rows/s)")
    return Result(
        "import_csv",
        median(rates),
        "rows/s",
        target=5_000,
        baseline=median(copies),
        baseline_label="raw COPY",
        notes=f"{rows:,} new rows per run, median of {runs}",
    )


import_csv.changes_data = 1


def lead_page(bench: Bench) -> Result:
    """p95 of the lead page of a lead with 200 activities and a handoff, as its SDR."""
    client = Client(HTTP_HOST="localhost")
    client.force_login(get_user_model().objects.get(pk=bench.data.sdr_ids[0]))
    lead = Lead.objects.get(pk=bench.data.busy_lead_id)
    activities = lead.activities.count()
    url = reverse("leads:detail", args=[lead.pk])
    samples = max(20, bench.runs * 10)
    timings, queries = page_timings(client, url, samples)
    # The main SQL: the newest page of the lead's timeline (pages.timeline), the page's rows.
    baseline = raw_timings(main_sql(client, url, 'FROM "leads_activity"'), samples)
    return Result(
        "lead_page",
        p95(timings) * 1000,
        "ms p95",
        target=25,
        better="lower",
        baseline=p95(baseline) * 1000,
        baseline_label="main SQL alone",
        notes=f"{activities} activities, {queries} queries, median {median(timings) * 1000:.1f} ms",
        extra={"queries": queries, "activities": activities},
    )


MEASUREMENTS = [lead_page, ingest_activities, import_csv]
