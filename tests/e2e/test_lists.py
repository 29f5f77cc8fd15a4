"""What every list needs (issue 14), in Chromium: sort by a column and back, save a view and
return to it, reassign two handoffs at once as a manager, mark notifications read in bulk; each
list at a laptop's size (1366×900) and a phone's (390×844), left to right and in Arabic, with
nothing wider than the window. Screenshots go to the test's tmp_path."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from handoff.models import Handoff, ReturnReason
from handoff.reasons import seed_default_reasons
from handoff.views import queue as queue_views
from notifications.services import notify
from tests.e2e.test_day_per_role import PAGE_OVERFLOW, SIZES
from tests.factories import LeadFactory
from tests.handoff.factories import mql_handoff
from tests.teams.factories import TeamFactory, TeamMemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def sdr2(make_user):
    return make_user("sdr", username="sasha")


@pytest.fixture
def queue(sdr, sdr2, monkeypatch):
    """A pool of four handoffs, due an hour apart; the least urgent has the highest score."""
    monkeypatch.setattr(queue_views, "POLL_SECONDS", 60)
    seed_default_reasons(ReturnReason)
    team = TeamFactory(name="Inbound", is_default=True, mode="pool")
    TeamMemberFactory(team=team, user=sdr)
    TeamMemberFactory(team=team, user=sdr2)
    people = [("Ana", "Silva", 20), ("Bo", "Chen", 40), ("Cy", "Okafor", 60), ("Di", "Roy", 80)]
    handoffs = [
        mql_handoff(first_name=first, last_name=last, score=score) for first, last, score in people
    ]
    soon = timezone.now() + timedelta(hours=1)
    for hour, handoff in enumerate(handoffs):
        Handoff.objects.filter(pk=handoff.pk).update(sla_due_at=soon + timedelta(hours=hour))
    return handoffs


def first_row_lead(page):
    return page.locator("#queue-rows tr[data-handoff]").first.locator("td a").first


def speak(page, language):
    cookie = {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "path": "/"}
    page.context.add_cookies([{**cookie, "domain": urlsplit(page.url).hostname}])


def look_at(page, path, name, tmp_path):
    """The list at both sizes, both directions: nothing sideways; a screenshot of each."""
    problems = []
    for language, direction in (("en", "ltr"), ("ar", "rtl")):
        speak(page, language)
        for size, viewport in SIZES.items():
            page.set_viewport_size(viewport)
            page.goto(path)
            expect(page.locator("html")).to_have_attribute("dir", direction)
            overflow = page.evaluate(PAGE_OVERFLOW)
            if overflow["overflow"] > 0:
                problems.append(
                    f"{name} at {size} ({direction}): {overflow['overflow']}px too wide "
                    f"({', '.join(overflow['culprits'])})"
                )
            page.screenshot(path=tmp_path / f"{name}-{size}-{direction}.png", full_page=True)
    speak(page, "en")
    page.set_viewport_size(SIZES["laptop"])
    return problems


def test_a_manager_sorts_the_queue_by_a_column_and_back_to_most_urgent(
    page, log_in, queue, manager
):
    log_in("morgan")
    page.goto("/handoff/queue/?view=all")
    expect(first_row_lead(page)).to_have_text("Ana Silva")

    page.get_by_role("link", name="Score").click()
    expect(page).to_have_url(re.compile(r"view=all.*sort=-score"))
    expect(page.get_by_role("columnheader", name="Score")).to_have_attribute(
        "aria-sort", "descending"
    )
    expect(first_row_lead(page)).to_have_text("Di Roy")

    page.get_by_role("link", name="Score").click()
    expect(page.get_by_role("columnheader", name="Score")).to_have_attribute(
        "aria-sort", "ascending"
    )
    expect(first_row_lead(page)).to_have_text("Ana Silva")

    page.get_by_role("link", name="Most urgent first").click()
    expect(page.get_by_role("link", name="Most urgent first")).to_have_count(0)
    expect(page.get_by_role("columnheader", name="Time left")).to_have_attribute(
        "aria-sort", "ascending"
    )
    expect(first_row_lead(page)).to_have_text("Ana Silva")


def test_a_marketer_saves_a_view_of_the_leads_and_returns_to_it(page, log_in, marketer, tmp_path):
    for score in (5, 50, 25):
        LeadFactory(status="connected", score=score, first_name=f"Connected{score}")
    LeadFactory(status="new", score=99, first_name="Fresh")
    log_in("maya")
    page.goto("/leads/")

    page.get_by_label("Status").select_option("connected")
    page.get_by_role("button", name="Filter").click()
    page.get_by_role("link", name="Score").click()
    page.get_by_role("link", name="Score").click()
    expect(page.get_by_role("columnheader", name="Score")).to_have_attribute(
        "aria-sort", "ascending"
    )
    page.get_by_label("Name of this view").fill("Connected, coldest first")
    page.get_by_role("button", name="Save view").click()
    expect(page.get_by_text("View “Connected, coldest first” saved.")).to_be_visible()

    page.goto("/leads/")
    expect(page.get_by_role("link", name="Fresh Johnson")).to_be_visible()
    page.get_by_role("link", name="Connected, coldest first").click()

    expect(page).to_have_url(re.compile(r"status=connected.*sort=score"))
    names = page.locator("main table tbody tr td:nth-child(2) a").all_inner_texts()
    assert names == ["Connected5 Johnson", "Connected25 Johnson", "Connected50 Johnson"]
    expect(page.get_by_role("link", name="Connected, coldest first")).to_have_attribute(
        "aria-current", "true"
    )
    here = urlsplit(page.url)
    assert not look_at(page, f"{here.path}?{here.query}", "leads", tmp_path)


def test_a_manager_reassigns_two_handoffs_at_once(page, log_in, queue, manager, sdr, tmp_path):
    log_in("morgan")
    page.goto("/handoff/queue/?view=all")

    page.get_by_label("Select Ana Silva").check()
    page.get_by_label("Select Cy Okafor").check()
    page.get_by_label("Give to").select_option(label=str(sdr))
    page.get_by_role("button", name="Reassign", exact=True).click()

    expect(page.get_by_text("2 reassigned")).to_be_visible()
    assert page.dialogs == ["Reassign the ticked leads?"]
    assert {h.lead.first_name for h in Handoff.objects.filter(assignee=sdr)} == {"Ana", "Cy"}
    # Back on the queue as the manager left it.
    expect(page).to_have_url(re.compile(r"view=all"))

    page.get_by_label("Select all on this page").check()
    expect(page.locator("[data-select=handoffs]:checked")).to_have_count(4)
    page.get_by_label("Select Bo Chen").uncheck()
    expect(page.get_by_label("Select all on this page")).not_to_be_checked()
    assert not look_at(page, "/handoff/queue/?view=all&sort=-score", "queue", tmp_path)
    # On a phone each handoff is a card; the manager's tick box does not push its cells about.
    page.set_viewport_size(SIZES["phone"])
    page.goto("/handoff/queue/?view=all&sort=-score")
    card = page.locator("#queue-rows tr[data-handoff]").first
    expect(card.locator("td.num")).to_be_visible()
    expect(card.get_by_label("Select Di Roy")).to_be_visible()
    expect(card.get_by_role("button", name="Claim Di Roy")).to_be_visible()
    # The cards sort as the table does: the headers are a line of sort choices above them.
    page.locator("thead").get_by_role("link", name="Lead").click()
    expect(page).to_have_url(re.compile(r"sort=lead"))
    first = page.locator("#queue-rows tr[data-handoff]").first
    expect(first).to_contain_text("Ana Silva")
    page.locator("thead").get_by_role("link", name="Lead").click()
    expect(page).to_have_url(re.compile(r"sort=-lead"))
    expect(page.locator("#queue-rows tr[data-handoff]").first).to_contain_text("Di Roy")
    page.screenshot(path=tmp_path / "queue-phone-sorted.png")


def test_someone_marks_notifications_read_in_bulk(page, log_in, sdr, tmp_path):
    for n in range(3):
        notify(user=sdr, kind="lead_assigned", params={"text": f"Lead {n} is yours"}, email=False)
    log_in("sam")
    page.goto("/notifications/")
    assert not look_at(page, "/notifications/", "notifications", tmp_path)
    page.goto("/notifications/")

    page.get_by_label("Select all on this page").check()
    page.get_by_label("Select: Lead 1 is yours").uncheck()
    page.get_by_role("button", name="Mark selected as read").click()

    expect(page.get_by_text("2 notifications marked as read.")).to_be_visible()
    expect(page.locator("[data-select=notifications]")).to_have_count(1)
    page.get_by_role("button", name="Mark all as read").click()
    expect(page.get_by_text("1 notification marked as read.")).to_be_visible()
    expect(page.locator("[data-select=notifications]")).to_have_count(0)
