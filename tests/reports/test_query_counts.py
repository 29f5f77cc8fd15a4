"""Every report (page, CSV export and API) runs the same queries for one month of two channels
as for four months' worth of eight channels."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from tests.query_counts import assert_same_queries, measure
from tests.reports.factories import at, build_october, disqualified_lead

pytestmark = pytest.mark.django_db

OCTOBER = {"date_from": "2026-10-01", "date_to": "2026-10-31"}
REPORTS = [
    "reports:funnel",
    "reports:returns",
    "reports:channels",
    "reports:funnel_csv",
    "reports:returns_csv",
    "reports:channels_csv",
    "api-report-funnel",
    "api-report-returns",
    "api-report-channels",
]


def add_octobers(make_user, tags):
    """Another October per tag, each in two channels of its own (renamed after the build, so
    that the next one makes new ones), worked by its own rep, with a disqualified lead."""
    for tag in tags:
        october = build_october(make_user(Role.SDR), tag=tag)
        disqualified_lead(october.paid, at(10, 14), email=f"dq{tag}@x.io", reason=f"dq_{tag}")
        for channel in (october.webinars, october.paid):
            channel.name, channel.slug = f"{channel.name} {tag}", f"{channel.slug}-{tag}"
            channel.save()


@pytest.mark.parametrize("name", REPORTS)
@pytest.mark.parametrize("role", [Role.MANAGER, Role.MARKETER])
def test_every_report_runs_the_same_queries_for_any_number_of_channels(
    client_as, make_user, name, role
):
    client = client_as(role)

    def fetch():
        return client.get(reverse(name), OCTOBER)

    add_octobers(make_user, "a")
    few = measure(fetch)
    add_octobers(make_user, "bcd")
    many = measure(fetch)

    assert many.body.count("Paid search") > few.body.count("Paid search")
    assert_same_queries(few, many)
