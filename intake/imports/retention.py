"""Uploaded import files are not kept for ever: IMPORT_FILE_RETENTION_DAYS after the upload,
the file and the rows the import kept (its rejected rows, which hold what the file said) are
deleted. The job stays, with its counts, so the imports page still says what it did.

Run daily (core.schedules); idempotent: a job whose file is gone is not looked at again, and a
file already missing from storage is no error.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import ngettext

from intake.models import ImportJob, ImportRejection, ImportStatus


def delete_expired_import_files(*, now=None) -> int:
    """Delete the files and kept rows of imports uploaded before the retention period; how many
    imports were cleared. An import still queued or running is left until it ends."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.IMPORT_FILE_RETENTION_DAYS)
    expired = list(
        ImportJob.objects.filter(created_at__lt=cutoff)
        .exclude(file="")
        .exclude(status__in=(ImportStatus.QUEUED, ImportStatus.RUNNING))
    )
    for job in expired:
        job.file.delete(save=False)
        ImportRejection.objects.filter(job=job).delete()
        ImportJob.objects.filter(pk=job.pk).update(file="")
    return len(expired)


def rows_deleted_notice() -> str:
    """What an import's page, and its rejected-rows link, say once the period deleted them."""
    days = settings.IMPORT_FILE_RETENTION_DAYS
    return ngettext(
        "The rejected rows were deleted with the file %(days)d day after the upload.",
        "The rejected rows were deleted with the file %(days)d days after the upload.",
        days,
    ) % {"days": days}
