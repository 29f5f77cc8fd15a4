"""Transfer working days, manager-added working days and reduced-hour ranges, worked out by hand.

Dates of the public calendars come from the holidays package (0.109): China 2026 as the State
Council published it on 4 November 2025 (make-up working days Sun 4 Jan, Sat 14 Feb, Sat 28 Feb,
Sat 9 May, Sun 20 Sep, Sat 10 Oct); Russia 2027 moves Saturday 20 February to Monday 22 February.
Expected instants are in UTC, from the local offsets (Shanghai +8, Moscow +3, Dubai +4, Bangkok +7).
"""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from sla.business_time import (
    BusinessCalendar,
    add_business_minutes,
    business_minutes_between,
    weekend_workdays,
)

NINE_TO_FIVE = ((time(9), time(17)),)
SHANGHAI_DAY = ((time(9), time(12)), (time(13), time(18)))  # eight hours with a lunch break


def weekdays(tz, spans=NINE_TO_FIVE, **kwargs):
    return BusinessCalendar.from_hours(tz, dict.fromkeys(range(5), spans), **kwargs)


def local(tz, *args):
    return datetime(*args, tzinfo=ZoneInfo(tz))


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def test_the_package_knows_china_s_2026_make_up_days_and_russia_s_2027_saturday():
    assert weekend_workdays("CN", None, 2026) == [
        date(2026, 1, 4),
        date(2026, 2, 14),
        date(2026, 2, 28),
        date(2026, 5, 9),
        date(2026, 9, 20),
        date(2026, 10, 10),
    ]
    assert weekend_workdays("RU", None, 2026) == []
    assert weekend_workdays("RU", None, 2027) == [date(2027, 2, 20)]


def test_a_due_time_before_spring_festival_2026_lands_on_the_make_up_saturday():
    calendar = weekdays("Asia/Shanghai", SHANGHAI_DAY, holiday_country="CN")

    # Friday 13 Feb 16:00: two hours on Friday, then Saturday 14 Feb works a normal day:
    # 09:00-12:00 (three hours) and 13:00-16:00 (the last three).
    due = add_business_minutes(calendar, local("Asia/Shanghai", 2026, 2, 13, 16), 480)

    assert due == utc(2026, 2, 14, 8)  # Saturday 16:00 in Shanghai
    # Without the country the Saturday is closed and the same target ends on Monday 16 Feb.
    plain = weekdays("Asia/Shanghai", SHANGHAI_DAY)
    assert add_business_minutes(plain, local("Asia/Shanghai", 2026, 2, 13, 16), 480) == utc(
        2026, 2, 16, 8
    )


def test_after_spring_festival_the_clock_skips_the_holiday_week_and_works_saturday_28th():
    calendar = weekdays("Asia/Shanghai", SHANGHAI_DAY, holiday_country="CN")

    # Saturday 14 Feb 17:00: one hour; 15-23 Feb are holidays and days off; Tue 24 to Fri 27
    # give 32 hours, so 34 hours end on Saturday 28 Feb at 09:00 + 1h = 10:00.
    due = add_business_minutes(calendar, local("Asia/Shanghai", 2026, 2, 14, 17), 34 * 60)

    assert due == utc(2026, 2, 28, 2)  # Saturday 28 Feb 10:00 in Shanghai


def test_national_day_2026_make_up_sunday_and_saturday():
    calendar = weekdays("Asia/Shanghai", SHANGHAI_DAY, holiday_country="CN")

    # Friday 18 Sep 17:00: one hour; Saturday 19 closed; Sunday 20 Sep works 09:00-12:00.
    due = add_business_minutes(calendar, local("Asia/Shanghai", 2026, 9, 18, 17), 240)
    assert due == utc(2026, 9, 20, 4)  # Sunday 12:00 in Shanghai

    # Friday 9 Oct 17:00 to Monday 12 Oct 10:00: 1h + Saturday 10 Oct's 8h + 1h.
    elapsed = business_minutes_between(
        calendar, local("Asia/Shanghai", 2026, 10, 9, 17), local("Asia/Shanghai", 2026, 10, 12, 10)
    )
    assert elapsed == 600
    # The days off the make-up days pay for (6 and 7 October) count nothing.
    assert (
        business_minutes_between(
            calendar, local("Asia/Shanghai", 2026, 10, 6), local("Asia/Shanghai", 2026, 10, 8)
        )
        == 0
    )


def test_russia_s_working_saturday_20_february_2027():
    calendar = weekdays("Europe/Moscow", ((time(9), time(18)),), holiday_country="RU")

    # Friday 19 Feb 17:00: one hour, then Saturday 20 Feb 09:00-11:00.
    due = add_business_minutes(calendar, local("Europe/Moscow", 2027, 2, 19, 17), 180)
    assert due == utc(2027, 2, 20, 8)  # Saturday 11:00 in Moscow

    # Friday 09:00 to Wednesday 24 Feb 09:00: Friday and Saturday, nine hours each; Monday 22
    # (the day off it was swapped for) and Tuesday 23 (Defender of the Fatherland Day) closed.
    elapsed = business_minutes_between(
        calendar, local("Europe/Moscow", 2027, 2, 19, 9), local("Europe/Moscow", 2027, 2, 24, 9)
    )
    assert elapsed == 18 * 60


def test_ramadan_reduced_hours_replace_the_weekly_hours_in_the_range():
    ramadan = [(date(2026, 2, 18), date(2026, 3, 19), [(time(9), time(14))])]
    calendar = weekdays("Asia/Dubai", reduced=ramadan)

    # Tuesday 17 Feb 16:00 (before the range): one hour, then Wednesday 18 Feb 09:00-12:00.
    due = add_business_minutes(calendar, local("Asia/Dubai", 2026, 2, 17, 16), 240)
    assert due == utc(2026, 2, 18, 8)  # Wednesday 12:00 in Dubai

    # Friday 20 Feb 13:00: one hour to 14:00; the weekend stays closed; Monday 23 09:00-11:00.
    due = add_business_minutes(calendar, local("Asia/Dubai", 2026, 2, 20, 13), 180)
    assert due == utc(2026, 2, 23, 7)

    # Thursday 19 March is the last reduced day (five hours); Friday 20 March is a full day.
    assert calendar.hours_on(date(2026, 3, 19)) == ((time(9), time(14)),)
    assert calendar.hours_on(date(2026, 3, 20)) == NINE_TO_FIVE
    assert calendar.hours_on(date(2026, 2, 21)) == ()  # a Saturday in the range: still closed
    assert (
        business_minutes_between(
            calendar, local("Asia/Dubai", 2026, 3, 19), local("Asia/Dubai", 2026, 3, 21)
        )
        == 300 + 480
    )


def test_a_manager_added_working_saturday_2027_has_normal_or_given_hours():
    saturday = date(2027, 3, 6)
    normal = weekdays("Asia/Bangkok", working_dates={saturday: ()})
    given = weekdays("Asia/Bangkok", working_dates={saturday: [(time(10), time(12))]})
    start = local("Asia/Bangkok", 2027, 3, 5, 16)  # Friday 16:00: one hour left

    assert add_business_minutes(normal, start, 120) == utc(2027, 3, 6, 3)  # Saturday 10:00
    assert add_business_minutes(given, start, 120) == utc(2027, 3, 6, 4)  # Saturday 11:00
    assert add_business_minutes(weekdays("Asia/Bangkok"), start, 120) == utc(2027, 3, 8, 3)


def test_the_normal_day_is_the_hours_most_weekdays_share():
    hours = {0: NINE_TO_FIVE, 1: NINE_TO_FIVE, 2: NINE_TO_FIVE, 4: ((time(9), time(13)),)}
    calendar = BusinessCalendar.from_hours(
        "Asia/Shanghai", hours, holiday_country="CN", working_dates={date(2027, 3, 6): ()}
    )

    assert calendar.hours_on(date(2026, 2, 14)) == NINE_TO_FIVE  # make-up Saturday
    assert calendar.hours_on(date(2027, 3, 6)) == NINE_TO_FIVE  # manager's Saturday


def test_a_team_that_works_saturdays_keeps_its_saturday_hours_on_a_make_up_day():
    hours = dict.fromkeys(range(5), NINE_TO_FIVE) | {5: ((time(10), time(14)),)}
    calendar = BusinessCalendar.from_hours("Asia/Shanghai", hours, holiday_country="CN")

    assert calendar.hours_on(date(2026, 2, 14)) == ((time(10), time(14)),)
    assert calendar.hours_on(date(2026, 2, 21)) == ((time(10), time(14)),)


def test_the_manager_s_days_beat_the_country_s():
    calendar = weekdays(
        "Asia/Shanghai",
        holiday_country="CN",
        closed_dates=[date(2026, 2, 14)],  # the team does not do the make-up Saturday
        working_dates={date(2026, 10, 1): [(time(10), time(12))]},  # it works on National Day
    )

    assert calendar.hours_on(date(2026, 2, 14)) == ()
    assert calendar.hours_on(date(2026, 10, 1)) == ((time(10), time(12)),)
    assert calendar.hours_on(date(2026, 10, 2)) == ()


def test_a_manager_s_working_day_in_a_reduced_range_gets_the_reduced_hours():
    calendar = weekdays(
        "Asia/Dubai",
        working_dates={date(2026, 2, 21): ()},
        reduced=[(date(2026, 2, 18), date(2026, 3, 19), [(time(9), time(14))])],
    )

    assert calendar.hours_on(date(2026, 2, 21)) == ((time(9), time(14)),)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"closed_dates": [date(2026, 3, 7)], "working_dates": {date(2026, 3, 7): ()}},
        {"reduced": [(date(2026, 3, 2), date(2026, 3, 1), [(time(9), time(14))])]},
        {"reduced": [(date(2026, 3, 1), date(2026, 3, 2), [])]},
        {
            "reduced": [
                (date(2026, 3, 1), date(2026, 3, 10), [(time(9), time(14))]),
                (date(2026, 3, 10), date(2026, 3, 12), [(time(9), time(13))]),
            ]
        },
        {"working_dates": {date(2026, 3, 7): [(time(12), time(10))]}},
    ],
)
def test_contradictory_exceptions_are_refused(kwargs):
    with pytest.raises(ValueError):
        weekdays("Asia/Dubai", **kwargs)


def test_each_year_is_worked_out_once():
    calendar = weekdays("Asia/Shanghai", holiday_country="CN")

    first = calendar.year_intervals(2026)

    assert calendar.year_intervals(2026) is first
    assert len(first) == 365 and len(calendar.year_intervals(2028)) == 366
    assert first[date(2026, 2, 14).timetuple().tm_yday - 1] == (
        (utc(2026, 2, 14, 1), utc(2026, 2, 14, 9)),
    )
