import csv
import io

import pytest

from tests.reports.factories import build_october

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_marketer_enters_spend_reads_cost_per_mql_and_exports_the_funnel(
    page, log_in, marketer, sdr
):
    build_october(sdr)
    log_in(marketer.username)

    page.get_by_role("link", name="Reports").click()
    page.get_by_role("link", name="Channel spend").click()
    page.get_by_label("Month", exact=True).fill("2026-10")
    page.get_by_label("Currency", exact=True).fill("USD")
    page.get_by_role("button", name="Show").click()
    page.get_by_role("heading", name="Spend in October 2026, USD").wait_for()
    page.get_by_label("Webinars").fill("1000")
    page.get_by_label("Paid search").fill("2000")
    page.get_by_role("button", name="Save spend").click()
    page.get_by_text("Spend for 2026-10 in USD saved.").wait_for()

    page.get_by_role("link", name="Channel economics").click()
    page.get_by_label("From", exact=True).fill("2026-10-01")
    page.get_by_label("To", exact=True).fill("2026-10-31")
    page.get_by_role("button", name="Apply").click()
    webinars = page.locator("#channel-economics tbody tr", has_text="Webinars")
    cost_per_mql = webinars.locator("td").nth(7)
    assert cost_per_mql.inner_text() == "250.00"
    assert page.evaluate("Chart.getChart(document.querySelector('canvas')) !== undefined")

    page.get_by_role("link", name="Funnel").click()
    page.get_by_label("Channel", exact=True).select_option(label="Paid search")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**channel=*")
    page.get_by_role("heading", name="By channel").wait_for()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV").click()
    with open(download.value.path(), encoding="utf-8-sig") as export:
        rows = list(csv.reader(io.StringIO(export.read())))
    assert rows[1][:7] == ["Total", "All leads", "4", "3", "1", "1", "0"]
    assert download.value.suggested_filename == "funnel-2026-10-01-2026-10-31.csv"
