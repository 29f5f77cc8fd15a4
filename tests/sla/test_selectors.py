from datetime import UTC, datetime, time, timedelta

import pytest

from handoff.selectors import lead_handoff_section
from sla.calendars import (
    calendar_for_team,
    default_calendar,
    format_spans,
    parse_spans,
    save_team_calendar,
)
from sla.models import Step
from sla.selectors import (
    clock_display,
    clocks_for_handoffs,
    format_duration,
    queue_clock,
)
from sla.services import start_clocks, stop_clock
from tests.sla.factories import HandoffFactory, TeamFactory

MONDAY_9 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def first_touch(db):
    handoff = HandoffFactory(created_at=MONDAY_9)
    return start_clocks(handoff=handoff, now=MONDAY_9)[Step.FIRST_TOUCH]


@pytest.mark.parametrize(
    ("at", "state", "text"),
    [
        (MONDAY_9 + timedelta(minutes=110), "running", "2h 10m left, business hours"),
        (MONDAY_9 + timedelta(hours=3, minutes=15), "at_risk", "45m left, business hours"),
        (MONDAY_9 + timedelta(hours=4, minutes=35), "breached", "breached 35m ago, business hours"),
        # Overnight the clock is paused: at 08:00 next day it is 4h past due, not 19h.
        (MONDAY_9 + timedelta(days=1, hours=-1), "breached", "breached 4h ago, business hours"),
        (MONDAY_9 + timedelta(hours=4, seconds=30), "breached", "breached 0m ago, business hours"),
    ],
)
def test_a_running_clock_reads_in_business_terms(first_touch, at, state, text):
    display = clock_display(first_touch, at)

    assert (display.state, display.text) == (state, text)


@pytest.mark.django_db
def test_a_clock_due_at_closing_time_reads_so_until_the_next_opening():
    handoff = HandoffFactory(created_at=MONDAY_9)
    accept = start_clocks(handoff=handoff, now=MONDAY_9)[Step.ACCEPT_OR_RETURN]

    evening = clock_display(accept, MONDAY_9 + timedelta(hours=11))
    next_morning = clock_display(accept, MONDAY_9 + timedelta(days=1, minutes=20))

    assert evening.text == "breached at closing time"
    assert next_morning.text == "breached 20m ago, business hours"


def test_a_stopped_clock_says_how_long_it_took(first_touch):
    stop_clock(
        handoff=first_touch.handoff, step=Step.FIRST_TOUCH, now=MONDAY_9 + timedelta(hours=1)
    )
    first_touch.refresh_from_db()

    display = clock_display(first_touch, MONDAY_9 + timedelta(days=5))

    assert (display.state, display.css_state, display.text) == ("met", "met", "met in 1h")


def test_a_running_clock_is_coloured_on_time(first_touch):
    assert clock_display(first_touch, MONDAY_9).css_state == "on_time"


@pytest.mark.parametrize(
    ("minutes", "counting", "reads"),
    [
        (4800, "business", "10 business days"),
        (4799, "business", "9 business days 7h"),
        (480, "business", "1 business day"),
        (479, "business", "7h 59m"),
        (1500, "calendar", "1 day 1h"),
        (2880, "calendar", "2 days"),
        (4800, None, "80h"),
    ],
)
def test_a_day_or_more_reads_in_days_of_the_clock_s_counting(minutes, counting, reads):
    assert format_duration(timedelta(minutes=minutes), counting) == reads


def test_durations_read_like_a_deadline():
    assert [format_duration(timedelta(minutes=m)) for m in (0, 45, 60, 130)] == [
        "0m",
        "45m",
        "1h",
        "2h 10m",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("count", [2, 12])
def test_clocks_for_many_handoffs_take_a_fixed_number_of_queries(count, django_assert_num_queries):
    teams = [TeamFactory(), TeamFactory()]
    for team in teams:
        save_team_calendar(team=team, time_zone="Asia/Bangkok", hours={0: [(time(9), time(17))]})
    handoffs = [HandoffFactory(team=teams[n % 2], created_at=MONDAY_9) for n in range(count)]
    for handoff in handoffs:
        start_clocks(handoff=handoff, now=MONDAY_9)

    with django_assert_num_queries(2):
        found = clocks_for_handoffs(handoffs)
        texts = [
            clock_display(clock, MONDAY_9).text
            for clocks in found.values()
            for clock in clocks.values()
        ]

    assert len(found) == count and len(texts) == 2 * count


@pytest.mark.django_db
def test_the_lead_page_lists_every_clock_of_the_lead(first_touch, sdr):
    section = lead_handoff_section(lead=first_touch.handoff.lead, user=sdr)

    assert [clock.step for clock in section["clocks"]] == [Step.FIRST_TOUCH, Step.ACCEPT_OR_RETURN]


@pytest.mark.django_db
def test_a_team_without_hours_uses_the_default_calendar():
    assert calendar_for_team(TeamFactory().pk) == default_calendar()
    assert calendar_for_team(None) == default_calendar()


@pytest.mark.django_db
def test_an_edited_calendar_is_rebuilt():
    team = TeamFactory()
    save_team_calendar(team=team, time_zone="Europe/Berlin", hours={0: [(time(9), time(17))]})
    assert calendar_for_team(team.pk).time_zone == "Europe/Berlin"

    save_team_calendar(team=team, time_zone="America/Chicago", hours={1: [(time(8), None)]})

    calendar = calendar_for_team(team.pk)
    assert calendar.time_zone == "America/Chicago"
    assert calendar.weekly[1] == ((time(8), None),)
    assert calendar.weekly[0] == ()


def test_spans_are_written_as_people_write_them():
    assert parse_spans(" 08:30-12:00, 13:00 - 24:00 ") == [
        (time(8, 30), time(12)),
        (time(13), None),
    ]
    assert parse_spans("") == []
    assert format_spans([(time(8, 30), time(12)), (time(22), None)]) == "08:30-12:00, 22:00-24:00"
    with pytest.raises(ValueError):
        parse_spans("nine to five")
    with pytest.raises(ValueError):
        parse_spans("25:00-26:00")


@pytest.mark.django_db
def test_the_queue_shows_the_first_touch_clock_until_the_first_touch(first_touch):
    handoff = first_touch.handoff

    before = queue_clock(clocks_for_handoffs([handoff])[handoff.pk])
    stop_clock(handoff=handoff, step=Step.FIRST_TOUCH, now=MONDAY_9 + timedelta(minutes=5))
    after = queue_clock(clocks_for_handoffs([handoff])[handoff.pk])

    assert (before.step, after.step) == (Step.FIRST_TOUCH, Step.ACCEPT_OR_RETURN)
