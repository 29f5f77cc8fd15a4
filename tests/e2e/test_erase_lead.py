"""A manager erases a lead from its page: the red button, the confirmation page that asks for a
reason, and the lead left as "Erased lead #id", in English and in Arabic (right to left)."""

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from leads.consent import unsubscribe
from leads.models import ActivityKind, ConsentSource, Lead
from tests.e2e.reading import SCREENSHOTS, read_in
from tests.factories import ActivityFactory, LeadFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_manager_erases_a_lead_from_its_page(page, log_in, language):
    lead = LeadFactory(
        email="ana.lima@northwind.io", first_name="Ana", last_name="Lima", phone="+66 81 234 5678"
    )
    ActivityFactory(lead=lead, kind=ActivityKind.DEMO_REQUEST, properties={"page": "/pricing"})
    unsubscribe(lead=lead, source=ConsentSource.WEB_FORM)
    UserFactory(username="morgan", roles=[Role.MANAGER])
    log_in("morgan")
    read_in(page, language)
    SCREENSHOTS.mkdir(exist_ok=True)

    page.goto(f"/leads/{lead.pk}/")
    expect(page.locator("h1 .badge.do-not-contact")).to_be_visible()
    section = page.locator("#personal-data")
    section.scroll_into_view_if_needed()
    page.screenshot(path=SCREENSHOTS / f"lead-personal-data-{language}.png", full_page=True)

    with page.expect_navigation():
        section.locator("a.danger").click()
    expect(page.locator("button.danger[type=submit]")).to_be_visible()
    page.locator("textarea[name=reason]").fill("Ticket 4512")
    page.screenshot(path=SCREENSHOTS / f"lead-erase-confirm-{language}.png", full_page=True)
    with page.expect_navigation():
        page.locator("button.danger[type=submit]").click()

    expect(page.locator("h1")).to_contain_text(f"#{lead.pk}")
    expect(page.locator("body")).not_to_contain_text("Ana")
    expect(page.locator("#personal-data a.danger")).to_have_count(0)
    page.screenshot(path=SCREENSHOTS / f"lead-erased-{language}.png", full_page=True)
    assert Lead.objects.get(pk=lead.pk).erased_at is not None
