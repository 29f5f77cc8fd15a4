from pathlib import Path

import pytest

from accounts.roles import Role
from tests.factories import UserFactory
from tests.sla import fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_finds_who_breached_last_week_and_downloads_it(page, log_in):
    reps = {
        "rep1": UserFactory(username="rep1", first_name="Somchai", roles=[Role.SDR]),
        "rep2": UserFactory(username="rep2", first_name="Anna", roles=[Role.SDR]),
    }
    fixtures.build(reps)
    UserFactory(username="morgan", roles=[Role.MANAGER])

    log_in("morgan")
    page.get_by_role("link", name="SLA", exact=True).click()
    page.get_by_role("heading", name="SLA today").wait_for()
    page.get_by_role("link", name="Breach report").first.click()
    page.get_by_role("heading", name="SLA breach report").wait_for()

    page.get_by_label("From", exact=True).fill("2026-11-16")
    page.get_by_label("To", exact=True).fill("2026-11-22")
    page.get_by_label("Team", exact=True).select_option(label="Team B")
    page.get_by_label("Group by", exact=True).select_option(label="Week")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**team=**")
    assert "start=2026-11-16" in page.url

    summary = page.locator("#breach-summary")
    # Weeks start on Sunday in English (en-US): the Monday clocks fall in the week of the 15th.
    summary.get_by_role("row", name="week of Nov 15, 2026").first.wait_for()
    page.get_by_role(
        "link", name="1 breached: week of Nov 15, 2026, MQL to accept or return"
    ).click()
    page.get_by_role("heading", name="Breached handoffs").wait_for()
    rows = page.locator("main table tbody tr")
    assert rows.count() == 1
    lead_link = rows.first.get_by_role("link")
    lead_name = lead_link.inner_text()
    lead_link.click()
    page.get_by_role("heading", name=lead_name).wait_for()
    page.get_by_role("heading", name="SLA clocks").wait_for()
    page.go_back()

    with page.expect_download() as download:
        page.get_by_role("button", name="Download CSV").click()
    lines = Path(download.value.path()).read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("Lead,Email,Team,Rep,Channel,Step")
    assert len(lines) == 2
    assert "Team B" in lines[1] and "Breached" in lines[1]
