"""The breach report's weeks start on the day the reader's language starts them: clocks are
counted per day and grouped into weeks when shown."""

from datetime import date

import pytest
from babel import Locale
from rest_framework.test import APIClient

from accounts.roles import Role
from core.formats import first_weekday, week_start
from reports import breaches
from reports.breaches import ClockCounts
from tests.sla import fixtures

MONDAY, SATURDAY, SUNDAY = 0, 5, 6


@pytest.mark.parametrize(
    ("language", "territory", "first"),
    [("en", "US", SUNDAY), ("th", "TH", SUNDAY), ("ar", "EG", SATURDAY), ("ru", "RU", MONDAY)],
)
def test_a_language_starts_its_weeks_where_cldr_says_its_country_does(language, territory, first):
    assert first_weekday(language) == first
    assert Locale(language, territory).first_week_day == first


def test_english_and_arabic_weeks_start_on_other_days_than_russian_ones():
    assert len({first_weekday("en"), first_weekday("ar"), first_weekday("ru")}) == 3
    assert first_weekday("zh-hans") == MONDAY


def test_days_are_grouped_into_the_weeks_of_the_reader():
    saturday, sunday, monday = date(2026, 11, 21), date(2026, 11, 22), date(2026, 11, 23)

    def weeks(first):
        counts = ClockCounts("week", week_starts_on=first)
        for day in (saturday, sunday, monday):
            counts.add(day, "mql_to_first_touch", day, [1, 0, 0])
        return {row["week"]: row["met"] for row in counts.weekly()}

    assert weeks(SUNDAY) == {"2026-11-15": 1, "2026-11-22": 2}
    assert weeks(MONDAY) == {"2026-11-16": 2, "2026-11-23": 1}
    assert weeks(SATURDAY) == {"2026-11-21": 3}
    assert week_start(monday, SATURDAY) == saturday


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "week"), [("ru", "2026-11-16"), ("en", "2026-11-15"), ("ar", "2026-11-14")]
)
def test_the_report_api_shows_the_weeks_of_the_language_asked_for(make_user, language, week):
    fixtures.build({"rep1": make_user(Role.SDR), "rep2": make_user(Role.SDR)})
    api = APIClient()
    api.force_authenticate(make_user(Role.MANAGER))

    body = api.get(
        "/api/v1/reports/sla/",
        {"start": "2026-11-16", "end": "2026-11-22", "group_by": "week"},
        HTTP_ACCEPT_LANGUAGE=language,
    ).json()

    assert [row["week"] for row in body["weekly"]] == [week]
    assert {row["group"] for row in body["rows"]} == {week}
    assert sum(row["met"] for row in body["weekly"]) == breaches.totals(fixtures.week())["met"]
