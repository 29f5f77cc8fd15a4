from datetime import date

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.roles import Role
from reports.models import ChannelSpend, ExchangeRate
from tests.reports.factories import build_october

pytestmark = pytest.mark.django_db

OCTOBER = {"date_from": "2026-10-01", "date_to": "2026-10-31"}
ENDPOINTS = ["api-report-funnel", "api-report-returns", "api-report-channels"]


@pytest.fixture
def api_as(make_user):
    def login(*roles):
        client = APIClient()
        client.force_authenticate(make_user(*roles))
        return client

    return login


@pytest.mark.parametrize("name", ENDPOINTS)
@pytest.mark.parametrize("role", [Role.MANAGER, Role.MARKETER])
def test_managers_and_marketers_read_the_reports(api_as, name, role):
    assert api_as(role).get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", ENDPOINTS)
@pytest.mark.parametrize("role", [Role.SDR, Role.ACCOUNT_EXECUTIVE, Role.ADMIN])
def test_other_roles_get_403(api_as, name, role):
    assert api_as(role).get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", ENDPOINTS)
def test_anonymous_callers_get_401_or_403(name):
    assert APIClient().get(reverse(name)).status_code in (401, 403)


def test_the_funnel_answers_with_counts_rates_and_stays(api_as, make_user):
    october = build_october(make_user(Role.SDR))

    body = api_as(Role.MANAGER).get(reverse("api-report-funnel"), OCTOBER).json()

    assert body["filters"]["date_from"] == "2026-10-01"
    assert body["total"]["counts"] == {"mql": 8, "sal": 6, "sql": 4, "opportunity": 3, "won": 2}
    assert body["total"]["conversion"]["sal"] == 0.75
    assert body["total"]["returned"] == 3
    assert body["total"]["median_stay_seconds"]["mql"] == 8 * 3600
    channels = {row["key"]: row["counts"]["mql"] for row in body["by_channel"]}
    assert channels == {october.webinars.pk: 4, october.paid.pk: 4}
    assert {row["key"] for row in body["by_agreement_version"]} == {1, 2}


def test_the_funnel_takes_the_same_filters_as_the_page(api_as, make_user):
    october = build_october(make_user(Role.SDR))

    body = (
        api_as(Role.MARKETER)
        .get(
            reverse("api-report-funnel"), {**OCTOBER, "team": october.team.pk, "campaign": "autumn"}
        )
        .json()
    )

    assert body["total"]["counts"]["mql"] == 2


def test_returns_answer_reasons_and_groups(api_as, make_user):
    build_october(make_user(Role.SDR))

    body = api_as(Role.MARKETER).get(reverse("api-report-returns"), OCTOBER).json()

    assert body["total"] == 3
    assert [(row["label"], row["count"]) for row in body["reasons"]] == [
        ("No fit", 2),
        ("Not reachable", 1),
    ]
    assert sum(group["count"] for group in body["by_channel"]) == 3


def test_channel_economics_answer_costs_per_channel(api_as, make_user):
    october = build_october(make_user(Role.SDR))
    ChannelSpend.objects.create(
        channel=october.paid, month=date(2026, 10, 1), amount=2000, currency="USD"
    )

    body = api_as(Role.MARKETER).get(reverse("api-report-channels"), OCTOBER).json()

    assert (body["months"], body["currency"]) == (["2026-10-01"], "USD")
    paid = next(row for row in body["rows"] if row["channel"] == october.paid.pk)
    assert paid["spend"] == "2000.00"
    assert paid["costs"]["mql"] == "500.00"
    assert paid["costs"]["won"] is None


def test_channel_economics_converts_on_request(api_as, make_user, manager):
    october = build_october(make_user(Role.SDR))
    month = date(2026, 10, 1)
    ChannelSpend.objects.create(channel=october.paid, month=month, amount=2000, currency="USD")
    ChannelSpend.objects.create(channel=october.paid, month=month, amount=100, currency="JPY")
    ChannelSpend.objects.create(channel=october.paid, month=month, amount=1000, currency="EUR")
    ExchangeRate.objects.create(currency="EUR", into="USD", rate="1.25", updated_by=manager)

    body = (
        api_as(Role.MARKETER)
        .get(reverse("api-report-channels"), {**OCTOBER, "currency": "USD", "converted": "true"})
        .json()
    )

    paid = next(row for row in body["rows"] if row["channel"] == october.paid.pk)
    assert (body["converted"], body["left_out"]) == (True, ["JPY"])
    assert body["rates"] == [{"currency": "EUR", "rate": "1.25000000"}]
    assert paid["spend"] == "3250.00"


def test_bad_filters_are_400_with_the_field_path(api_as):
    response = api_as(Role.MANAGER).get(
        reverse("api-report-funnel"), {"date_from": "1969-12-31", "agreement_version": "0"}
    )

    assert response.status_code == 400
    assert response.json() == {
        "date_from": ["Pick a date in a year Accord can report on."],
        "agreement_version": ["Ensure this value is greater than or equal to 1."],
    }


def test_an_end_before_the_start_is_an_empty_report(api_as):
    response = api_as(Role.MANAGER).get(
        reverse("api-report-funnel"), {"date_from": "2026-10-31", "date_to": "2026-10-01"}
    )

    assert response.status_code == 200
    assert response.json()["total"]["counts"]["mql"] == 0


def test_a_range_past_three_years_is_cut_to_the_three_years_ending_on_date_to(api_as):
    response = api_as(Role.MANAGER).get(
        reverse("api-report-channels"), {"date_from": "2000-01-01", "date_to": "2026-10-01"}
    )

    assert response.status_code == 200
    assert response.json()["filters"]["date_from"] == "2023-09-30"
    assert response.json()["filters"]["date_to"] == "2026-10-01"


def test_the_reports_are_in_the_api_schema(api_as):
    schema = api_as(Role.MANAGER).get(reverse("api-schema"), {"format": "json"}).json()

    for path in (
        "/api/v1/reports/funnel/",
        "/api/v1/reports/returns/",
        "/api/v1/reports/channels/",
    ):
        assert path in schema["paths"]
    funnel_params = {
        p["name"] for p in schema["paths"]["/api/v1/reports/funnel/"]["get"]["parameters"]
    }
    assert {"date_from", "date_to", "team", "channel", "agreement_version", "campaign"} <= (
        funnel_params
    )


@pytest.mark.parametrize("name", ENDPOINTS)
def test_endpoints_run_a_fixed_number_of_queries(
    api_as, make_user, django_assert_max_num_queries, name
):
    client = api_as(Role.MANAGER)
    build_october(make_user(Role.SDR, username="rep"))
    with django_assert_max_num_queries(10) as few:
        client.get(reverse(name), OCTOBER)
    for tag in "ab":
        build_october(make_user(Role.SDR, username=f"rep-{tag}"), tag=tag)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse(name), OCTOBER).status_code == 200
