import pytest

from accounts.models import ApiToken
from accounts.roles import Role
from accounts.tokens import digest_of
from tests.accounts.keys import api_status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_marketer_creates_copies_and_revokes_a_token_from_the_user_menu(
    page, log_in, make_user, tmp_path
):
    user = make_user(Role.MARKETER, username="maya")
    log_in("maya")

    page.locator("summary", has_text="maya").click()
    page.get_by_role("link", name="Profile and API tokens").click()
    page.get_by_text("You have no API token yet.").wait_for()
    page.get_by_label("Name").fill("Website forms")
    page.get_by_label("Expires after").select_option(label="30 days")
    page.get_by_role("button", name="Create the token").click()

    key = page.get_by_role("textbox", name="API token").input_value()
    token = ApiToken.objects.get(user=user)
    assert (token.name, token.digest) == ("Website forms", digest_of(key))
    assert f"Authorization: Token {key}" in page.locator("#api-token-curl").inner_text()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.get_by_role("button", name="Copy", exact=True).press("Enter")
    page.get_by_role("button", name="Copied", exact=True).wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == key
    page.screenshot(path=tmp_path / "api-token-created.png", full_page=True)
    assert api_status(key) == 200

    page.goto("/accounts/profile/")
    assert key not in page.content()
    row = page.locator("tr", has_text="Website forms")
    assert token.prefix in row.inner_text()
    row.get_by_role("button", name="Revoke Website forms").click()
    page.get_by_text("The API token “Website forms” was revoked").wait_for()
    page.screenshot(path=tmp_path / "api-token-revoked.png", full_page=True)
    assert api_status(key) == 401
