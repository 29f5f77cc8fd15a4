"""The pages the worldwide issue names, read in a language other than English: an SDR works the
queue in Thai, a manager reads and downloads the breach report in Arabic. Each page speaks the
reader's language in its own words (the data stays as entered), passes axe-core, fits a phone,
and leaves a screenshot in tests/e2e/screenshots/ to look at."""

from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from accounts.roles import Role
from handoff.views import queue as queue_views
from tests.e2e.accessibility import assert_accessible
from tests.e2e.reading import SCREENSHOTS, read_in
from tests.factories import UserFactory
from tests.handoff.factories import mql_handoff
from tests.sla import fixtures
from tests.teams.factories import TeamFactory, TeamMemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def words(language, *texts):
    with translation.override(language):
        return [gettext(text) for text in texts]


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_an_sdr_works_the_queue_in_thai(page, log_in, sdr, monkeypatch):
    monkeypatch.setattr(queue_views, "POLL_SECONDS", 60)
    team = TeamFactory(name="Inbound", is_default=True, mode="pool")
    TeamMemberFactory(team=team, user=sdr)
    mql_handoff(first_name="สมชาย", last_name="ใจดี", organization="Siam Trade", score=80)
    queue, pool, claim = words("th", "Queue", "Team pool", "Claim")
    assert queue != "Queue"
    log_in("sam")
    read_in(page, "th")

    page.goto("/handoff/queue/?view=pool")

    expect(page.locator("html")).to_have_attribute("lang", "th")
    expect(page.get_by_role("heading", name=queue, exact=True)).to_be_visible()
    expect(page.get_by_role("link", name=pool)).to_be_visible()
    row = page.locator("#queue-rows tr[data-handoff]").first
    expect(row.get_by_role("button", name=f"{claim} สมชาย ใจดี")).to_be_visible()
    assert_accessible(page)
    page.screenshot(path=SCREENSHOTS / "queue-th-laptop.png", full_page=True)
    row.get_by_role("button", name=f"{claim} สมชาย ใจดี").click()
    expect(page.locator("#queue-action h2")).to_contain_text("สมชาย ใจดี")
    assert_accessible(page)
    page.screenshot(path=SCREENSHOTS / "queue-th-work-panel.png", full_page=True)

    page.set_viewport_size(PHONE)
    page.goto("/handoff/queue/?view=mine")
    assert fits(page)
    page.screenshot(path=SCREENSHOTS / "queue-th-phone.png", full_page=True)


def test_a_manager_reads_and_downloads_the_breach_report_in_arabic(page, log_in):
    reps = {
        "rep1": UserFactory(username="rep1", first_name="Somchai", roles=[Role.SDR]),
        "rep2": UserFactory(username="rep2", first_name="Anna", roles=[Role.SDR]),
    }
    fixtures.build(reps)
    UserFactory(username="morgan", roles=[Role.MANAGER])
    report, lead, download = words("ar", "SLA breach report", "Lead", "Download CSV")
    assert report != "SLA breach report"
    log_in("morgan")
    read_in(page, "ar")

    page.goto("/reports/sla/breaches/?start=2026-11-16&end=2026-11-22&group=week")

    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("heading", name=report)).to_be_visible()
    assert_accessible(page)
    page.screenshot(path=SCREENSHOTS / "breach-report-ar-laptop.png", full_page=True)
    page.locator("#breach-summary a").first.click()
    with page.expect_download() as downloaded:
        page.get_by_role("button", name=download).click()
    header = Path(downloaded.value.path()).read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.startswith(f"{lead},")

    page.set_viewport_size(PHONE)
    page.goto("/reports/sla/breaches/?start=2026-11-16&end=2026-11-22&group=week")
    assert fits(page)
    page.screenshot(path=SCREENSHOTS / "breach-report-ar-phone.png", full_page=True)
