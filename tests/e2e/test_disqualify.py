"""Disqualifying in a real browser: a rep rules a junk MQL out from the queue's work panel (the
note "other" needs is asked for in place), it leaves the queue, and a manager reinstates it from
the lead page."""

import pytest
from playwright.sync_api import expect

from handoff.models import Outcome, ReturnReason
from handoff.reasons import seed_default_reasons
from handoff.views import queue as queue_views
from leads.models import Lead, Stage
from tests.handoff.factories import mql_handoff
from tests.teams.factories import TeamFactory, TeamMemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_rep_disqualifies_from_the_work_panel_and_a_manager_reinstates_from_the_lead_page(
    page, log_in, sdr, manager, monkeypatch, tmp_path
):
    monkeypatch.setattr(queue_views, "POLL_SECONDS", 60)
    # Transactional tests before this one may have flushed the migrations' reasons.
    seed_default_reasons(ReturnReason)
    TeamMemberFactory(team=TeamFactory(name="Inbound", is_default=True), user=sdr)
    handoff = mql_handoff(first_name="Mickey", last_name="Mouse", organization="asdf")

    log_in("sam")
    page.goto("/handoff/queue/")
    page.locator("#queue-rows").get_by_role("button", name="Work Mickey Mouse").click()
    panel = page.locator("#queue-action")
    form = panel.get_by_role("group", name="Disqualify")
    form.get_by_label("Why disqualify").select_option(label="Other")
    panel.get_by_role("button", name="Disqualify", exact=True).click()
    expect(panel.get_by_text("Say why in the note when the reason is “other”.")).to_be_visible()
    assert Lead.objects.get().stage == Stage.MQL

    # The refused form came back in place and htmx processed it: correcting it posts in place.
    form = panel.get_by_role("group", name="Disqualify")
    form.get_by_label("Why disqualify").select_option(label="Junk or fake details")
    form.get_by_label("Note").fill("Cartoon name, keyboard-mash company")
    panel.get_by_role("button", name="Disqualify", exact=True).click()
    expect(panel.get_by_text("Disqualified: it has left the queue.")).to_be_visible()
    expect(
        page.locator("#queue-rows").get_by_role("button", name="Work Mickey Mouse")
    ).to_have_count(0)
    page.screenshot(path=tmp_path / "disqualified-in-the-queue.png", full_page=True)
    handoff.refresh_from_db()
    assert handoff.outcome == Outcome.DISQUALIFIED

    page.context.clear_cookies()
    log_in("morgan")
    page.goto(f"/leads/{handoff.lead_id}/")
    section = page.locator(".handoff-section")
    expect(section.get_by_text("Disqualified because")).to_be_visible()
    expect(section.get_by_text("Junk or fake details — Cartoon name")).to_be_visible()
    section.get_by_label("Why reinstate").fill("It is a real prospect after all")
    section.get_by_role("button", name="Reinstate").click()

    expect(page.get_by_text("Reinstated: the lead was rescored")).to_be_visible()
    expect(page.locator(".lead-header .badge")).to_have_text("Lead")
    page.screenshot(path=tmp_path / "reinstated-on-the-lead-page.png", full_page=True)
    assert Lead.objects.get().stage == Stage.LEAD
