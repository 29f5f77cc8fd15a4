"""Each role's home on the demo data, in Chromium at a laptop's size (1366×900) and a phone's
(390×844), left to right and in Arabic: the figures the selectors give are the ones shown, the
marketer's chart is drawn (under the CSP, from reports-charts.js), nothing is wider than the
window, and at the laptop's size no table scrolls sideways. A rep's home is the queue, with their
day and next leads above it: the first lead due is the queue's first row.

A screenshot of each home at each size and direction is saved in the test's tmp_path.
"""

from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from handoff.selectors import pipeline_for, rep_day
from pages.demo.leads import DEMO_PASSWORD
from reports.selectors import mql_weeks
from reports.sla_overview import sla_today
from scoring.models import Agreement, AgreementStatus
from scoring.versions import create_draft, submit_draft
from tests.e2e.reading import read_in
from tests.e2e.test_day_per_role import PAGE_OVERFLOW, SCROLLING_TABLES, SIZES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo():
    """The demo with its eight weeks of history, and a draft the marketer put up for signature."""
    call_command("seed_demo", leads=24, force=True)
    users = {user.username: user for user in get_user_model().objects.all()}
    draft = create_draft(
        user=users["marketer"], copy_of=Agreement.objects.get(status=AgreementStatus.PUBLISHED)
    )
    submit_draft(agreement=draft, user=users["marketer"])
    return {"users": users, "draft": draft}


def marketer_home(page, demo):
    weeks = mql_weeks(today=timezone.localdate())
    expect(page.get_by_test_id("mqls-this-week")).to_have_text(str(weeks[-1].count))
    expect(page.get_by_test_id("mqls-last-week")).to_have_text(str(weeks[-2].count))
    assert sum(week.count for week in weeks) > 0, "the demo's history has MQLs"
    canvas = page.locator('canvas[data-report-chart="mql-weeks-data"]')
    expect(canvas).to_be_visible()
    page.wait_for_function("() => Chart.getChart(document.querySelector('canvas')) !== undefined")
    expect(page.locator(f'[data-draft="{demo["draft"].pk}"] a')).to_be_visible()


def ae_home(page, demo):
    pipeline = pipeline_for(user=demo["users"]["ae"])
    expect(page.get_by_test_id("sql-count")).to_have_text(str(pipeline.sql_count))
    expect(page.get_by_test_id("open-opportunities")).to_have_text(str(pipeline.open_count))
    assert pipeline.sql_count > 0, "the demo's executive has SQLs"
    first = page.locator("[aria-labelledby=home-pipeline] .home-list a").first
    expect(first).to_have_text(str(pipeline.sqls[0].lead))


def manager_home(page, demo):
    today = sla_today(now=timezone.now())
    expect(page.get_by_test_id("breached-today-count")).to_have_text(
        str(today["breached_today_count"])
    )
    expect(page.get_by_test_id("at-risk-count")).to_have_text(str(today["at_risk_count"]))


def sdr_home(page, demo):
    assert urlsplit(page.url).path == "/handoff/queue/"
    day = rep_day(user=demo["users"]["sdr"])
    expect(page.get_by_test_id("accepted-today")).to_have_text(str(day.accepted))
    expect(page.get_by_test_id("breached-today")).to_have_text(str(day.breached))
    summary = page.locator(".rep-summary")
    tabs = page.locator(".queue-tabs")
    assert summary.bounding_box()["y"] < tabs.bounding_box()["y"]
    first_due = page.locator("[data-next-due]").first.get_attribute("data-next-due")
    first_row = page.locator("#queue-rows tr[data-handoff]").first.get_attribute("data-handoff")
    assert first_due == first_row


HOMES = {"marketer": marketer_home, "ae": ae_home, "manager": manager_home, "sdr": sdr_home}


@pytest.mark.parametrize("role", list(HOMES))
def test_each_role_lands_on_its_home(role, page, log_in, demo, tmp_path):
    log_in(role, DEMO_PASSWORD)
    problems = []
    for direction in ("ltr", "rtl"):
        if direction == "rtl":
            read_in(page, "ar")
        for size, viewport in SIZES.items():
            page.set_viewport_size(viewport)
            page.goto("/")
            expect(page.locator("html")).to_have_attribute("dir", direction)
            HOMES[role](page, demo)
            where = f"{role}'s home at {size} ({direction})"
            overflow = page.evaluate(PAGE_OVERFLOW)
            if overflow["overflow"] > 0:
                problems.append(
                    f"{where}: {overflow['overflow']}px too wide {overflow['culprits']}"
                )
            if size == "laptop":
                problems.extend(
                    f"{where}: the table under {heading!r} scrolls sideways"
                    for heading in page.evaluate(SCROLLING_TABLES)
                )
            page.screenshot(path=tmp_path / f"home-{role}-{size}-{direction}.png", full_page=True)

    assert not problems, "\n".join(problems)
