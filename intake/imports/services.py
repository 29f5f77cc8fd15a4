"""The steps of an import, shared by the pages and the background task.

upload -> `create_import` (detect, guess the mapping) -> `dry_run` (count, list rejections,
write no lead) -> `start_import` (queue on commit) -> `run_import` (batches, each one
transaction that also records the progress, so a re-run continues after the last committed one).
"""

from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from itertools import batched, islice

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import Source
from core.errors import ApplicationError, ConflictError
from core.jobs import prompt_after_commit
from intake.imports import parsing
from intake.imports.mapping import (
    RowRules,
    check_mapping,
    describe_errors,
    guess_mapping,
    row_data,
    validate_row,
)
from intake.models import ImportJob, ImportMapping, ImportRejection, ImportStatus
from leads.models import Channel
from leads.services import leads_by_email, store_leads
from leads.suppression import suppressed_emails
from scoring.services import rescore_leads

BATCH_SIZE = 2000
# A running import whose last batch is older than this is presumed orphaned by a dead worker.
STALLED_AFTER = timedelta(minutes=15)


def create_import(*, upload, user, source: ImportMapping | None = None) -> ImportJob:
    """Store the file and read its headers; nothing is imported yet."""
    if upload.size > parsing.MAX_FILE_SIZE:
        raise ApplicationError(
            _("The file is larger than %(limit)d MB.")
            % {"limit": parsing.MAX_FILE_SIZE // (1024 * 1024)}
        )
    table = parsing.describe(upload)
    job = ImportJob(
        file=upload,
        original_name=upload.name[:255],
        file_format=table.file_format,
        encoding=table.encoding,
        delimiter=table.delimiter,
        headers=table.headers,
        mapping=guess_mapping(table.headers, source.columns if source else None),
        source=source,
        channel=source.channel if source else None,
        created_by=user,
    )
    job.save()
    return job


def data_rows(job: ImportJob) -> Iterator[parsing.Row]:
    """The file's rows after the header. ConflictError once the file was deleted at the end of
    its retention period (intake.imports.retention)."""
    if not job.file:
        raise ConflictError(_("This import's file was deleted at the end of its retention period."))
    table = parsing.Table(job.file_format, job.encoding, job.delimiter, job.headers)
    with job.file.open("rb") as raw:
        rows = parsing.iter_rows(raw, table)
        next(rows, None)
        yield from rows


def check_row(row: parsing.Row, rules: RowRules, *, validate=True) -> tuple[dict | None, str]:
    """The lead data; None and the reason it is refused; or None, "" for a blank line (spreadsheets
    often end with some), which is neither imported nor rejected.

    `validate=False` leaves the field checks to store_leads, which runs them as it writes.
    """
    if row.problem:
        return None, row.problem
    if not any(value.strip() for value in row.values):
        return None, ""
    return (validate_row if validate else row_data)(row.values, rules)


def rules_for(job: ImportJob) -> RowRules:
    return RowRules.build(
        headers=job.headers,
        mapping=job.mapping,
        default_channel=job.channel,
        source=job.source.name if job.source else "",
    )


def dry_run(
    *, job: ImportJob, mapping: dict[str, str], channel: Channel | None, save_as: str = ""
) -> ImportJob:
    """Check every row against the mapping and count new / updated / rejected / suppressed; no
    lead written."""
    problem = check_mapping(mapping)
    if problem:
        raise ApplicationError(problem, extra={"field": "mapping"})
    if job.status not in (ImportStatus.UPLOADED, ImportStatus.CHECKED):
        raise ConflictError(_("This import has already started."))
    job.mapping, job.channel = mapping, channel
    rules = rules_for(job)
    total, rejections, rows_of = 0, [], Counter()
    for row in data_rows(job):
        total += 1
        data, reason = check_row(row, rules)
        if reason:
            rejections.append(rejection(job, row, reason))
        elif data:
            rows_of[data["email"]] += 1
    # Suppressed rows are counted, never kept: a rejection row would store the very address.
    suppressed = suppressed_emails(rows_of)
    seen = rows_of.keys() - suppressed
    good = sum(rows_of[email] for email in seen)
    new = len(seen) - count_existing(seen)
    with transaction.atomic():
        if save_as:
            job.source = save_mapping(name=save_as, job=job)
        job.rejections.all().delete()
        ImportRejection.objects.bulk_create(rejections, batch_size=1000)
        job.total_rows = total
        # A second row with the same email updates the lead the first one created.
        job.dry_run_new, job.dry_run_updated = new, good - new
        job.dry_run_rejected = len(rejections)
        job.dry_run_suppressed = sum(rows_of[email] for email in suppressed)
        job.status = ImportStatus.CHECKED
        job.save()
    return job


def rejection(job: ImportJob, row: parsing.Row, reason: str) -> ImportRejection:
    return ImportRejection(job=job, row_number=row.number, reason=reason, values=row.values)


def count_existing(emails: set[str]) -> int:
    return len(leads_by_email(emails))


def save_mapping(*, name: str, job: ImportJob) -> ImportMapping:
    columns = {job.headers[int(index)]: target for index, target in job.mapping.items()}
    mapping, _created = ImportMapping.objects.update_or_create(
        name=name.strip(), defaults={"columns": columns, "channel": job.channel}
    )
    return mapping


def start_import(*, job: ImportJob) -> None:
    """Queue the import once; a second click (or a second tab) is refused."""
    claimed = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.CHECKED).update(
        status=ImportStatus.QUEUED, progress_at=timezone.now()
    )
    if claimed != 1:
        raise ConflictError(_("This import has already started."))
    queue(job.pk)


def resume_import(*, job: ImportJob) -> None:
    """Continue a failed import after its last committed batch."""
    claimed = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.FAILED).update(
        status=ImportStatus.QUEUED, error="", progress_at=timezone.now()
    )
    if claimed != 1:
        raise ConflictError(_("Only a stopped import can be resumed."))
    queue(job.pk)


def queue(job_id: int) -> None:
    prompt_after_commit("intake.imports.tasks.run_import", job_id)


def run_import(*, job_id: int, batch_size: int = BATCH_SIZE) -> ImportJob:
    """Import the rows after the last committed batch; safe to run twice, or twice at once."""
    claimed = ImportJob.objects.filter(
        pk=job_id, status__in=(ImportStatus.QUEUED, ImportStatus.RUNNING)
    ).update(status=ImportStatus.RUNNING, progress_at=timezone.now())
    job = ImportJob.objects.get(pk=job_id)
    if not claimed:
        return job
    rules = rules_for(job)
    start = job.processed_rows
    try:
        for batch in batched(islice(data_rows(job), start, None), batch_size):
            if not import_batch(job_id=job_id, start=start, rows=batch, rules=rules):
                # Another run of this import is ahead of this one and will finish it.
                return ImportJob.objects.get(pk=job_id)
            start += len(batch)
    except Exception as error:
        ImportJob.objects.filter(pk=job_id, status=ImportStatus.RUNNING).update(
            status=ImportStatus.FAILED, error=str(error)[:1000]
        )
        raise
    ImportJob.objects.filter(pk=job_id, status=ImportStatus.RUNNING).update(
        status=ImportStatus.DONE, finished_at=timezone.now()
    )
    job.refresh_from_db()
    return job


@transaction.atomic
def import_batch(*, job_id: int, start: int, rows, rules: RowRules) -> bool:
    """One batch and its progress in one transaction: both land, or neither does.

    False when the job is no longer at `start`: another run committed this batch already.
    """
    job = (
        ImportJob.objects.select_for_update(of=("self",))
        .select_related("created_by")
        .get(pk=job_id)
    )
    if job.processed_rows != start:
        return False
    good, rejections = [], []
    for row in rows:
        data, reason = check_row(row, rules, validate=False)
        if reason:
            rejections.append(rejection(job, row, reason))
        elif data:
            good.append((row, data))
    # The person who started the import is its actor, whoever's worker runs the batch.
    result = store_leads([data for _row, data in good], source=Source.IMPORT, actor=job.created_by)
    # In the batch's transaction, so that a committed batch is also a scored one.
    rescore_leads(result.lead_ids)
    rejections += [
        rejection(job, good[outcome.row][0], describe_errors(outcome.errors))
        for outcome in result.outcomes
        if outcome.status == "rejected"
    ]
    ImportRejection.objects.bulk_create(rejections, ignore_conflicts=True)
    job.processed_rows = start + len(rows)
    job.created_count += result.count("created")
    job.updated_count += result.count("updated")
    job.rejected_count += len(rejections)
    job.suppressed_count += result.count("suppressed")
    job.progress_at = timezone.now()
    job.save(
        update_fields=[
            "processed_rows", "created_count", "updated_count", "rejected_count",
            "suppressed_count", "progress_at",
        ]
    )  # fmt: skip
    return True


def resume_stalled_imports(*, now=None) -> list[int]:
    """Queue again the imports whose worker died; `run_import` continues where they stopped."""
    now = now or timezone.now()
    stalled = list(
        ImportJob.objects.filter(
            status__in=(ImportStatus.QUEUED, ImportStatus.RUNNING),
            progress_at__lt=now - STALLED_AFTER,
        ).values_list("pk", flat=True)
    )
    for job_id in stalled:
        ImportJob.objects.filter(pk=job_id).update(progress_at=now)
        queue(job_id)
    return stalled
