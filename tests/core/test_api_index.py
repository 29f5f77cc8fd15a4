import pytest
from django.urls import reverse


@pytest.mark.parametrize("debug", [True, False])
def test_an_unknown_path_under_the_api_answers_json_whatever_debug_says(client, settings, debug):
    settings.DEBUG = debug

    response = client.get("/api/v1/no-such-thing/42/")

    assert response.status_code == 404
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
