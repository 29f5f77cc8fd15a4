"""An SDR's day in the queue, in a real browser: a new MQL appears without a reload, is accepted
with the checklist, qualified, promoted and opened as an opportunity; another SDR returns a lead
and marketing sees why."""

import re

import pytest
from playwright.sync_api import expect

from handoff.models import Opportunity, ReturnReason
from handoff.reasons import seed_default_reasons
from handoff.views import queue as queue_views
from leads.models import Lead, Stage
from teams.models import AssignmentMode
from tests.factories import ChannelFactory
from tests.handoff.factories import mql_handoff
from tests.teams.factories import TeamFactory, TeamMemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def sdr2(make_user):
    return make_user("sdr", username="sasha")


@pytest.fixture
def teams(sdr, sdr2):
    # Transactional tests before this one may have flushed the migration's reasons.
    seed_default_reasons(ReturnReason)
    inbound = TeamFactory(name="Inbound", is_default=True)
    TeamMemberFactory(team=inbound, user=sdr)
    events = TeamFactory(name="Events", mode=AssignmentMode.POOL)
    TeamMemberFactory(team=events, user=sdr2)
    events.channels.add(ChannelFactory(slug="trade-show", name="Trade shows"))
    return inbound, events


def test_an_sdr_works_a_new_mql_to_an_opportunity_and_another_returns_a_lead(
    page, log_in, teams, sdr, sdr2, marketer, account_executive, monkeypatch
):
    monkeypatch.setattr(queue_views, "POLL_SECONDS", 1)
    log_in("sam")
    page.goto("/handoff/queue/")
    expect(page.get_by_text("Nothing assigned to you right now")).to_be_visible()

    mql_handoff(first_name="Nadia", last_name="Petrova", organization="Volga Logistik")
    work = page.locator("#queue-rows").get_by_role("button", name="Work Nadia Petrova")
    expect(work).to_be_visible(timeout=15_000)
    work.click()
    panel = page.locator("#queue-action")
    expect(panel.get_by_role("heading", name="Nadia Petrova")).to_be_focused()

    # A half-filled form survives the rows refreshing underneath it.
    panel.get_by_label("Note").first.fill("Spoke to her assistant")
    mql_handoff(first_name="Omar", last_name="Haddad", organization="Gulf Tech")
    expect(
        page.locator("#queue-rows").get_by_role("button", name="Work Omar Haddad")
    ).to_be_visible(timeout=15_000)
    expect(panel.get_by_label("Note").first).to_have_value("Spoke to her assistant")

    panel.get_by_label("It meets the MQL spec as shown").check()
    panel.get_by_label("Sales can start a conversation").check()
    panel.get_by_role("button", name="Accept").click()
    third = panel.get_by_label("The person is at the company in a role that could buy")
    assert third.evaluate("box => box.validity.valueMissing")  # the browser holds the form back
    assert Lead.objects.get(first_name="Nadia").stage == Stage.MQL
    third.check()
    panel.get_by_role("button", name="Accept").click()
    expect(panel.get_by_text("Accepted into SAL")).to_be_visible()
    expect(
        page.locator("#queue-rows").get_by_role("button", name="Work Nadia Petrova")
    ).to_have_count(0)

    panel.get_by_role("link", name="Open the lead page").click()
    qualification = page.locator("#qualification")
    for check in (
        "A legitimate buying cycle exists",
        "We talk to an influencer in it",
        "Timeframe known",
        "Opportunity size known",
        "Permission for a next step",
    ):
        qualification.get_by_label(check).check()
    qualification.get_by_label("Next step", exact=True).fill("Workshop with operations")
    qualification.get_by_label("Next step date").fill("2026-05-04")
    qualification.get_by_role("button", name="Save qualification").click()
    expect(qualification.get_by_text("Qualification saved")).to_be_visible()

    qualification.get_by_label("Hand to account executive").select_option(label="alex")
    qualification.get_by_role("button", name="Promote to SQL").click()
    opportunity = page.locator("#opportunity-form")
    expect(opportunity.get_by_role("heading", name="Open an opportunity")).to_be_visible()
    opportunity.get_by_label("Name").fill("Volga Logistik rollout")
    opportunity.get_by_label("Amount").fill("48000")
    opportunity.get_by_label("Currency").fill("EUR")
    opportunity.get_by_label("Expected close date").fill("2026-09-30")
    opportunity.get_by_label("Owner (account executive)").select_option(label="alex")
    opportunity.get_by_role("button", name="Open opportunity").click()
    # The rep sourced it: its row shows the amount and owner, with no link to a page reps
    # may not open (the pipeline pages are the account executives' and managers').
    row = page.get_by_role("row", name=re.compile("Volga Logistik rollout"))
    expect(row).to_contain_text("€48,000.00")
    expect(row.get_by_role("link")).to_have_count(0)
    assert Lead.objects.get(first_name="Nadia").stage == Stage.OPPORTUNITY
    assert Opportunity.objects.get().owner == account_executive

    returned = mql_handoff(
        first_name="Ivan",
        last_name="Sokolov",
        organization="Ural Systems",
        channel=ChannelFactory(slug="trade-show"),
    )
    page.context.clear_cookies()
    log_in("sasha")
    page.goto("/handoff/queue/?view=pool")
    page.get_by_role("button", name="Claim Ivan Sokolov").click()
    panel.get_by_label("Reason").select_option(label="No fit")
    panel.get_by_label("Note").nth(1).fill("Hobby project, no budget")
    panel.get_by_role("button", name="Return").click()
    expect(panel.get_by_text("Returned to marketing.")).to_be_visible()
    assert page.dialogs == [
        "Return this lead to marketing? It leaves the queue, and marketing sees your reason."
    ]

    page.context.clear_cookies()
    log_in("maya")
    page.goto("/handoff/returned/")
    row = page.get_by_role("row", name=re.compile("Ivan Sokolov"))
    expect(row).to_contain_text("No fit")
    expect(row).to_contain_text("Hobby project, no budget")
    assert Lead.objects.get(pk=returned.lead_id).stage == Stage.RECYCLED


def test_a_long_pool_comes_in_pages_most_urgent_first(page, log_in, teams, sdr2, monkeypatch):
    monkeypatch.setattr(queue_views, "POLL_SECONDS", 60)
    channel = ChannelFactory(slug="expo", name="Expo")
    _inbound, events = teams
    events.channels.add(channel)
    for _ in range(queue_views.PAGE_SIZE + 5):
        mql_handoff(channel=channel)

    log_in("sasha")
    page.goto("/handoff/queue/?view=pool")
    rows = page.locator("#queue-rows tr[data-handoff]")
    expect(rows).to_have_count(queue_views.PAGE_SIZE)
    page.get_by_role("link", name="Less urgent →").click()
    expect(rows).to_have_count(5)
    expect(page.get_by_role("link", name="← More urgent")).to_be_visible()


def test_the_rows_hold_still_while_focus_is_in_them(page, log_in, teams, sdr, monkeypatch):
    """A keyboard user's place in the rows is not swapped away by the poll (accord.js pauses it
    while focus is inside); once focus leaves, the next poll brings the new lead."""
    monkeypatch.setattr(queue_views, "POLL_SECONDS", 1)
    mql_handoff(first_name="Nadia", last_name="Petrova", organization="Volga Logistik")
    log_in("sam")
    page.goto("/handoff/queue/")
    work = page.locator("#queue-rows").get_by_role("button", name="Work Nadia Petrova")
    work.focus()

    mql_handoff(first_name="Omar", last_name="Haddad", organization="Gulf Tech")
    page.wait_for_timeout(3_000)  # three polls' worth
    expect(
        page.locator("#queue-rows").get_by_role("button", name="Work Omar Haddad")
    ).to_have_count(0)
    expect(work).to_be_focused()

    page.get_by_role("searchbox", name="Search").focus()
    expect(
        page.locator("#queue-rows").get_by_role("button", name="Work Omar Haddad")
    ).to_be_visible(timeout=5_000)
