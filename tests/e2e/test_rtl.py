"""Right to left (Arabic), Pico's pieces read the right way round: a closed disclosure's chevron
(the phone's "Menu") points left, towards where the text reads on, and down once it is open."""

import pytest
from django.conf import settings
from playwright.sync_api import expect

from accounts.roles import Role
from tests.e2e.test_day_per_role import SIZES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHEVRON = """() => getComputedStyle(
  document.querySelector("details.nav-menu > summary"), "::after").transform"""
# rotate(-90deg), rotate(90deg) and no turn, as getComputedStyle writes them.
POINTS_RIGHT, POINTS_LEFT, POINTS_DOWN = (
    "matrix(0, -1, 1, 0, 0, 0)",
    "matrix(0, 1, -1, 0, 0, 0)",
    "matrix(1, 0, 0, 1, 0, 0)",
)


def test_the_phone_menus_chevron_points_the_way_the_text_reads(
    page, log_in, make_user, live_server
):
    make_user(Role.MARKETER, username="someone")
    log_in("someone")
    page.set_viewport_size(SIZES["phone"])
    page.goto("/leads/")
    assert page.evaluate(CHEVRON) == POINTS_RIGHT

    host = live_server.url.split("//")[1].split(":")[0]
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "ar", "domain": host, "path": "/"}]
    )
    page.goto("/leads/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert page.evaluate(CHEVRON) == POINTS_LEFT
    page.locator("details.nav-menu > summary").click()
    page.wait_for_function(f"() => ({CHEVRON})() === '{POINTS_DOWN}'")
