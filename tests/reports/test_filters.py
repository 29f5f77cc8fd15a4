from datetime import date

import pytest

from reports.filters import ReportFilterForm, ReportFilters

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 25)


def test_no_filters_means_the_last_30_days():
    form = ReportFilterForm({}, today=TODAY)

    assert form.is_valid()
    filters = form.filters()
    assert (filters.date_from, filters.date_to) == (date(2026, 10, 27), TODAY)
    assert (filters.team_id, filters.channel_id, filters.agreement_version) == (None, None, None)


def test_a_start_after_the_end_is_refused_next_to_the_end_date():
    form = ReportFilterForm({"date_from": "2026-11-20", "date_to": "2026-11-01"}, today=TODAY)

    assert not form.is_valid()
    assert form.errors["date_to"] == ["The end date is before the start date."]


def test_unknown_channel_and_bad_version_are_field_errors():
    form = ReportFilterForm({"channel": "999", "agreement_version": "0"}, today=TODAY)

    assert not form.is_valid()
    assert set(form.errors) == {"channel", "agreement_version"}


def test_the_range_is_midnight_to_midnight_and_touches_whole_months():
    filters = ReportFilters(date_from=date(2026, 10, 15), date_to=date(2026, 12, 2))

    assert filters.end - filters.start == date(2026, 12, 3) - date(2026, 10, 15)
    assert filters.months == [date(2026, 10, 1), date(2026, 11, 1), date(2026, 12, 1)]


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"date_to": "0001-01-05"}, "date_to", "Pick a date in a year Accord can report on."),
        ({"date_to": "9999-12-31"}, "date_to", "Pick a date in a year Accord can report on."),
        (
            {"date_from": "2020-01-01", "date_to": "2026-01-01"},
            "date_from",
            "A report covers at most three years.",
        ),
    ],
)
def test_ranges_a_report_cannot_cover_are_refused(query, field, message):
    form = ReportFilterForm(query, today=TODAY)

    assert not form.is_valid()
    assert form.errors[field] == [message]
