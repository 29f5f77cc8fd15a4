import csv
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_q.conf import Conf
from openpyxl import Workbook

from accounts.roles import Role
from core.errors import ApplicationError, ConflictError
from intake.imports import parsing, services
from intake.imports.export import rejected_rows_csv
from intake.imports.mapping import ATTRIBUTE, guess_mapping
from intake.models import ImportJob, ImportStatus
from leads.models import Lead
from tests.factories import ChannelFactory, LeadFactory, UserFactory

pytestmark = pytest.mark.django_db

HEADER = "Email,First name,Company,Job title,Channel,Employees\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    # Tasks run in the test's thread, as soon as the transaction that queued them commits.
    monkeypatch.setattr(Conf, "SYNC", True)


@pytest.fixture
def channels():
    return {
        "webinar": ChannelFactory(slug="webinar", name="Webinars"),
        "ebook": ChannelFactory(slug="ebook", name="Ebook downloads"),
    }


def upload(content: bytes, name="leads.csv", **kwargs) -> ImportJob:
    user = UserFactory(roles=[Role.MARKETER])
    return services.create_import(upload=SimpleUploadedFile(name, content), user=user, **kwargs)


def checked(job, channel=None, save_as=""):
    return services.dry_run(job=job, mapping=job.mapping, channel=channel, save_as=save_as)


def imported(job, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.start_import(job=job)
    job.refresh_from_db()
    return job


MALFORMED = (
    HEADER.encode()
    + "somchai@siamtech.co.th,สมชาย,สยามเทค โซลูชั่น,ผู้จัดการ,webinar,240\n".encode()
    + "wei.wang@huatong.cn,伟,华通科技,技术总监,Ebook downloads,1200\n".encode()
    + "ivan@severosoft.ru,Иван,ООО «СеверСофт»,Директор,webinar,85\n".encode()
    + b"not-an-email,Bad,Acme,CEO,webinar,10\n"
    + "ahmed@gulf.sa,أحمد,الخليج,مدير,trade-fair,50\n".encode()
    + f"long@acme.io,Long,Acme,{'x' * 201},webinar,10\n".encode()
    + b'quote@acme.io,"Bro"ken,Acme,CEO,webinar,10\n'
    + "latin@acme.io,Jos\xe9,Acme,CEO,webinar,10\n".encode("cp1252")
    + b"size@acme.io,Size,Acme,CEO,webinar,lots\n"
    + "fatima@gulf.sa,فاطمة,الخليج,مديرة,webinar,50\n".encode()
)


def reasons_by_row(job):
    return dict(job.rejections.values_list("row_number", "reason"))


def test_each_malformed_row_is_reported_and_the_good_rows_are_imported(
    channels, django_capture_on_commit_callbacks
):
    job = checked(upload(MALFORMED))

    assert (job.dry_run_new, job.dry_run_updated, job.dry_run_rejected) == (4, 0, 6)
    reasons = reasons_by_row(job)
    assert "not-an-email" in reasons[5] or "valid email" in reasons[5]
    assert "trade-fair" in reasons[6]
    assert "200" in reasons[7]
    assert "quoting" in reasons[8]
    assert "mixed encodings" in reasons[9]
    assert "whole number" in reasons[10]

    job = imported(job, django_capture_on_commit_callbacks)

    assert job.status == ImportStatus.DONE
    assert (job.created_count, job.updated_count, job.rejected_count) == (4, 0, 6)
    assert job.percent_done == 100
    leads = {lead.email: lead for lead in Lead.objects.select_related("channel")}
    assert set(leads) == {
        "somchai@siamtech.co.th", "wei.wang@huatong.cn", "ivan@severosoft.ru", "fatima@gulf.sa",
    }  # fmt: skip
    assert leads["somchai@siamtech.co.th"].organization == "สยามเทค โซลูชั่น"
    assert leads["wei.wang@huatong.cn"].channel == channels["ebook"]
    assert leads["ivan@severosoft.ru"].organization == "ООО «СеверСофт»"
    assert leads["fatima@gulf.sa"].first_name == "فاطمة"
    assert leads["ivan@severosoft.ru"].company_size == 85
    # Rescored under the published agreement in the batch's transaction.
    assert {lead.score_agreement_version for lead in leads.values()} == {1}


def test_the_dry_run_writes_no_lead(channels):
    existing = LeadFactory(email="ivan@severosoft.ru", organization="Old name")

    job = checked(upload(MALFORMED))

    assert job.status == ImportStatus.CHECKED
    assert (job.dry_run_new, job.dry_run_updated) == (3, 1)
    assert list(Lead.objects.all()) == [existing]
    existing.refresh_from_db()
    assert existing.organization == "Old name"


def test_an_import_updates_known_emails_and_keeps_their_first_channel(
    channels, django_capture_on_commit_callbacks
):
    known = LeadFactory(email="ivan@severosoft.ru", channel=channels["ebook"], title="")

    job = imported(checked(upload(MALFORMED)), django_capture_on_commit_callbacks)

    assert (job.created_count, job.updated_count) == (3, 1)
    known.refresh_from_db()
    assert known.title == "Директор"
    assert known.channel == channels["ebook"]


def test_a_formula_looking_cell_stays_text_and_is_neutralized_in_the_download(
    channels, django_capture_on_commit_callbacks
):
    content = (
        HEADER + '"=HYPERLINK(""http://evil.example"",""x"")",Mal,Acme,CEO,webinar,1\n'
        "olivia@northwind.io,+Olivia,=SUM(A1:A9),-CEO,webinar,10\n"
    ).encode()

    job = imported(checked(upload(content)), django_capture_on_commit_callbacks)

    lead = Lead.objects.get(email="olivia@northwind.io")
    assert (lead.first_name, lead.organization, lead.title) == ("+Olivia", "=SUM(A1:A9)", "-CEO")
    download = list(csv.reader(io.StringIO("".join(rejected_rows_csv(job)).lstrip("\ufeff"))))
    assert download[0][:3] == ["row", "reason", "Email"]
    assert download[1][0] == "2"
    assert download[1][2] == '\'=HYPERLINK("http://evil.example","x")'


def test_a_utf16_file_with_semicolons_is_read(channels):
    content = "E-mail;Имя;Компания;Должность\nivan@severosoft.ru;Иван;ООО «Север; Софт»;CEO\n"

    job = upload(content.replace("ООО «Север; Софт»", '"ООО «Север; Софт»"').encode("utf-16"))

    assert (job.encoding, job.delimiter) == ("utf-16", ";")
    assert job.mapping == {"0": "email", "1": "first_name", "2": "organization", "3": "title"}
    job = checked(job)
    assert (job.dry_run_new, job.dry_run_rejected) == (1, 0)


def test_a_utf8_file_with_a_byte_order_mark_keeps_its_first_header(channels):
    content = "\ufeffEmail;名;公司\nwei@huatong.cn;伟;华通科技\n".encode()

    job = upload(content)

    assert job.encoding == "utf-8-sig"
    assert job.headers == ["Email", "名", "公司"]


def test_an_xlsx_file_is_imported(channels, django_capture_on_commit_callbacks):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["البريد الإلكتروني", "الاسم", "الشركة", "عدد الموظفين", "Notes"])
    sheet.append(["ahmed@gulf.sa", "أحمد", "الخليج", 250, "=1+1"])
    sheet.append([None, None, None, None, None])
    buffer = io.BytesIO()
    workbook.save(buffer)

    job = upload(buffer.getvalue(), name="leads.xlsx")
    assert job.file_format == "xlsx"
    job = imported(checked(job, channel=channels["webinar"]), django_capture_on_commit_callbacks)

    lead = Lead.objects.get()
    assert (lead.email, lead.organization, lead.company_size) == ("ahmed@gulf.sa", "الخليج", 250)
    assert lead.channel == channels["webinar"]
    assert lead.attributes == {"Notes": "=1+1"}
    assert (job.created_count, job.rejected_count) == (1, 0)


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Email address", "email"), ("Почта", "email"), ("邮箱", "email"), ("อีเมล", "email"),
        ("البريد الإلكتروني", "email"), ("First name", "first_name"), ("Имя", "first_name"),
        ("名", "first_name"), ("ชื่อ", "first_name"), ("الاسم", "first_name"),
        ("Organization", "organization"), ("Компания", "organization"), ("公司", "organization"),
        ("บริษัท", "organization"), ("الشركة", "organization"), ("Job title", "title"),
        ("Должность", "title"), ("职位", "title"), ("Favourite colour", ATTRIBUTE),
    ],
)  # fmt: skip
def test_common_headers_are_matched_in_each_language(header, field):
    assert guess_mapping([header]) == {"0": field}


def test_a_saved_mapping_is_applied_to_the_next_file_from_that_source(channels):
    content = b"Contact,Firma\nanna@acme.io,Acme\n"
    first = upload(content)
    mapping = {"0": "email", "1": "organization"}
    services.dry_run(job=first, mapping=mapping, channel=channels["ebook"], save_as="Badge scans")

    second = upload(content, source=first.source)

    assert second.mapping == mapping
    assert second.channel == channels["ebook"]
    assert first.source.name == "Badge scans"


def test_a_mapping_without_the_email_column_is_refused(channels):
    job = upload(MALFORMED)

    with pytest.raises(ApplicationError, match="email"):
        services.dry_run(job=job, mapping={"0": "first_name"}, channel=None)


def test_a_file_over_the_size_limit_is_refused(monkeypatch):
    monkeypatch.setattr(parsing, "MAX_FILE_SIZE", 10)

    with pytest.raises(ApplicationError, match="larger"):
        upload(MALFORMED)


def test_a_spreadsheet_that_unpacks_to_more_than_the_cap_is_refused_before_it_is_read(
    monkeypatch,
):
    monkeypatch.setattr(parsing, "MAX_XLSX_UNPACKED", 1024 * 1024)
    workbook = Workbook()
    workbook.active.append(["Email", "Notes"])
    workbook.active.append(["ana@example.com", "x" * 100])
    buffer = io.BytesIO()
    workbook.save(buffer)
    # A part of 2 MB of zeros compresses to a few kB: the file is small, its contents are not.
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/padding.bin", b"\0" * (2 * 1024 * 1024))

    assert len(buffer.getvalue()) < 100 * 1024
    with pytest.raises(ApplicationError, match="unpacks to more than 1 MB"):
        upload(buffer.getvalue(), name="bomb.xlsx")


def test_an_upload_announcing_more_than_the_limit_is_refused_before_its_body_is_read(
    client, settings
):
    settings.MAX_UPLOAD_SIZE = 2 * 1024 * 1024
    client.force_login(UserFactory(roles=[Role.MARKETER]))

    response = client.generic(
        "POST",
        reverse("intake:imports"),
        b"small",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(5 * 1024 * 1024),
    )

    assert response.status_code == 413
    assert "larger than the 2 MB Accord accepts" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_an_import_cannot_be_started_twice(channels, django_capture_on_commit_callbacks):
    job = imported(checked(upload(MALFORMED)), django_capture_on_commit_callbacks)

    with pytest.raises(ConflictError):
        services.start_import(job=job)


def test_a_resumed_import_after_a_crash_imports_each_row_once(
    channels, monkeypatch, django_capture_on_commit_callbacks
):
    rows = "".join(f"lead{n}@acme.io,Lead {n},Acme,CEO,webinar,{n}\n" for n in range(9))
    job = checked(upload((HEADER + rows + "bad,Bad,Acme,CEO,webinar,1\n").encode()))
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.QUEUED)
    real_store = services.store_leads
    calls = []

    def dies_on_the_third_batch(rows, **kwargs):
        calls.append(len(rows))
        if len(calls) == 3:
            raise RuntimeError("worker killed")
        return real_store(rows, **kwargs)

    monkeypatch.setattr(services, "store_leads", dies_on_the_third_batch)
    with pytest.raises(RuntimeError):
        services.run_import(job_id=job.pk, batch_size=3)

    job.refresh_from_db()
    assert (job.status, job.processed_rows, job.created_count) == (ImportStatus.FAILED, 6, 6)
    assert Lead.objects.count() == 6

    monkeypatch.setattr(services, "store_leads", real_store)
    # Resumed with the task's own (larger) batches: it continues after row 6 all the same.
    with django_capture_on_commit_callbacks(execute=True):
        services.resume_import(job=job)
    services.run_import(job_id=job.pk)

    job.refresh_from_db()
    assert (job.status, job.processed_rows) == (ImportStatus.DONE, 10)
    assert (job.created_count, job.updated_count, job.rejected_count) == (9, 0, 1)
    assert Lead.objects.count() == 9
    assert job.rejections.count() == 1


def test_a_second_run_behind_the_first_leaves_the_import_to_it(channels):
    job = checked(upload(MALFORMED))
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING)
    rules = services.rules_for(job)
    rows = list(services.data_rows(job))

    assert services.import_batch(job_id=job.pk, start=0, rows=rows[:5], rules=rules)
    assert not services.import_batch(job_id=job.pk, start=0, rows=rows[:5], rules=rules)

    job.refresh_from_db()
    assert (job.processed_rows, job.created_count, job.rejected_count) == (5, 3, 2)


def test_a_stalled_import_is_queued_again(channels, django_capture_on_commit_callbacks):
    import time_machine

    job = checked(upload(MALFORMED))
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING)
    with time_machine.travel("2030-01-01 00:00Z"):
        ImportJob.objects.filter(pk=job.pk).update(progress_at=services.timezone.now())
    with time_machine.travel("2030-01-01 00:20Z"), django_capture_on_commit_callbacks(execute=True):
        assert services.resume_stalled_imports() == [job.pk]

    job.refresh_from_db()
    assert (job.status, job.created_count) == (ImportStatus.DONE, 4)


# Pages


def test_a_marketer_uploads_maps_checks_and_imports_through_the_pages(
    client_as, channels, django_capture_on_commit_callbacks
):
    client = client_as(Role.MARKETER)

    response = client.post(
        reverse("intake:imports"), {"file": SimpleUploadedFile("leads.csv", MALFORMED)}
    )
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("intake:import-map", args=[job.pk])
    page = client.get(response["Location"])
    assert "สยามเทค โซลูชั่น" in page.content.decode()

    form = {f"column_{index}": target for index, target in job.mapping.items()}
    response = client.post(reverse("intake:import-map", args=[job.pk]), {**form, "save_as": "Q3"})
    assert response["Location"] == reverse("intake:import-detail", args=[job.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Dry run" in page and "trade-fair" in page
    assert Lead.objects.count() == 0

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("intake:import-start", args=[job.pk]))
    progress = client.get(reverse("intake:import-progress", args=[job.pk])).content.decode()
    assert "100%" in progress
    assert Lead.objects.count() == 4
    download = client.get(reverse("intake:import-rejections", args=[job.pk]))
    assert download["Content-Type"].startswith("text/csv")
    assert "trade-fair" in b"".join(download.streaming_content).decode()


def test_starting_an_import_twice_answers_409_in_the_page(
    client_as, channels, django_capture_on_commit_callbacks
):
    client = client_as(Role.MARKETER)
    job = imported(checked(upload(MALFORMED)), django_capture_on_commit_callbacks)

    response = client.post(reverse("intake:import-start", args=[job.pk]))

    assert response.status_code == 409
    assert "already started" in response.content.decode()


def test_a_mapping_without_email_is_shown_next_to_the_form(client_as, channels):
    client = client_as(Role.MARKETER)
    job = upload(MALFORMED)

    response = client.post(reverse("intake:import-map", args=[job.pk]), {"column_0": ""})

    assert response.status_code == 400
    assert "email address" in response.content.decode()


def test_an_unreadable_upload_is_shown_next_to_the_field(client_as):
    response = client_as(Role.MARKETER).post(
        reverse("intake:imports"), {"file": SimpleUploadedFile("empty.csv", b"  \n")}
    )

    assert response.status_code == 400
    assert "empty" in response.content.decode()
    assert not ImportJob.objects.exists()


def import_pages(job):
    return [
        reverse("intake:imports"),
        reverse("intake:import-map", args=[job.pk]),
        reverse("intake:import-detail", args=[job.pk]),
        reverse("intake:import-progress", args=[job.pk]),
        reverse("intake:import-rejections", args=[job.pk]),
    ]


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.MARKETER, 200), (Role.ADMIN, 200), (Role.SDR, 403),
        (Role.ACCOUNT_EXECUTIVE, 403), (Role.MANAGER, 403), (None, 403),
    ],
)  # fmt: skip
def test_only_marketers_and_admins_may_import(client_as, channels, role, status):
    job = checked(upload(MALFORMED))
    client = client_as(*([role] if role else []))

    for url in import_pages(job):
        assert client.get(url).status_code == status, url
    start = client.post(reverse("intake:import-start", args=[job.pk]))
    assert start.status_code == (302 if status == 200 else 403)


def test_anonymous_visitors_are_sent_to_login(client, channels):
    job = upload(MALFORMED)

    for url in import_pages(job):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_the_import_list_runs_a_fixed_number_of_queries(
    client_as, channels, django_assert_max_num_queries
):
    client = client_as(Role.MARKETER)
    upload(MALFORMED)
    with django_assert_max_num_queries(8):
        client.get(reverse("intake:imports"))
    for _ in range(5):
        upload(MALFORMED)
    with django_assert_max_num_queries(8):
        client.get(reverse("intake:imports"))


def test_the_rejected_rows_file_is_named_in_the_readers_language(client_as, channels):
    job = upload(b"email,first_name\nnot-an-email,Ana\n")
    client = client_as(Role.MARKETER)

    response = client.get(
        reverse("intake:import-rejections", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="ru"
    )

    # A non-ASCII name travels as RFC 5987's filename*, which every browser reads.
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    assert f"-{job.pk}.csv" in response["Content-Disposition"]
