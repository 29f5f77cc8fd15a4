import pytest
from django.apps import apps
from playwright.sync_api import expect

from accounts.roles import Role
from leads.models import ActivityKind
from scoring.models import Agreement, AgreementStatus
from scoring.starter import install_starter_agreement
from tests.factories import ActivityFactory, LeadFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def switch_user(page, log_in, username):
    page.context.clear_cookies()
    log_in(username)


def test_a_draft_is_written_previewed_signed_and_published_in_the_browser(
    page, log_in, monkeypatch
):
    monkeypatch.setattr("core.jobs.async_task", lambda *args: None)
    install_starter_agreement(apps)  # a transactional test starts from an emptied database
    UserFactory(username="maya", roles=[Role.MARKETER])
    UserFactory(username="sam", roles=[Role.SDR])
    # 10 points: not an MQL at the starter's threshold of 15, one at 10.
    ActivityFactory(lead=LeadFactory(), kind=ActivityKind.CONTACT_REQUEST)

    log_in("maya")
    page.get_by_role("link", name="Agreement", exact=True).click()
    expect(page.get_by_text("Title must be present")).to_be_visible()
    page.get_by_role("link", name="MQL agreement").click()
    page.get_by_role("button", name="New draft from the version in force").click()

    draft_mqls = page.get_by_test_id("mql-draft")
    expect(draft_mqls).to_have_text("0")
    page.get_by_label("Threshold").fill("10")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(draft_mqls).to_have_text("1")
    expect(page.get_by_test_id("mql-published")).to_have_text("0")

    actions = page.locator("#rules-action")
    actions.get_by_text("Add a rule to actions").click()
    actions.get_by_label("Activity").select_option("page_view")
    actions.get_by_label("Points").fill("1")
    actions.get_by_role("button", name="Add rule").click()
    expect(actions.get_by_text("+1 for each page view")).to_be_visible()

    page.get_by_role("button", name="Read as a document and submit").click()
    page.get_by_role("button", name="Submit for sign-off").click()
    page.get_by_role("button", name="Sign for Marketing").click()
    expect(page.get_by_text("Signed.")).to_be_visible()

    draft_page = f"/agreement/{Agreement.objects.get(status=AgreementStatus.DRAFT).pk}/"
    switch_user(page, log_in, "sam")
    page.goto(draft_page)
    page.get_by_role("button", name="Sign for Sales").click()
    expect(page.get_by_text("Signed.")).to_be_visible()

    switch_user(page, log_in, "maya")
    page.goto(draft_page)
    page.get_by_role("button", name="Publish this version").click()

    expect(page.get_by_text("Published. Every lead is being rescored")).to_be_visible()
    expect(page.locator(".badge.agreement-published")).to_be_visible()
    expect(page.get_by_text("+1 for each page view")).to_be_visible()
    expect(page.get_by_text("at 10 points")).to_be_visible()
    page.get_by_role("link", name="Agreement", exact=True).click()
    expect(page.get_by_role("heading", name="Starter agreement")).to_be_visible()
    assert "Version 2" in page.content()
