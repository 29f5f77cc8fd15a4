"""A manager adds a working Saturday and Ramadan hours on the calendar page and sees China's
make-up working days, in English and Arabic, on a laptop and a phone."""

from datetime import date, time

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from sla.calendars import calendar_for_team, save_team_calendar
from sla.models import CalendarException
from tests.e2e.reading import SCREENSHOTS
from tests.factories import UserFactory
from tests.sla.factories import TeamFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    ("language", "width", "height"),
    [("en", 1366, 900), ("en", 390, 844), ("ar", 1366, 900), ("ar", 390, 844)],
)
def test_a_manager_adds_working_days_and_reduced_hours(page, log_in, language, width, height):
    team = TeamFactory(name="Shanghai desk")
    save_team_calendar(
        team=team,
        time_zone="Asia/Shanghai",
        hours={day: [(time(9), time(17))] for day in range(5)},
        holiday_country="CN",
    )
    UserFactory(username="morgan", roles=[Role.MANAGER])
    page.set_viewport_size({"width": width, "height": height})
    log_in("morgan")
    page.goto(f"/sla/hours/{team.pk}/?year=2026")
    if language != "en":
        menu = page.locator("header .nav-menu > summary")
        if menu.is_visible():
            menu.click()
        page.locator("header .user-menu > summary").click()
        with page.expect_navigation():
            page.locator("select[name=language]").select_option(language)
    assert page.locator("html").get_attribute("lang") == language

    # China's 2026 make-up working days are listed (six of them).
    expect(page.locator("ul.transfer-days li")).to_have_count(6)

    form = page.locator("form.exception-form")
    form.locator("select[name=kind]").select_option("working")
    form.locator("input[name=first_day]").fill("2027-03-06")
    form.locator("input[name=note]").fill("Trade fair")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(page.locator("table.exceptions-table tbody tr")).to_have_count(1)

    # A reduced range without hours is refused next to the hours field.
    form = page.locator("form.exception-form")
    form.locator("select[name=kind]").select_option("reduced")
    form.locator("input[name=first_day]").fill("2026-02-18")
    form.locator("input[name=last_day]").fill("2026-03-19")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(page.locator("#id_hours_error")).to_be_visible()
    form = page.locator("form.exception-form")
    form.locator("input[name=hours]").fill("09:00-14:00")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(page.locator("table.exceptions-table tbody tr")).to_have_count(2)

    assert CalendarException.objects.count() == 2
    calendar = calendar_for_team(team.pk)
    assert calendar.hours_on(date(2027, 3, 6)) == ((time(9), time(17)),)
    assert calendar.hours_on(date(2026, 3, 2)) == ((time(9), time(14)),)

    page.locator("#exceptions").scroll_into_view_if_needed()
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"calendar-{language}-{width}.png", full_page=True)
    page.locator("#exceptions").screenshot(
        path=SCREENSHOTS / f"calendar-exceptions-{language}-{width}.png"
    )
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0

    # Removing the working Saturday.
    with page.expect_navigation():
        page.locator("table.exceptions-table tbody tr", has_text="Trade fair").locator(
            "button"
        ).click()
    expect(page.locator("table.exceptions-table tbody tr")).to_have_count(1)
    assert CalendarException.objects.get().kind == "reduced"
