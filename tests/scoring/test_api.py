import pytest
from rest_framework.test import APIClient

from accounts.roles import Role
from scoring.versions import create_draft
from tests.scoring.factories import draft_copy

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_as(make_user):
    def login(*roles):
        client = APIClient()
        client.force_authenticate(make_user(*roles))
        return client

    return login


@pytest.mark.parametrize("role", list(Role))
def test_every_role_reads_the_agreement_in_force(api_as, role):
    response = api_as(role).get("/api/v1/agreements/current/")

    assert response.status_code == 200
    body = response.json()
    assert (body["version"], body["status"], body["threshold"]) == (1, "published", 15)
    ebook = next(r for r in body["rules"]["action"] if r["id"] == "ebook_download")
    assert (
        ebook["text"]
        == "+5 for each content download where asset type is ebook, at most 3, in the last 90 days"
    )
    assert ebook["conditions"] == [{"key": "asset_type", "operator": "equals", "value": "ebook"}]
    assert (ebook["points"], ebook["cap"], ebook["window_days"]) == (5, 3, 90)
    free_mail = body["rules"]["negative"][0]
    assert free_mail["text"].startswith("Disqualify: email domain is one of gmail.com")
    assert [g["text"] for g in body["rules"]["profile"]][2] == "Title must be present"


def test_a_user_without_a_role_is_refused_and_anonymous_is_unauthorized(api_as):
    assert api_as().get("/api/v1/agreements/").status_code == 403
    assert APIClient().get("/api/v1/agreements/current/").status_code in (401, 403)


def test_drafts_in_progress_are_listed_for_marketers_only(api_as, marketer):
    draft = draft_copy(marketer)

    marketers = api_as(Role.MARKETER).get("/api/v1/agreements/").json()["results"]
    sales = api_as(Role.SDR).get("/api/v1/agreements/").json()["results"]

    assert [a["version"] for a in marketers] == [2, 1]
    assert [a["version"] for a in sales] == [1]
    assert api_as(Role.SDR).get(f"/api/v1/agreements/{draft.pk}/").status_code == 404
    detail = api_as(Role.MARKETER).get(f"/api/v1/agreements/{draft.pk}/").json()
    assert (detail["status"], detail["author"]) == ("draft", marketer.username)


def test_the_list_runs_a_fixed_number_of_queries(api_as, marketer, django_assert_max_num_queries):
    client = api_as(Role.MARKETER)
    client.get("/api/v1/agreements/")
    for _ in range(3):
        draft_copy(marketer)
    create_draft(user=marketer)

    with django_assert_max_num_queries(10):
        response = client.get("/api/v1/agreements/")

    assert len(response.json()["results"]) == 5


def test_the_schema_documents_the_agreement_endpoints(api_as):
    schema = api_as(Role.MARKETER).get("/api/schema/", HTTP_ACCEPT="application/json").json()

    assert {
        "/api/v1/agreements/",
        "/api/v1/agreements/current/",
        "/api/v1/agreements/{id}/",
    } <= set(schema["paths"])
