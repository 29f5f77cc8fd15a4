import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.roles import Role
from sla.models import Step
from tests.sla import fixtures

pytestmark = pytest.mark.django_db

URL = "/api/v1/reports/sla/"


@pytest.fixture
def api_as(make_user):
    def login(*roles):
        client = APIClient()
        client.force_authenticate(make_user(*roles))
        return client

    return login


def test_the_url_is_published():
    assert reverse("api-sla-report") == URL


def test_managers_get_the_report_with_the_page_s_filters(api_as, make_user):
    reps = {"rep1": make_user(Role.SDR, username="rep1"), "rep2": make_user(Role.SDR)}
    data = fixtures.build(reps)

    response = api_as(Role.MANAGER).get(
        URL,
        {
            "start": "2026-11-16",
            "end": "2026-11-22",
            "team": data["teams"]["B"].pk,
            "group_by": "channel",
        },
    )

    assert response.status_code == 200
    body = response.json()
    assert body["filters"] == {
        "start": "2026-11-16",
        "end": "2026-11-22",
        "team": data["teams"]["B"].pk,
        "step": None,
        "group_by": "channel",
    }
    assert body["totals"] == {"met": 6, "breached": 3, "open": 1, "decided": 9, "breach_rate": 33.3}
    first_touch_x = next(
        row
        for row in body["rows"]
        if row["label"] == "Channel X" and row["step"] == Step.FIRST_TOUCH
    )
    assert (first_touch_x["met"], first_touch_x["breached"]) == (2, 1)
    assert body["response_times"][Step.FIRST_TOUCH]["median_minutes"] == 120
    assert len(body["buckets"]) == len(body["response_times"][Step.FIRST_TOUCH]["distribution"])
    # No Accept-Language: English, whose weeks start on Sunday.
    assert body["weekly"][0]["week"] == "2026-11-15"


def test_bad_filters_answer_400_naming_the_field(api_as):
    response = api_as(Role.MANAGER).get(URL, {"start": "yesterday", "group_by": "planet"})

    assert response.status_code == 400
    assert set(response.json()) == {"start", "group_by"}


@pytest.mark.parametrize("role", [Role.SDR, Role.MARKETER, Role.ACCOUNT_EXECUTIVE, Role.ADMIN])
def test_other_roles_are_forbidden(api_as, role):
    assert api_as(role).get(URL).status_code == 403


def test_anonymous_callers_are_refused():
    assert APIClient().get(URL).status_code in (401, 403)


def test_the_schema_documents_the_endpoint(client):
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()

    operation = schema["paths"][URL]["get"]
    assert {parameter["name"] for parameter in operation["parameters"]} >= {
        "start",
        "end",
        "team",
        "step",
        "group_by",
    }
    assert {"200", "400", "403"} <= set(operation["responses"])
