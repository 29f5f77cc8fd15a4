"""`make bench --only ingest_activities`: activity batches through the real API path, events/s.

Each run POSTs one 10,000-event batch to /api/v1/activities/ with a token, in-process through
Django's full request handling: authentication, msgspec decoding, the set-based insert, the
engagement update, and rescoring with the MQL moves (and handoffs) that follow. The same rows are
then written with a raw psycopg COPY, the floor no application path can beat, and the report
gives the median of both and their ratio. PostgreSQL only (SQLite is the try-it-out database);
runs in a scratch copy of the configured database, as production would: DEBUG off.
"""

import json
import random
import statistics
import time
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import override_settings
from django.utils import timezone
from rest_framework.authtoken.models import Token

from accounts.roles import Role
from core.benchmarking import scratch_database
from leads.models import Channel, ChannelKind, Lead, Stage, search_key
from scoring.models import Agreement, AgreementStatus

LEADS = 20_000
BATCH = 10_000
RUNS = 5
# The mix of a marketing-automation feed; one batch in a hundred events asks for a demo, which
# makes its (complete-profile) lead an MQL.
KINDS = [
    ("page_view", 40),
    ("email_open", 25),
    ("email_click", 15),
    ("pricing_view", 8),
    ("content_download", 8),
    ("webinar_registered", 3),
    ("demo_request", 1),
]
COPY_SQL = (
    "COPY leads_activity (lead_id, kind, occurred_at, channel_id, properties, source, "
    "external_id, created_at) FROM STDIN"
)


def seed(leads: int) -> tuple[list[int], Channel, str]:
    channel = Channel.objects.create(name="Webinars", slug="webinar", kind=ChannelKind.EVENT)
    rows = []
    for n in range(leads):
        lead = Lead(
            email=f"person{n}@company{n % 500}.example",
            first_name="Olivia",
            last_name=f"Nguyen {n}",
            title="Head of Operations",
            organization=f"Company {n % 500}",
            channel=channel,
        )
        lead.search_text = search_key(
            lead.first_name, lead.last_name, lead.email, lead.organization, lead.title
        )
        rows.append(lead)
    ids = [lead.pk for lead in Lead.objects.bulk_create(rows, batch_size=5000)]
    user = get_user_model().objects.create_user("bench-feed")
    user.groups.add(Group.objects.get(name=Role.MARKETER))
    return ids, channel, Token.objects.create(user=user).key


def batch(run: int, lead_ids: list[int], size: int) -> list[dict]:
    rng = random.Random(run)
    kinds, weights = zip(*KINDS, strict=True)
    now = timezone.now()
    return [
        {
            "external_id": f"run{run}-evt{n}",
            "lead": rng.choice(lead_ids),
            "kind": kind,
            "occurred_at": (now - timedelta(minutes=rng.randrange(60 * 24 * 7))).isoformat(),
            "channel": "webinar",
            "properties": {"asset_type": "ebook"} if kind == "content_download" else {},
        }
        for n, kind in enumerate(rng.choices(kinds, weights, k=size))
    ]


def copy_rows(items: list[dict], channel_id: int) -> float:
    """Seconds for a raw COPY of the same events (under another source), committed."""
    started = time.perf_counter()
    now = timezone.now()
    with connection.cursor() as cursor, cursor.connection.cursor() as raw:
        with raw.copy(COPY_SQL) as copy:
            for item in items:
                copy.write_row(
                    (
                        item["lead"],
                        item["kind"],
                        item["occurred_at"],
                        channel_id,
                        json.dumps(item["properties"]),
                        "bench-copy",
                        item["external_id"],
                        now,
                    )
                )
        cursor.connection.commit()
    return time.perf_counter() - started


def measure(client, lead_ids, channel, *, runs: range, size: int) -> tuple[list, list, int]:
    """Events/s of each API batch and of a COPY of the same rows; leads moved to MQL."""
    api_rates, copy_rates, moved = [], [], 0
    for run in runs:
        items = batch(run, lead_ids, size)
        body = json.dumps(items)
        mql_before = Lead.objects.filter(stage=Stage.MQL).count()
        started = time.perf_counter()
        response = client.post("/api/v1/activities/", body, content_type="application/json")
        elapsed = time.perf_counter() - started
        if response.status_code != 200 or response.json()["created"] != size:
            raise RuntimeError(f"the batch was not stored: {response.status_code}")
        moved += Lead.objects.filter(stage=Stage.MQL).count() - mql_before
        api_rates.append(size / elapsed)
        copy_rates.append(size / copy_rows(items, channel.pk))
    return api_rates, copy_rates, moved


def ingest_activities(stdout, options):
    if connection.vendor != "postgresql":
        stdout.write(
            "skipped: ingestion is measured on PostgreSQL; set DATABASE_URL=postgres://… "
            "(SQLite is the try-it-out database)."
        )
        return
    size = max(100, int(BATCH * options.get("scale", 1.0)))
    with scratch_database(), override_settings(DEBUG=False):
        lead_ids, channel, key = seed(max(size * 2, int(LEADS * options.get("scale", 1.0))))
        client = Client(HTTP_AUTHORIZATION=f"Token {key}", HTTP_HOST="localhost")
        api, copy, moved = measure(client, lead_ids, channel, runs=range(RUNS), size=size)
        # The same path with no agreement in force: what storing alone costs.
        Agreement.objects.filter(status=AgreementStatus.PUBLISHED).update(
            status=AgreementStatus.RETIRED
        )
        stored, _copy, _moved = measure(
            client, lead_ids, channel, runs=range(RUNS, 2 * RUNS), size=size
        )
    api, copy, stored = statistics.median(api), statistics.median(copy), statistics.median(stored)
    stdout.write(
        f"median of {RUNS} batches of {size:,} events over {len(lead_ids):,} leads "
        f"({moved:,} leads became MQL)"
    )
    stdout.write(f"API path with scoring and MQL moves: {api:,.0f} events/s")
    stdout.write(f"raw psycopg COPY of the same rows:   {copy:,.0f} events/s")
    stdout.write(f"API / COPY: {api / copy:.1%}")
    stdout.write(f"API path storing only (no agreement in force): {stored:,.0f} events/s")
