import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_marketer_creates_copies_and_revokes_a_token_from_the_user_menu(page, log_in, make_user):
    user = make_user(Role.MARKETER, username="maya")
    log_in("maya")

    page.locator("summary", has_text="maya").click()
    page.get_by_role("link", name="Profile and API token").click()
    page.get_by_text("You have no API token yet.").wait_for()
    page.get_by_role("button", name="Create a token").click()

    key = page.get_by_role("textbox", name="API token").input_value()
    assert key == Token.objects.get(user=user).key
    assert f"Authorization: Token {key}" in page.locator("#api-token-curl").inner_text()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.get_by_role("button", name="Copy", exact=True).press("Enter")
    page.get_by_role("button", name="Copied", exact=True).wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == key
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/leads/").status_code == 200

    page.reload()
    assert key not in page.content()
    page.get_by_role("button", name="Revoke token").click()
    page.get_by_text("Your API token was revoked").wait_for()
    assert not Token.objects.filter(user=user).exists()
