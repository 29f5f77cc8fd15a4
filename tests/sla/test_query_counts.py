"""The breach report in every grouping, its CSV exports and its API run the same queries for
two reps' handoffs as for eight."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.roles import Role
from reports.breaches import GROUPINGS
from tests.query_counts import assert_same_queries, measure
from tests.sla import fixtures

pytestmark = pytest.mark.django_db

WEEK = {"start": "2026-11-16", "end": "2026-11-22"}


def add_reps(pairs, make_user):
    """`pairs` times the ten handoffs of the fixture, each time with two reps, two teams and
    two channels of their own (renamed, so that the next build makes new ones)."""
    for _ in range(pairs):
        built = fixtures.build({"rep1": make_user(Role.SDR), "rep2": make_user(Role.SDR)})
        for team in built["teams"].values():
            team.name = f"{team.name} #{team.pk}"
            team.save()
        for channel in built["channels"].values():
            channel.slug = f"{channel.slug}-{channel.pk}"
            channel.save()


def compare(fetch, make_user) -> tuple:
    add_reps(1, make_user)
    few = measure(fetch)
    add_reps(3, make_user)
    return few, measure(fetch)


def report_rows(report) -> int:
    """The summary's rows (the drill-down's clocks), whichever form the report answered in."""
    if report.response.streaming:
        return len(report.body.splitlines()) - 1  # the header
    if report.response["Content-Type"] == "application/json":
        return len(report.response.json()["rows"])
    return len(report.response.context["summary"])


def growth(group_by) -> int:
    """Every build adds reps, teams and channels, all in the same week."""
    return 1 if group_by == "week" else 4


@pytest.mark.parametrize("group_by", GROUPINGS)
@pytest.mark.parametrize("export", [{}, {"format": "csv"}], ids=["page", "csv"])
def test_the_breach_report_runs_the_same_queries_for_any_number_of_groups(
    client_as, make_user, group_by, export
):
    client = client_as(Role.MANAGER)

    few, many = compare(
        lambda: client.get(reverse("reports:breaches"), {**WEEK, "group_by": group_by, **export}),
        make_user,
    )

    assert report_rows(many) == growth(group_by) * report_rows(few)
    assert_same_queries(few, many)


def test_the_drilldown_export_runs_the_same_queries_for_any_number_of_handoffs(
    client_as, make_user
):
    client = client_as(Role.MANAGER)

    few, many = compare(
        lambda: client.get(reverse("reports:breach_drilldown"), {**WEEK, "format": "csv"}),
        make_user,
    )

    assert report_rows(many) == 4 * report_rows(few)
    assert_same_queries(few, many)


@pytest.mark.parametrize("group_by", GROUPINGS)
def test_the_report_api_runs_the_same_queries_for_any_number_of_groups(make_user, group_by):
    api = APIClient()
    api.force_authenticate(make_user(Role.MANAGER))

    few, many = compare(
        lambda: api.get("/api/v1/reports/sla/", {**WEEK, "group_by": group_by}), make_user
    )

    assert report_rows(many) == growth(group_by) * report_rows(few)
    assert_same_queries(few, many)
