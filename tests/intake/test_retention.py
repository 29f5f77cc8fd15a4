import os
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.roles import Role
from core.errors import ConflictError
from core.schedules import PERIODIC_TASKS
from intake.imports import services
from intake.imports.retention import delete_expired_import_files
from intake.models import ImportJob, ImportRejection, ImportStatus
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

UPLOADED = datetime(2026, 3, 1, 9, tzinfo=UTC)
CONTENT = b"Email,First name\nana@northwind.io,Ana\nnot-an-email,Bo\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def checked_upload() -> ImportJob:
    with time_machine.travel(UPLOADED, tick=False):
        job = services.create_import(
            upload=SimpleUploadedFile("leads.csv", CONTENT), user=UserFactory(roles=[Role.MARKETER])
        )
        return services.dry_run(job=job, mapping=job.mapping, channel=None)


def test_files_and_kept_rows_go_after_the_retention_period_and_the_job_stays(settings):
    job = checked_upload()
    path = job.file.path
    assert ImportRejection.objects.filter(job=job).count() == 1

    with time_machine.travel(UPLOADED + timedelta(days=29), tick=False):
        assert delete_expired_import_files() == 0
    with time_machine.travel(UPLOADED + timedelta(days=31), tick=False):
        assert delete_expired_import_files() == 1
        assert delete_expired_import_files() == 0  # idempotent

    job.refresh_from_db()
    assert not job.file and job.dry_run_rejected == 1
    assert not ImportRejection.objects.filter(job=job).exists()
    assert not os.path.exists(path)
    with pytest.raises(ConflictError):
        services.dry_run(job=job, mapping=job.mapping, channel=None)


@pytest.mark.parametrize("page", ["intake:import-detail", "intake:import-progress"])
def test_once_the_rows_are_deleted_the_page_says_so_instead_of_linking_to_them(
    client_as, settings, page
):
    settings.IMPORT_FILE_RETENTION_DAYS = 7
    job = checked_upload()
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.DONE, rejected_count=1)
    client = client_as(Role.MARKETER)
    download = reverse("intake:import-rejections", args=[job.pk])
    assert download in client.get(reverse(page, args=[job.pk])).content.decode()

    with time_machine.travel(UPLOADED + timedelta(days=8), tick=False):
        delete_expired_import_files()

    html = client.get(reverse(page, args=[job.pk])).content.decode()
    assert download not in html
    assert "The rejected rows were deleted with the file 7 days after the upload." in html
    gone = client.get(download)
    assert gone.status_code == 410
    assert (
        gone.content.decode()
        == "The rejected rows were deleted with the file 7 days after the upload."
    )


def test_the_period_is_a_setting(settings):
    settings.IMPORT_FILE_RETENTION_DAYS = 7
    checked_upload()

    with time_machine.travel(UPLOADED + timedelta(days=8), tick=False):
        assert delete_expired_import_files() == 1


def test_a_running_import_keeps_its_file_until_it_ends():
    job = checked_upload()
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING)

    with time_machine.travel(UPLOADED + timedelta(days=31), tick=False):
        assert delete_expired_import_files() == 0


def test_a_file_already_missing_from_storage_is_no_error():
    job = checked_upload()
    job.file.storage.delete(job.file.name)

    with time_machine.travel(UPLOADED + timedelta(days=31), tick=False):
        assert delete_expired_import_files() == 1


def test_it_runs_daily():
    (entry,) = [t for t in PERIODIC_TASKS if t["func"].endswith("delete_expired_import_files")]
    assert entry["func"] == "intake.imports.tasks.delete_expired_import_files"
