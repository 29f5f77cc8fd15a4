"""The calendar page's working days and reduced hours, and the SLA clock reading them."""

from datetime import UTC, date, datetime, time

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.roles import Role
from sla.business_time import add_business_minutes
from sla.calendars import (
    add_calendar_exception,
    calendar_for_team,
    calendars_for_teams,
    clear_calendar_cache,
    remove_calendar_exception,
    save_team_calendar,
)
from sla.models import CalendarException, ExceptionKind
from tests.sla.factories import TeamFactory

pytestmark = pytest.mark.django_db

WEEKDAYS_9_TO_5 = {day: [(time(9), time(17))] for day in range(5)}


@pytest.fixture
def team():
    team = TeamFactory(name="Shanghai desk")
    save_team_calendar(
        team=team, time_zone="Asia/Shanghai", hours=WEEKDAYS_9_TO_5, holiday_country="CN"
    )
    return team


def edit_url(team):
    return reverse("sla:hours_edit", args=[team.pk])


def add_url(team):
    return reverse("sla:exception_add", args=[team.pk])


def test_the_clock_counts_a_working_saturday_a_manager_adds_and_forgets_it_when_removed(team):
    start = datetime(2027, 3, 5, 8, tzinfo=UTC)  # Friday 16:00 in Shanghai: one hour left
    assert add_business_minutes(calendar_for_team(team.pk), start, 120) == datetime(
        2027, 3, 8, 2, tzinfo=UTC
    )  # Monday 10:00

    exception = add_calendar_exception(
        calendar=team.calendar, kind=ExceptionKind.WORKING, first_day=date(2027, 3, 6)
    )

    due = add_business_minutes(calendar_for_team(team.pk), start, 120)
    assert due == datetime(2027, 3, 6, 2, tzinfo=UTC)  # Saturday 10:00 in Shanghai

    remove_calendar_exception(exception=exception)
    assert add_business_minutes(calendar_for_team(team.pk), start, 120) == datetime(
        2027, 3, 8, 2, tzinfo=UTC
    )


def test_the_clock_counts_a_reduced_range_saved_on_the_page(client_as, team):
    response = client_as(Role.MANAGER).post(
        add_url(team),
        {
            "kind": "reduced",
            "first_day": "2026-02-18",
            "last_day": "2026-03-19",
            "hours": "09:00-14:00",
            "note": "Ramadan",
        },
    )

    assert response.status_code == 302
    row = CalendarException.objects.get()
    assert (row.kind, row.first_day, row.last_day, row.note) == (
        "reduced",
        date(2026, 2, 18),
        date(2026, 3, 19),
        "Ramadan",
    )
    assert calendar_for_team(team.pk).hours_on(date(2026, 3, 2)) == ((time(9), time(14)),)


@time_machine.travel(datetime(2026, 12, 5, 10, tzinfo=UTC), tick=False)
def test_the_page_shows_the_country_s_transfer_days_of_this_year_and_another(client_as, team):
    client = client_as(Role.MANAGER)

    page = client.get(edit_url(team)).content.decode()
    assert "Saturday 14 February 2026" in page
    assert "Sunday 20 September 2026" in page

    page = client.get(edit_url(team), {"year": "2025"}).content.decode()
    assert "Sunday 26 January 2025" in page
    assert "14 February 2026" not in page


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"kind": "reduced", "first_day": "2026-02-18", "last_day": "2026-03-19"},
            "hours",
            "Write the hours, e.g. 09:00-14:00.",
        ),
        (
            {
                "kind": "reduced",
                "first_day": "2026-03-19",
                "last_day": "2026-02-18",
                "hours": "9:00-14:00",
            },
            "last_day",
            "Choose a day on or after the first day.",
        ),
        ({"kind": "working", "first_day": "6 March"}, "first_day", "Enter a valid date."),
        (
            {"kind": "working", "first_day": "2027-03-06", "hours": "14:00-10:00"},
            "hours",
            "Write hours as 09:00-17:00",
        ),
    ],
)
def test_bad_exceptions_are_shown_next_to_the_field(client_as, team, data, field, message):
    response = client_as(Role.MANAGER).post(add_url(team), data)

    assert response.status_code == 400
    page = response.content.decode()
    assert f'id="id_{field}_error"' in page
    assert message in page.split(f'id="id_{field}_error"')[1][:200]
    assert not CalendarException.objects.exists()


def test_overlaps_and_closed_dates_are_refused(client_as, team):
    save_team_calendar(
        team=team,
        time_zone="Asia/Shanghai",
        hours=WEEKDAYS_9_TO_5,
        holiday_country="CN",
        closed_dates={date(2027, 3, 13): "Office move"},
    )
    client = client_as(Role.MANAGER)
    client.post(add_url(team), {"kind": "working", "first_day": "2027-03-06"})

    over_working = client.post(
        add_url(team),
        {
            "kind": "reduced",
            "first_day": "2027-03-01",
            "last_day": "2027-03-10",
            "hours": "9:00-14:00",
        },
    )
    on_closed = client.post(add_url(team), {"kind": "working", "first_day": "2027-03-13"})

    assert over_working.status_code == on_closed.status_code == 400
    assert "Another exception already covers these dates." in over_working.content.decode()
    assert "A closed date falls in these dates" in on_closed.content.decode()
    assert CalendarException.objects.count() == 1
    # And the other way round: a closed date on the working Saturday is refused on the hours form.
    response = client.post(
        edit_url(team),
        {
            "time_zone": "Asia/Shanghai",
            "holiday_country": "CN",
            "holiday_subdiv": "",
            "closed_dates": "2027-03-06 Oops",
            **{f"day_{day}": "09:00-17:00" for day in range(5)},
        },
    )
    assert response.status_code == 400
    assert "A closed date falls on a working day added below." in response.content.decode()


def test_a_manager_removes_an_exception(client_as, team):
    exception = add_calendar_exception(
        calendar=team.calendar, kind=ExceptionKind.WORKING, first_day=date(2027, 3, 6)
    )

    response = client_as(Role.MANAGER).post(
        reverse("sla:exception_remove", args=[team.pk, exception.pk])
    )

    assert response.status_code == 302
    assert not CalendarException.objects.exists()


def test_an_exception_of_another_team_is_not_found(client_as, team):
    other = TeamFactory(name="Other")
    save_team_calendar(team=other, time_zone="UTC", hours=WEEKDAYS_9_TO_5)
    exception = add_calendar_exception(
        calendar=other.calendar, kind=ExceptionKind.WORKING, first_day=date(2027, 3, 6)
    )

    response = client_as(Role.MANAGER).post(
        reverse("sla:exception_remove", args=[team.pk, exception.pk])
    )

    assert response.status_code == 404
    assert CalendarException.objects.count() == 1


def test_the_model_refuses_a_working_day_spanning_several_days(team):
    with pytest.raises(IntegrityError), transaction.atomic():
        CalendarException.objects.create(
            calendar=team.calendar,
            kind="working",
            first_day=date(2027, 3, 6),
            last_day=date(2027, 3, 7),
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        CalendarException.objects.create(
            calendar=team.calendar,
            kind="reduced",
            first_day=date(2027, 3, 6),
            last_day=date(2027, 3, 5),
        )


@pytest.mark.parametrize("teams", [1, 5])
def test_calendars_with_exceptions_are_built_in_a_fixed_number_of_queries(
    teams, django_assert_num_queries
):
    ids = []
    for number in range(teams):
        team = TeamFactory(name=f"Team {number}")
        save_team_calendar(team=team, time_zone="Asia/Dubai", hours=WEEKDAYS_9_TO_5)
        add_calendar_exception(
            calendar=team.calendar, kind=ExceptionKind.WORKING, first_day=date(2027, 3, 6)
        )
        add_calendar_exception(
            calendar=team.calendar,
            kind=ExceptionKind.REDUCED,
            first_day=date(2026, 2, 18),
            last_day=date(2026, 3, 19),
            spans=[(time(9), time(12)), (time(13), time(14))],
        )
        ids.append(team.pk)
    clear_calendar_cache()

    # The calendar rows, their weekly hours, closed dates, and exceptions with their hours.
    with django_assert_num_queries(4):
        built = calendars_for_teams(ids)

    for calendar in built.values():
        assert calendar.hours_on(date(2027, 3, 6)) == ((time(9), time(17)),)
        assert calendar.hours_on(date(2026, 2, 18)) == ((time(9), time(12)), (time(13), time(14)))
    with django_assert_num_queries(1):
        calendars_for_teams(ids)
