import pytest
from django.core.management import call_command

from leads.demo import DEMO_PASSWORD, DEMO_USERS
from leads.models import Activity

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("username", list(DEMO_USERS))
def test_each_demo_role_sees_the_lead_list_and_a_timeline(page, log_in, username):
    call_command("seed_demo", leads=12)
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
