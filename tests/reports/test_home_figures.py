"""The figures the homes read from the reports: MQLs per week (the marketer) and today's SLA
(the manager), on the hand-computed October (tests/reports/factories.py)."""

from datetime import date, timedelta

import pytest
import time_machine

from leads.lifecycle import move_stage
from leads.models import Stage
from reports.filters import ReportFilterForm, ReportFilters
from reports.selectors import funnel_report, mql_weeks
from tests.factories import ChannelFactory
from tests.reports.factories import at, make_lead

pytestmark = pytest.mark.django_db

D = timedelta(days=1)


def test_mql_weeks_count_the_leads_that_entered_mql_each_week(october):
    weeks = mql_weeks(today=date(2026, 10, 21))

    # Mondays from August 31 to October 19 (the week of the 21st, so far): L9 on September 28,
    # L1-L7 from October 5 to 11, L8 on the 12th, L6 again on the 20th.
    assert [(week.monday, week.count) for week in weeks] == [
        (date(2026, 8, 31), 0),
        (date(2026, 9, 7), 0),
        (date(2026, 9, 14), 0),
        (date(2026, 9, 21), 0),
        (date(2026, 9, 28), 1),
        (date(2026, 10, 5), 7),
        (date(2026, 10, 12), 1),
        (date(2026, 10, 19), 1),
    ]


def test_a_lead_that_enters_mql_twice_in_a_week_counts_once():
    lead = make_lead(created=at(10, 1), channel=ChannelFactory(), email="twice@x.io")
    for moment, stage in ((at(10, 5), Stage.MQL), (at(10, 6), Stage.RECYCLED)):
        with time_machine.travel(moment, tick=False):
            move_stage(lead.pk, stage)
    with time_machine.travel(at(10, 7), tick=False):
        move_stage(lead.pk, Stage.MQL)

    assert [week.count for week in mql_weeks(today=date(2026, 10, 9), weeks=2)] == [0, 1]


def test_a_week_runs_from_monday_to_sunday_in_the_server_time_zone(settings):
    settings.TIME_ZONE = "Asia/Tokyo"  # 9 hours ahead of UTC
    lead = make_lead(created=at(10, 1), channel=ChannelFactory(), email="tokyo@x.io")
    # Sunday October 11, 20:00 UTC is Monday the 12th, 05:00 in Tokyo.
    with time_machine.travel(at(10, 11, hour=20), tick=False):
        move_stage(lead.pk, Stage.MQL)

    assert [week.count for week in mql_weeks(today=date(2026, 10, 14), weeks=2)] == [0, 1]


def test_each_week_agrees_with_the_funnel_for_that_week(october):
    weeks = mql_weeks(today=date(2026, 10, 21))

    for week in weeks:
        filters = ReportFilters(date_from=week.monday, date_to=week.monday + 6 * D)
        assert funnel_report(filters=filters).total.counts[Stage.MQL] == week.count, week


def test_the_default_report_period_is_the_last_thirty_days():
    filters = ReportFilterForm.default_filters(today=date(2026, 10, 31))

    assert (filters.date_from, filters.date_to) == (date(2026, 10, 2), date(2026, 10, 31))
