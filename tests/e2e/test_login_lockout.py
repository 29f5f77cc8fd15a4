"""Login lockout in a real browser: five wrong passwords and the login page says to wait or ask
an administrator; the administrator unlocks from the Set-up menu and the person logs in."""

import pytest
from playwright.sync_api import expect

from accounts.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def try_password(page, username, password):
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def test_a_locked_out_rep_is_told_why_and_an_administrator_unlocks_them(
    page, log_in, make_user, tmp_path
):
    make_user(Role.SDR, username="sam")
    make_user(Role.ADMIN, username="ada")

    page.goto("/accounts/login/")
    for _ in range(5):
        try_password(page, "sam", "wrong-password")
    alert = page.get_by_role("alert")
    expect(alert).to_have_text(
        "Too many failed attempts; try again in 15 minutes or ask an administrator."
    )
    expect(page.get_by_label("Username")).to_have_value("sam")
    page.screenshot(path=tmp_path / "locked-out.png", full_page=True)
    try_password(page, "sam", "secret-pass-123")
    expect(alert).to_contain_text("Too many failed attempts")

    log_in("ada")
    page.locator("summary", has_text="Set-up").click()
    page.get_by_role("link", name="Login lockouts").click()
    row = page.get_by_role("row").filter(has_text="sam")
    expect(row).to_contain_text("127.0.0.1")
    page.screenshot(path=tmp_path / "lockouts-page.png", full_page=True)
    row.get_by_role("button", name="Unlock sam").click()
    expect(page.get_by_text("sam may log in again from 127.0.0.1.")).to_be_visible()
    expect(page.get_by_text("Nobody is locked out.")).to_be_visible()
    page.screenshot(path=tmp_path / "unlocked.png", full_page=True)

    page.context.clear_cookies()
    log_in("sam")
    expect(page.locator("summary", has_text="sam")).to_be_visible()
