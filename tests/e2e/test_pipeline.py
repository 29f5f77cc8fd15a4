"""Money in reports (issue 16), in Chromium: a manager enters two exchange rates and reads the
pipeline converted into USD, a currency without a rate named as left out; then the same page in
Arabic, right to left, with the amounts written as Arabic writes them; and channel economics with
spend in three currencies converted into one. Screenshots go to tests/e2e/screenshots/."""

from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from core import formats
from reports.models import ChannelSpend, ExchangeRate
from tests.e2e.reading import SCREENSHOTS, read_in
from tests.e2e.test_day_per_role import PAGE_OVERFLOW, SIZES
from tests.factories import ChannelFactory
from tests.reports.factories import at, make_lead, opportunity

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_enters_rates_and_reads_the_pipeline_in_usd(
    page, log_in, manager, account_executive
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
    page.screenshot(path=SCREENSHOTS / "pipeline-en.png", full_page=True)

    read_in(page, "ar")
    for size, viewport in SIZES.items():
        page.set_viewport_size(viewport)
        page.goto("/reports/pipeline/")
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
        expect(page.locator("#pipeline-total-open")).to_have_text(formats.money(2200, "USD", "ar"))
        assert page.evaluate(PAGE_OVERFLOW)["overflow"] <= 0, size
        page.screenshot(path=SCREENSHOTS / f"pipeline-ar-{size}.png", full_page=True)


def test_channel_economics_converts_spend_in_other_currencies_into_one(page, log_in, manager):
    webinars = ChannelFactory(name="Webinars")
    make_lead(created=at(10, 6), channel=webinars, email="ana@example.com")
    month = date(2026, 10, 1)
    for amount, currency in (("800", "USD"), ("100", "EUR"), ("5000", "THB")):
        ChannelSpend.objects.create(
            channel=webinars, month=month, amount=Decimal(amount), currency=currency
        )
    ExchangeRate.objects.create(currency="EUR", into="USD", rate=Decimal(2), updated_by=manager)
    log_in(manager.username)

    page.goto("/reports/channels/?date_from=2026-10-01&date_to=2026-10-31&currency=USD")
    page.get_by_label("Convert other currencies").check()
    page.get_by_role("button", name="Apply").click()

    # 800 USD + 100 EUR x 2; THB has no rate into USD and is named.
    expect(page.locator("#economics-converted")).to_contain_text("1 EUR = 2 USD")
    expect(page.locator("#economics-left-out")).to_contain_text(
        "Left out of the totals in USD: THB"
    )
    expect(page.locator("#channel-economics tbody tr").first).to_contain_text("1,000.00")
    page.screenshot(path=SCREENSHOTS / "economics-converted-en.png", full_page=True)

    read_in(page, "ar")
    page.reload()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("#economics-left-out")).to_contain_text("THB")
    assert page.evaluate(PAGE_OVERFLOW)["overflow"] <= 0
    page.screenshot(path=SCREENSHOTS / "economics-converted-ar.png", full_page=True)
