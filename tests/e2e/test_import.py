import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.roles import Role
from intake.imports.services import run_import
from intake.models import ImportJob, ImportStatus
from leads.models import Lead
from tests.e2e.reading import read_in
from tests.e2e.test_day_per_role import PAGE_OVERFLOW
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


# A Bitrix24 lead export from its Russian interface (issue 16), imported by a marketer who reads
# Accord in Russian or in Arabic, at a laptop's size.
BITRIX24 = (
    "ID;Имя;Отчество;Фамилия;Статус;Название компании;Должность;Личный e-mail;Рабочий e-mail;"
    "Мобильный телефон;Рабочий телефон;Кол-во сотрудников\n"
    "1;Иван;Петрович;Смирнов;В работе;ООО «СеверСофт»;Технический директор;ivan@mail.ru;"
    "i.smirnov@severosoft.ru;+7 921 000-00-00;+7 812 000-00-00;от 50 до 100\n"
    "2;Ольга;Сергеевна;Кузнецова;Не обработан;АО «Вектор»;Финансовый директор;;"
    "o.kuznetsova@vector.ru;;;более 500\n"
    "3;Пётр;;Орлов;Горячий;ИП Орлов;Владелец;;p.orlov@orlov.ru;;;1-10\n"
).encode()


@pytest.mark.parametrize("language", ["ru", "ar"])
def test_a_bitrix24_export_maps_itself_and_imports_in_the_readers_language(
    page, log_in, make_user, tmp_path, language
):
    make_user(Role.MARKETER, username="maya")
    log_in("maya")
    page.set_viewport_size({"width": 1366, "height": 900})
    read_in(page, language)

    page.goto(reverse("intake:imports"))
    expect(page.locator("html")).to_have_attribute("lang", language)
    page.locator("input[type=file]").set_input_files(
        {"name": "bitrix24.csv", "mimeType": "text/csv", "buffer": BITRIX24}
    )
    page.locator("form.upload-form button[type=submit]").click()

    page.locator(".mapping-table").wait_for()
    guessed = {
        "Рабочий e-mail": "email", "Личный e-mail": "attribute", "Рабочий телефон": "phone",
        "Имя": "first_name", "Отчество": "middle_name", "Фамилия": "last_name",
        "Статус": "status", "Кол-во сотрудников": "company_size",
    }  # fmt: skip
    for header, field in guessed.items():
        assert page.get_by_label(header, exact=True).input_value() == field, header
    assert_fits(page, language)
    page.screenshot(path=tmp_path / f"bitrix24-map-{language}.png", full_page=True)
    page.locator("main form[method=post] > button[type=submit]").click()

    page.locator("[data-count=new]").wait_for()
    assert page.locator("[data-count=new]").inner_text() == "2"
    assert page.locator("[data-count=rejected]").inner_text() == "1"
    reason = page.locator("table.rejections").inner_text()
    assert "Горячий" in reason
    # The reason is written in the reader's language, and names the statuses in it.
    assert {"ru": "Статус лида", "ar": "حالة العميل المحتمل"}[language] in reason
    assert {"ru": "В работе", "ar": "قيد التنفيذ"}[language] in reason
    assert_fits(page, language)
    page.screenshot(path=tmp_path / f"bitrix24-dry-run-{language}.png", full_page=True)
    page.locator("form.inline-actions button[type=submit]").click()
    run_import(job_id=ImportJob.objects.get().pk)
    page.locator(".percent", has_text="100").wait_for()

    ivan = Lead.objects.get(email="i.smirnov@severosoft.ru")
    assert (ivan.first_name, ivan.last_name, ivan.middle_name) == (
        "Иван", "Смирнов", "Петрович",
    )  # fmt: skip
    assert (ivan.status, ivan.company_size, ivan.company_size_max) == ("in_progress", 50, 100)
    page.goto(reverse("leads:detail", args=[ivan.pk]))
    assert "50–100" in page.locator("main").inner_text()
    assert_fits(page, language)
    page.screenshot(path=tmp_path / f"bitrix24-lead-{language}.png", full_page=True)


def assert_fits(page, language):
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if language == "ar" else "ltr")
    overflow = page.evaluate(PAGE_OVERFLOW)
    assert overflow["overflow"] <= 0, overflow
