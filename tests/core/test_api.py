import pytest

pytestmark = pytest.mark.django_db


def test_the_schema_is_public_json(client):
    response = client.get("/api/schema/", {"format": "json"})

    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Accord API"


def test_the_docs_page_serves_swagger_ui_from_this_server(client_as):
    response = client_as("sdr").get("/api/docs/")

    assert response.status_code == 200
    assert b"swagger-ui" in response.content
    assert b"cdn.jsdelivr" not in response.content
