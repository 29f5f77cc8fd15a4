import pytest

from accounts.roles import Role
from intake.imports.services import run_import
from intake.models import ImportJob, ImportStatus
from leads.models import Lead
from tests.factories import ChannelFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CSV = (
    "Почта;Имя;Компания;Должность;Канал\n"
    "ivan@severosoft.ru;Иван;ООО «СеверСофт»;Директор;webinar\n"
    "somchai@siamtech.co.th;สมชาย;สยามเทค;ผู้จัดการ;webinar\n"
    "not-an-email;Bad;Acme;CEO;webinar\n"
    "ahmed@gulf.sa;أحمد;الخليج;مدير;trade-fair\n"
).encode()
DOWNLOAD = "Download the rejected rows (CSV, with a reason column)"


@pytest.fixture(autouse=True)
def import_setup(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    ChannelFactory(slug="webinar", name="Webinars")


def test_a_marketer_imports_a_spreadsheet_and_downloads_the_rejected_rows(
    page, log_in, make_user, tmp_path
):
    make_user(Role.MARKETER, username="maya")
    log_in("maya")

    page.locator("summary", has_text="Set-up").click()
    page.get_by_role("link", name="Imports").click()
    page.get_by_label("CSV or Excel file").set_input_files(
        {"name": "leads.csv", "mimeType": "text/csv", "buffer": CSV}
    )
    page.get_by_role("button", name="Upload and map columns").click()

    page.get_by_role("heading", name="Map columns").wait_for()
    assert page.get_by_label("Почта").input_value() == "email"
    assert page.get_by_label("Компания").input_value() == "organization"
    page.get_by_label("Save this mapping for the source").fill("Russian partner list")
    page.get_by_role("button", name="Check the rows (dry run)").click()

    page.get_by_role("heading", name="Dry run").wait_for()
    assert page.locator("[data-count=new]").inner_text() == "2"
    assert page.locator("[data-count=rejected]").inner_text() == "2"
    assert "trade-fair" in page.locator("table.rejections").inner_text()
    assert Lead.objects.count() == 0

    page.get_by_role("button", name="Import 2 rows").click()

    page.locator(".badge", has_text="Queued").wait_for()
    assert page.locator(".percent").inner_text() == "0%"
    # The worker picks the task up; the page, polling, follows it to the end.
    run_import(job_id=ImportJob.objects.get().pk)
    page.locator(".percent", has_text="100%").wait_for()
    assert ImportJob.objects.get().status == ImportStatus.DONE
    assert set(Lead.objects.values_list("organization", flat=True)) == {
        "ООО «СеверСофт»",
        "สยามเทค",
    }
    with page.expect_download() as download_info:
        page.get_by_role(
            "link", name="Download the rejected rows (CSV, with a reason column)"
        ).click()
    saved = tmp_path / "rejected.csv"
    download_info.value.save_as(saved)
    text = saved.read_text(encoding="utf-8-sig")
    assert "not-an-email" in text and "trade-fair" in text
