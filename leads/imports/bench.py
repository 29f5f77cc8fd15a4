"""`make bench --only import_csv`: a 100,000-row CSV through dry run and import, rows per second.

Runs in a scratch copy of the configured database (created and dropped here) with DEBUG off, so
the figures come from the same engine the app runs on and the real data is never touched. The
import's time is also split into its two big steps, storing the leads and rescoring them (each
timed around the real call), so either can be followed on its own.
"""

import random
import statistics
import tempfile
import time
from collections import defaultdict
from contextlib import contextmanager
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import override_settings

from core.benchmarking import scratch_database
from leads.imports import services
from leads.models import Channel, ChannelKind

ROWS = 100_000
RUNS = 3
NAMES = ["Иван", "สมชาย", "伟", "محمد", "Olivia", "Lucas", "Sofía", "Анна", "芳", "ليلى"]
COMPANIES = ["ООО «СеверСофт»", "สยามเทค โซลูชั่น", "华通科技", "الخليج للتقنية", "Northwind"]
TITLES = ["Head of Operations", "Директор по ИТ", "技术总监", "ผู้จัดการฝ่ายไอที", "مدير تقنية"]


def sample_csv(rows: int, run: int) -> bytes:
    pick = random.Random(run).choice
    lines = ["Email,First name,Last name,Company,Job title,Employees,Channel,Country"]
    for n in range(rows):
        lines.append(
            f'lead{run}-{n}@example-{n % 997}.com,{pick(NAMES)},Test,"{pick(COMPANIES)}",'
            f"{pick(TITLES)},{n % 5000},webinar,Thailand"
        )
    return ("\n".join(lines) + "\n").encode()


@contextmanager
def timed(module, names):
    """Seconds spent in each of `module`'s functions `names` while the block runs."""
    spent = defaultdict(float)

    def timer(name, function):
        def call(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[name] += time.perf_counter() - started

        return call

    timers = {name: timer(name, getattr(module, name)) for name in names}
    with mock.patch.multiple(module, **timers):
        yield spent


def import_csv(stdout, options):
    rows = max(1000, int(ROWS * options.get("scale", 1.0)))
    with (
        scratch_database(),
        tempfile.TemporaryDirectory() as media,
        override_settings(MEDIA_ROOT=media, DEBUG=False),
    ):
        Channel.objects.get_or_create(
            slug="webinar", defaults={"name": "Webinars", "kind": ChannelKind.EVENT}
        )
        checks, imports, stores, unscored = [], [], [], []
        for run in range(RUNS):
            upload = SimpleUploadedFile("bench.csv", sample_csv(rows, run))
            started = time.perf_counter()
            job = services.create_import(upload=upload, user=None)
            job = services.dry_run(job=job, mapping=job.mapping, channel=None)
            checked = time.perf_counter()
            job.status = "queued"
            job.save(update_fields=["status"])
            with timed(services, ["store_leads", "rescore_leads"]) as spent:
                job = services.run_import(job_id=job.pk)
            finished = time.perf_counter()
            assert job.created_count == rows, job.created_count
            checks.append(rows / (checked - started))
            imports.append(rows / (finished - checked))
            stores.append(rows / spent["store_leads"])
            unscored.append(rows / (finished - checked - spent["rescore_leads"]))
            stdout.write(
                f"  run {run + 1}: dry run {checks[-1]:,.0f} rows/s, "
                f"import {imports[-1]:,.0f} rows/s ({finished - checked:.1f} s: "
                f"store_leads {spent['store_leads']:.1f} s, "
                f"rescore_leads {spent['rescore_leads']:.1f} s)"
            )
    stdout.write(
        f"import_csv on {connection.vendor}, {rows:,} rows: "
        f"dry run {statistics.median(checks):,.0f} rows/s, "
        f"import (upsert, rescoring, progress per batch) {statistics.median(imports):,.0f} rows/s "
        f"(median of {RUNS})"
    )
    stdout.write(
        f"  import less its rescoring time {statistics.median(unscored):,.0f} rows/s; "
        f"store_leads alone {statistics.median(stores):,.0f} rows/s"
    )
