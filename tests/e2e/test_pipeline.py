"""Money in reports (issue 16), in Chromium: a manager enters two exchange rates and reads the
pipeline converted into USD, a currency without a rate named as left out; then the same page in
Arabic, right to left, with the amounts written as Arabic writes them. Screenshots go to the
test's tmp_path."""

from urllib.parse import urlsplit

import pytest
from django.conf import settings
from playwright.sync_api import expect

from core import formats
from tests.e2e.test_day_per_role import PAGE_OVERFLOW, SIZES
from tests.reports.factories import opportunity

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def speak(page, language):
    cookie = {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "path": "/"}
    page.context.add_cookies([{**cookie, "domain": urlsplit(page.url).hostname}])


def test_a_manager_enters_rates_and_reads_the_pipeline_in_usd(
    page, log_in, manager, account_executive, tmp_path
):
    opportunity("1000", "USD", owner=account_executive)
    opportunity("200", "EUR", owner=account_executive)
    opportunity("35000", "THB", "proposal", owner=account_executive)
    opportunity("500", "AED", "won", owner=account_executive)
    log_in(manager.username)

    page.get_by_role("link", name="Reports").click()
    page.get_by_role("link", name="Exchange rates").click()
    for currency, value in (("EUR", "1.1"), ("THB", "0.028")):
        page.get_by_label("Currency", exact=True).fill(currency)
        page.get_by_label("Into", exact=True).fill("USD")
        page.get_by_label("Rate", exact=True).fill(value)
        page.get_by_role("button", name="Save rate").click()
        page.get_by_text(f"1 {currency} = {value} USD saved.").wait_for()

    page.get_by_role("link", name="Pipeline value").click()
    # Discovery: 1,000 USD + 200 EUR × 1.1; proposal: 35,000 THB × 0.028.
    expect(page.locator("#pipeline-total-open")).to_have_text("$2,200.00")
    discovery = page.locator("#pipeline-value tr[data-stage='discovery']")
    expect(discovery.locator("td").last).to_have_text("$1,220.00")
    expect(page.locator("#pipeline-left-out")).to_contain_text("Left out of the totals in USD: AED")
    expect(page.locator("#pipeline-total-won")).to_have_text("—")
    assert page.evaluate(PAGE_OVERFLOW)["overflow"] <= 0
    page.screenshot(path=tmp_path / "pipeline-en.png", full_page=True)

    speak(page, "ar")
    for size, viewport in SIZES.items():
        page.set_viewport_size(viewport)
        page.goto("/reports/pipeline/")
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
        expect(page.locator("#pipeline-total-open")).to_have_text(formats.money(2200, "USD", "ar"))
        assert page.evaluate(PAGE_OVERFLOW)["overflow"] <= 0, size
        page.screenshot(path=tmp_path / f"pipeline-ar-{size}.png", full_page=True)
