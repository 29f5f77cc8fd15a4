from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from sla.business_time import (
    CALENDAR_TIME,
    BusinessCalendar,
    add_business_minutes,
    business_minutes_between,
    business_time_between,
    is_open,
    next_opening,
)

NINE_TO_FIVE = ((time(9), time(17)),)


def weekdays(tz, spans=NINE_TO_FIVE, **kwargs):
    return BusinessCalendar.from_hours(tz, dict.fromkeys(range(5), spans), **kwargs)


def every_day(tz, spans, **kwargs):
    return BusinessCalendar.from_hours(tz, dict.fromkeys(range(7), spans), **kwargs)


def local(tz, *args):
    return datetime(*args, tzinfo=ZoneInfo(tz))


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def _minutes_on(calendar, day):
    zone = ZoneInfo(calendar.time_zone)
    start = datetime.combine(day, time(), tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time(), tzinfo=zone)
    return business_minutes_between(calendar, start, end)


# Hand-computed cases. Expected instants are written in UTC, worked out from the local offsets.


def test_friday_evening_plus_four_hours_is_due_monday_at_one():
    calendar = weekdays("Asia/Bangkok")  # UTC+7, no DST

    due = add_business_minutes(calendar, local("Asia/Bangkok", 2024, 6, 7, 18), 240)

    assert due == utc(2024, 6, 10, 6)  # Monday 13:00 in Bangkok
    assert due.tzinfo is UTC


def test_a_monday_public_holiday_moves_it_to_tuesday():
    # Chakri Day, Saturday 6 April 2024, is made up for on Monday 8 April.
    calendar = weekdays("Asia/Bangkok", holiday_country="TH")
    assert calendar.is_closed(date(2024, 4, 8))

    due = add_business_minutes(calendar, local("Asia/Bangkok", 2024, 4, 5, 18), 240)

    assert due == utc(2024, 4, 9, 6)  # Tuesday 13:00 in Bangkok


def test_it_skips_us_memorial_day():
    calendar = weekdays("America/New_York", holiday_country="US")

    due = add_business_minutes(calendar, local("America/New_York", 2024, 5, 24, 18), 240)

    assert due == utc(2024, 5, 28, 17)  # Tuesday 13:00 EDT; Monday 27 May was Memorial Day


def test_it_skips_extra_closed_dates():
    calendar = weekdays("Asia/Bangkok", closed_dates=[date(2024, 6, 10), date(2024, 6, 11)])

    due = add_business_minutes(calendar, local("Asia/Bangkok", 2024, 6, 7, 18), 240)

    assert due == utc(2024, 6, 12, 6)


def test_it_pauses_over_lunch():
    calendar = weekdays("Asia/Shanghai", ((time(9), time(12)), (time(13), time(17, 30))))
    morning = local("Asia/Shanghai", 2024, 6, 11, 10, 30)

    assert add_business_minutes(calendar, morning, 120) == utc(2024, 6, 11, 5, 30)  # 13:30 local
    assert business_minutes_between(calendar, morning, utc(2024, 6, 11, 5, 30)) == 120
    assert not is_open(calendar, local("Asia/Shanghai", 2024, 6, 11, 12, 30))


def test_a_full_day_with_lunch_ends_at_closing_time_and_the_next_minute_is_tomorrow():
    calendar = weekdays("Asia/Shanghai", ((time(9), time(12)), (time(13), time(17, 30))))
    opening = local("Asia/Shanghai", 2024, 6, 11, 9)

    assert add_business_minutes(calendar, opening, 450) == utc(2024, 6, 11, 9, 30)
    assert add_business_minutes(calendar, opening, 451) == utc(2024, 6, 12, 1, 1)


def test_a_start_before_opening_counts_from_opening():
    calendar = weekdays("UTC")

    assert add_business_minutes(calendar, utc(2024, 6, 11, 7), 60) == utc(2024, 6, 11, 10)


def test_a_start_inside_a_span_carries_over_to_the_next_day():
    calendar = weekdays("UTC")

    assert add_business_minutes(calendar, utc(2024, 6, 11, 15), 180) == utc(2024, 6, 12, 10)
    assert business_minutes_between(calendar, utc(2024, 6, 11, 15), utc(2024, 6, 12, 10)) == 180


def test_a_night_shift_runs_across_midnight():
    calendar = every_day("Asia/Riyadh", ((time(0), time(6)), (time(22), None)))  # UTC+3
    late_evening = local("Asia/Riyadh", 2024, 6, 10, 23)

    assert add_business_minutes(calendar, late_evening, 180) == utc(2024, 6, 10, 23)  # 02:00
    assert add_business_minutes(calendar, late_evening, 60) == utc(2024, 6, 10, 21)  # midnight
    assert is_open(calendar, local("Asia/Riyadh", 2024, 6, 11, 0))
    assert business_minutes_between(calendar, late_evening, utc(2024, 6, 11, 12)) == 60 + 360


def test_it_skips_a_public_holiday_across_the_year_boundary():
    calendar = weekdays("America/New_York", holiday_country="US")

    due = add_business_minutes(calendar, local("America/New_York", 2024, 12, 31, 16), 240)

    assert due == utc(2025, 1, 2, 17)  # Thursday 12:00 EST; New Year's Day skipped


def test_a_clock_started_at_thai_new_year_runs_past_three_holidays_into_january():
    # 30 and 31 December 2024 and 1 January 2025 are all Thai public holidays.
    calendar = weekdays("Asia/Bangkok", holiday_country="TH")

    due = add_business_minutes(calendar, local("Asia/Bangkok", 2024, 12, 27, 18), 240)

    assert due == utc(2025, 1, 2, 6)  # Thursday 13:00 in Bangkok


def test_weekday_hours_keep_their_local_times_across_a_us_dst_weekend():
    calendar = weekdays("America/New_York")

    spring = add_business_minutes(calendar, local("America/New_York", 2024, 3, 8, 16), 120)
    autumn = add_business_minutes(calendar, local("America/New_York", 2024, 11, 1, 16), 120)

    assert spring == utc(2024, 3, 11, 14)  # Monday 10:00 EDT, after Friday 16:00 EST
    assert autumn == utc(2024, 11, 4, 15)  # Monday 10:00 EST, after Friday 16:00 EDT


def test_london_spring_forward_shortens_a_span_that_crosses_it():
    # Sunday 31 March 2024: 01:00 GMT jumps to 02:00 BST.
    calendar = every_day("Europe/London", ((time(0), time(3)), (time(9), time(17))))
    sunday = date(2024, 3, 31)

    due = add_business_minutes(calendar, local("Europe/London", 2024, 3, 31), 150)

    assert due == utc(2024, 3, 31, 8, 30)  # 00:00-03:00 lasted 2 hours; then 09:30 BST
    assert _minutes_on(calendar, sunday) == 120 + 480


def test_london_fall_back_lengthens_a_span_that_crosses_it():
    # Sunday 27 October 2024: 02:00 BST falls back to 01:00 GMT.
    calendar = every_day("Europe/London", ((time(0), time(3)), (time(9), time(17))))

    due = add_business_minutes(calendar, local("Europe/London", 2024, 10, 27), 240)

    assert due == utc(2024, 10, 27, 3)  # 00:00 BST (23:00 UTC) to 03:00 GMT lasted 4 hours
    assert _minutes_on(calendar, date(2024, 10, 27)) == 240 + 480


def test_a_span_opening_in_the_london_gap_opens_when_the_clocks_jump():
    calendar = every_day("Europe/London", ((time(1, 30), time(3)),))

    assert next_opening(calendar, utc(2024, 3, 31)) == utc(2024, 3, 31, 1)
    assert _minutes_on(calendar, date(2024, 3, 31)) == 60


def test_an_ambiguous_opening_means_its_first_occurrence():
    calendar = every_day("Europe/London", ((time(1, 30), time(3)),))

    assert next_opening(calendar, utc(2024, 10, 27)) == utc(2024, 10, 27, 0, 30)  # 01:30 BST
    assert is_open(calendar, utc(2024, 10, 27, 1, 15))  # the second 01:15, in GMT
    assert _minutes_on(calendar, date(2024, 10, 27)) == 150


def test_new_york_night_hours_on_both_dst_sundays():
    calendar = every_day("America/New_York", ((time(1), time(3)),))

    # 10 March 2024: 01:00 EST (06:00 UTC) to 03:00 EDT (07:00 UTC).
    assert _minutes_on(calendar, date(2024, 3, 10)) == 60
    # 3 November 2024: 01:00 EDT (05:00 UTC) to 03:00 EST (08:00 UTC).
    assert _minutes_on(calendar, date(2024, 11, 3)) == 180
    fall_back_start = local("America/New_York", 2024, 11, 3)
    assert add_business_minutes(calendar, fall_back_start, 90) == utc(2024, 11, 3, 6, 30)


def test_a_span_the_clocks_skip_entirely_is_never_open():
    calendar = every_day("America/New_York", ((time(2), time(2, 30)),))

    assert _minutes_on(calendar, date(2024, 3, 10)) == 0
    assert not is_open(calendar, utc(2024, 3, 10, 7))
    assert next_opening(calendar, utc(2024, 3, 10)) == utc(2024, 3, 11, 6)  # Monday 02:00 EDT


def test_zero_minutes_is_the_start_when_open_else_the_next_opening():
    calendar = weekdays("UTC")
    inside = local("Asia/Bangkok", 2024, 6, 11, 17)  # 10:00 UTC

    assert add_business_minutes(calendar, inside, 0) == utc(2024, 6, 11, 10)
    assert add_business_minutes(calendar, utc(2024, 6, 11, 7), 0) == utc(2024, 6, 11, 9)
    assert add_business_minutes(calendar, utc(2024, 6, 11, 17), 0) == utc(2024, 6, 12, 9)


def test_closing_time_is_not_open_but_opening_time_is():
    calendar = weekdays("UTC")

    assert is_open(calendar, utc(2024, 6, 11, 9))
    assert not is_open(calendar, utc(2024, 6, 11, 17))
    assert not is_open(calendar, utc(2024, 6, 15, 12))  # Saturday


def test_elapsed_time_is_exact_and_minutes_round_down():
    calendar = weekdays("UTC")
    start = utc(2024, 6, 11, 9, 0, 30)

    assert business_time_between(calendar, start, utc(2024, 6, 11, 9, 5)) == timedelta(
        minutes=4, seconds=30
    )
    assert business_minutes_between(calendar, start, utc(2024, 6, 11, 9, 5)) == 4
    assert business_minutes_between(calendar, start, start - timedelta(hours=1)) == 0


def test_a_hundred_business_days_end_twenty_weeks_later():
    calendar = weekdays("UTC")

    due = add_business_minutes(calendar, utc(2024, 1, 8, 9), 100 * 480)

    assert due == utc(2024, 5, 24, 17)


def test_calendar_time_counts_every_minute():
    start = local("Europe/London", 2024, 3, 30, 23, 17)  # the clocks go forward overnight
    real_time = start.astimezone(UTC) + timedelta(minutes=12345)

    assert add_business_minutes(CALENDAR_TIME, start, 12345) == real_time


def test_a_calendar_without_working_hours_refuses_to_search_for_an_opening():
    calendar = BusinessCalendar.from_hours("UTC", {})

    with pytest.raises(ValueError, match="no working hours"):
        add_business_minutes(calendar, utc(2024, 6, 11), 60)
    with pytest.raises(ValueError, match="no working hours"):
        next_opening(calendar, utc(2024, 6, 11))
    assert business_minutes_between(calendar, utc(2024, 6, 11), utc(2024, 7, 11)) == 0


@pytest.mark.parametrize(
    ("hours", "kwargs", "message"),
    [
        ({0: [(time(9), time(12)), (time(11), time(13))]}, {}, "overlap"),
        ({0: [(time(22), None), (time(23), time(23, 30))]}, {}, "overlap"),
        ({0: [(time(17), time(9))]}, {}, "close after it opens"),
        ({0: [(time(9, tzinfo=UTC), time(17))]}, {}, "wall-clock"),
        ({7: NINE_TO_FIVE}, {}, "Weekdays"),
        ({0: NINE_TO_FIVE}, {"holiday_country": "XX"}, "XX"),
        ({0: NINE_TO_FIVE}, {"holiday_subdiv": "CA"}, "needs a holiday country"),
    ],
)
def test_it_rejects_malformed_calendars(hours, kwargs, message):
    with pytest.raises(ValueError, match=message):
        BusinessCalendar.from_hours("UTC", hours, **kwargs)


def test_it_rejects_an_unknown_time_zone():
    with pytest.raises(ValueError, match="Mars/Olympus_Mons"):
        weekdays("Mars/Olympus_Mons")


def test_it_rejects_naive_datetimes_and_negative_targets():
    calendar = weekdays("UTC")

    with pytest.raises(ValueError, match="aware"):
        add_business_minutes(calendar, datetime(2024, 6, 11, 9), 60)
    with pytest.raises(ValueError, match="negative"):
        add_business_minutes(calendar, utc(2024, 6, 11, 9), -1)


def test_calendars_are_values():
    spans = [(time(13), time(17)), (time(9), time(12))]

    first = weekdays("UTC", spans, closed_dates=[date(2024, 6, 11)])
    second = weekdays("UTC", spans[::-1], closed_dates={date(2024, 6, 11)})

    assert first == second
    assert hash(first) == hash(second)
    assert first.weekly[0] == ((time(9), time(12)), (time(13), time(17)))


# Properties over random calendars.

ZONES = [
    "Europe/London",
    "America/New_York",
    "Asia/Bangkok",
    "Asia/Shanghai",
    "Europe/Moscow",
    "Asia/Riyadh",
    "Australia/Sydney",
    "UTC",
    "Australia/Lord_Howe",  # a half-hour DST shift
    "America/Santiago",  # clocks change at midnight
]


def _clock_changes(tz):
    """Days in 2024-2025 whose noon offset differs from the day before's."""
    zone = ZoneInfo(tz)
    days = [date(2024, 1, 1) + timedelta(days=offset) for offset in range(731)]
    return [
        day
        for day in days[1:]
        if datetime.combine(day, time(12), tzinfo=zone).utcoffset()
        != datetime.combine(day - timedelta(days=1), time(12), tzinfo=zone).utcoffset()
    ]


CLOCK_CHANGES = {tz: _clock_changes(tz) for tz in ZONES}
assert len(CLOCK_CHANGES["America/Santiago"]) == 4

# Five-minute steps keep sparse calendars from needing decades; the extra draws from the night
# hours aim span edges at the times the clocks change (00:00-03:00, and 23:00-24:00 in Chile).
boundaries = st.one_of(
    st.integers(0, 288).map(lambda step: step * 5),
    st.integers(0, 36).map(lambda step: step * 5),
    st.sampled_from([1380, 1410, 1440]),
)


def _wall(minute):
    return None if minute == 1440 else time(minute // 60, minute % 60)


day_hours = st.lists(boundaries, max_size=6, unique=True).map(
    lambda points: tuple(
        (_wall(opens), _wall(closes))
        for opens, closes in zip(sorted(points)[::2], sorted(points)[1::2], strict=False)
    )
)
any_instant = st.datetimes(datetime(2023, 1, 1), datetime(2027, 12, 31)).map(
    lambda at: at.replace(tzinfo=UTC)
)
targets = st.integers(0, 3000)


@st.composite
def calendars_and_starts(draw, near_a_clock_change=False):
    """``near_a_clock_change`` picks a zone with DST and a start within two days of a change."""
    zones = [tz for tz in ZONES if CLOCK_CHANGES[tz]] if near_a_clock_change else ZONES
    tz = draw(st.sampled_from(zones))
    if near_a_clock_change:
        change = datetime.combine(draw(st.sampled_from(CLOCK_CHANGES[tz])), time(), tzinfo=UTC)
        start = change + timedelta(seconds=draw(st.integers(-2 * 86400, 2 * 86400)))
    else:
        start = draw(any_instant)
    weekly = draw(st.tuples(*[day_hours] * 7))
    assume(any(weekly))
    closed = draw(st.lists(st.integers(-1, 21), max_size=4))
    calendar = BusinessCalendar(
        time_zone=tz,
        weekly=weekly,
        closed_dates=frozenset(start.date() + timedelta(days=offset) for offset in closed),
        holiday_country=draw(st.sampled_from([None, "US", "GB", "TH"])),
    )
    return calendar, start


# Most bugs hide in the weeks the clocks change, so they get half the examples.
scenarios = st.one_of(calendars_and_starts(), calendars_and_starts(near_a_clock_change=True))


# The oracle finds when spans open and close by reading the wall clock minute by minute,
# independently of the module's offset arithmetic: a span opens the first minute the clock reads
# its start and closes the first minute it reads its end.


def _first_reading(zone, wall):
    minute = (wall - zone.utcoffset(wall) - timedelta(hours=2)).replace(tzinfo=UTC)
    assert minute.astimezone(zone).replace(tzinfo=None) < wall
    while minute.astimezone(zone).replace(tzinfo=None) < wall:
        minute += timedelta(minutes=1)
    return minute


def _oracle_spans(calendar, day):
    if calendar.is_closed(day):
        return []
    zone = ZoneInfo(calendar.time_zone)
    next_midnight = datetime.combine(day + timedelta(days=1), time())
    return [
        (
            _first_reading(zone, datetime.combine(day, opens)),
            _first_reading(
                zone, next_midnight if closes is None else datetime.combine(day, closes)
            ),
        )
        for opens, closes in calendar.weekly[day.weekday()]
    ]


def _oracle_spans_around(calendar, instant):
    day = instant.astimezone(ZoneInfo(calendar.time_zone)).date()
    return [
        span
        for offset in (-1, 0, 1)
        for span in _oracle_spans(calendar, day + timedelta(days=offset))
    ]


few_examples = settings(max_examples=200, deadline=None)


@few_examples
@given(scenarios, targets)
def test_elapsed_time_until_the_due_time_is_the_target(calendar_and_start, minutes):
    calendar, start = calendar_and_start

    due = add_business_minutes(calendar, start, minutes)

    assert business_minutes_between(calendar, start, due) == minutes
    assert business_time_between(calendar, start, due) == timedelta(minutes=minutes)


@few_examples
@given(scenarios, targets, targets)
def test_a_longer_target_is_never_due_earlier(calendar_and_start, minutes, more):
    calendar, start = calendar_and_start

    assert add_business_minutes(calendar, start, minutes) <= add_business_minutes(
        calendar, start, minutes + more
    )


@few_examples
@given(scenarios, st.integers(0, 30 * 86400), st.integers(0, 30 * 86400))
def test_elapsed_time_never_shrinks_as_the_end_moves_later(calendar_and_start, first, second):
    calendar, start = calendar_and_start
    earlier, later = sorted((first, second))

    assert business_time_between(
        calendar, start, start + timedelta(seconds=earlier)
    ) <= business_time_between(calendar, start, start + timedelta(seconds=later))


@few_examples
@given(scenarios, targets)
def test_a_due_time_is_inside_working_hours_closing_time_included(calendar_and_start, minutes):
    calendar, start = calendar_and_start

    due = add_business_minutes(calendar, start, minutes)

    spans = _oracle_spans_around(calendar, due)
    if minutes:
        assert any(opens < due <= closes for opens, closes in spans)
    else:
        assert any(opens <= due < closes for opens, closes in spans)
        assert due >= start


@few_examples
@given(scenarios, st.integers(0, 3 * 86400))
def test_it_agrees_with_the_wall_clock_oracle(calendar_and_start, seconds):
    calendar, start = calendar_and_start
    end = start + timedelta(seconds=seconds)
    window = (start - timedelta(days=1), start + timedelta(days=3))
    first_day = start.astimezone(ZoneInfo(calendar.time_zone)).date() - timedelta(days=2)
    spans = [
        span
        for offset in range(7)
        for span in _oracle_spans(calendar, first_day + timedelta(days=offset))
    ]

    def oracle_elapsed(since, until):
        return sum(
            (max(timedelta(), min(closes, until) - max(opens, since)) for opens, closes in spans),
            timedelta(),
        )

    assert is_open(calendar, end) == any(opens <= end < closes for opens, closes in spans)
    assert business_time_between(calendar, start, end) == oracle_elapsed(start, end)
    assert business_time_between(calendar, *window) == oracle_elapsed(*window)
