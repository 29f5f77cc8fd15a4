import pytest
from django.test import Client
from django.urls import reverse


@pytest.mark.parametrize("debug", [True, False])
def test_an_unknown_path_under_the_api_answers_json_whatever_debug_says(settings, debug):
    client = Client(enforce_csrf_checks=True)
    settings.DEBUG = debug

    client.raise_request_exception = True
    response = client.get("/api/v1/no-such-thing/42/")
    patch = client.patch("/api/v1/leads/-7/", "{}", content_type="application/json")

    assert (response.status_code, patch.status_code) == (404, 404)
    assert patch.json() == {"detail": "Not found."}
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


def test_the_api_index_names_its_endpoints_schema_and_docs(client):
    response = client.get("/api/v1/")

    body = response.json()
    assert response.status_code == 200
    assert body["schema"].endswith(reverse("api-schema"))
    assert body["endpoints"]["api-leads"].endswith("/api/v1/leads/")
    assert body["endpoints"]["api-queue"].endswith(reverse("api-queue"))
    assert not any("{" in url or "999" in url for url in body["endpoints"].values())
