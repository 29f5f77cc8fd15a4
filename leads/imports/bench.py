"""`make bench --only import_csv`: a 100,000-row CSV through dry run and import, rows per second.

Runs in a scratch copy of the configured database (created and dropped here) with DEBUG off, so
the figures come from the same engine the app runs on and the real data is never touched.
"""

import random
import statistics
import tempfile
import time
from contextlib import contextmanager

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import override_settings

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
def scratch_database():
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        yield
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


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
        checks, imports = [], []
        for run in range(RUNS):
            upload = SimpleUploadedFile("bench.csv", sample_csv(rows, run))
            started = time.perf_counter()
            job = services.create_import(upload=upload, user=None)
            job = services.dry_run(job=job, mapping=job.mapping, channel=None)
            checked = time.perf_counter()
            job.status = "queued"
            job.save(update_fields=["status"])
            job = services.run_import(job_id=job.pk)
            finished = time.perf_counter()
            assert job.created_count == rows, job.created_count
            checks.append(rows / (checked - started))
            imports.append(rows / (finished - checked))
            stdout.write(
                f"  run {run + 1}: dry run {checks[-1]:,.0f} rows/s, "
                f"import {imports[-1]:,.0f} rows/s"
            )
    stdout.write(
        f"import_csv on {connection.vendor}, {rows:,} rows: "
        f"dry run {statistics.median(checks):,.0f} rows/s, "
        f"import (upsert, rescoring, progress per batch) {statistics.median(imports):,.0f} rows/s "
        f"(median of {RUNS})"
    )
