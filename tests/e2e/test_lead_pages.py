import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from core.formats import money
from handoff.models import Opportunity
from leads.models import Activity
from pages.demo.leads import DEMO_PASSWORD, DEMO_USERS
from pages.timeline import TIMELINE_PAGE, lead_timeline

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("username", list(DEMO_USERS))
def test_each_demo_role_sees_the_lead_list_and_a_timeline(page, log_in, username):
    call_command("seed_demo", leads=12, force=True)
    lead = Activity.objects.select_related("lead").first().lead

    log_in(username, DEMO_PASSWORD)
    page.goto("/leads/")
    page.get_by_role("heading", name="Leads").wait_for()
    page.get_by_role("searchbox", name="Search").fill(lead.first_name)
    page.get_by_role("button", name="Filter").click()
    page.get_by_role("link", name=lead.full_name).first.click()

    page.get_by_role("heading", name="Timeline").wait_for()
    assert page.locator(".timeline li").count() >= 1
    assert lead.email in page.content()


def test_a_long_timeline_opens_with_recent_entries_and_loads_older_ones_in_place(page, log_in):
    call_command("seed_demo", leads=12, force=True)
    lead = Activity.objects.select_related("lead").first().lead
    now = timezone.now()
    Activity.objects.bulk_create(
        Activity(lead=lead, kind="page_view", occurred_at=now - timedelta(hours=n))
        for n in range(1, 121)
    )
    total = len(lead_timeline(lead, limit=1000).entries)

    log_in("sdr", DEMO_PASSWORD)
    page.goto(f"/leads/{lead.pk}/")
    entries = page.locator(".timeline li:not(.timeline-more)")
    assert entries.count() == TIMELINE_PAGE
    page.get_by_role("link", name="Show older activity").click()
    expect(entries).to_have_count(2 * TIMELINE_PAGE)
    page.get_by_role("link", name="Show older activity").click()
    expect(entries).to_have_count(total)
    expect(page.get_by_role("link", name="Show older activity")).to_have_count(0)


@pytest.mark.parametrize(
    ("username", "reads_it"), [("ae", True), ("manager", True), ("marketer", False)]
)
def test_an_opportunitys_amount_owner_and_qualification_show_only_to_those_who_may_read_them(
    page, log_in, tmp_path, username, reads_it
):
    call_command("seed_demo", leads=120, force=True)
    # The demo's history leaves several; any of the demo account executive's will do.
    opportunity = Opportunity.objects.filter(owner__username="ae").order_by("pk").first()

    log_in(username, DEMO_PASSWORD)
    page.goto(f"/leads/{opportunity.lead_id}/")
    row = page.get_by_role("row", name=re.compile(re.escape(opportunity.name)))
    row.wait_for()
    page.screenshot(path=tmp_path / f"lead-page-{username}.png", full_page=True)

    amount = money(opportunity.amount, opportunity.currency, "en")  # as the page writes it
    expect(row.get_by_text(amount)).to_have_count(1 if reads_it else 0)
    expect(row.get_by_role("link", name=opportunity.name)).to_have_count(1 if reads_it else 0)
    expect(page.get_by_role("heading", name="Qualification (BANT)")).to_have_count(
        1 if reads_it else 0
    )
