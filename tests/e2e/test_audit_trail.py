"""A manager changes an SLA policy's target and finds the change on the audit page, in English
and in Arabic (right to left)."""

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from sla.models import SlaPolicy, Step
from tests.e2e.reading import SCREENSHOTS, read_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_manager_finds_their_policy_change_on_the_audit_page(page, log_in, language):
    UserFactory(username="morgan", first_name="Morgan", last_name="Lee", roles=[Role.MANAGER])
    policy = SlaPolicy.objects.filter(step=Step.FIRST_TOUCH, is_active=True).first()
    old_target = policy.target_minutes
    page.set_viewport_size({"width": 1366, "height": 900})
    log_in("morgan")
    read_in(page, language)

    page.goto(f"/sla/policies/{policy.pk}/")
    page.locator("input[name=target_minutes]").fill(str(old_target + 45))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()

    page.goto("/audit/")
    assert page.locator("html").get_attribute("lang") == language
    page.locator("select[name=object_type]").select_option("sla.slapolicy")
    with page.expect_navigation():
        page.locator("form.filters button[type=submit]").click()
    row = page.locator("table.audit tbody tr").first
    expect(row).to_contain_text("Morgan Lee")
    expect(row).to_contain_text(str(old_target))
    expect(row).to_contain_text(str(old_target + 45))
    if language == "ar":
        assert page.locator("html").get_attribute("dir") == "rtl"
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"audit-trail-{language}.png", full_page=True)
