"""The schema's OpenAPI links point at operations that exist, with an id the response carries."""

import pytest

from accounts.roles import Role
from config.api_links import LINKS

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(api_as):
    return api_as(Role.SDR).get("/api/schema/", {"format": "json"}).json()


def test_every_link_in_the_table_is_in_the_schema_and_leads_somewhere_real(schema):
    operations = {
        operation["operationId"]: operation
        for methods in schema["paths"].values()
        for operation in methods.values()
    }
    for (source, status), (_expression, targets) in LINKS.items():
        links = operations[source]["responses"][status]["links"]
        assert set(links) == set(targets), source
        for target in targets:
            assert target in operations, target
            assert "{id}" in next(
                path
                for path, methods in schema["paths"].items()
                for operation in methods.values()
                if operation["operationId"] == target
            )


def test_a_created_lead_links_to_reading_and_qualifying_it(schema):
    created = schema["paths"]["/api/v1/leads/"]["post"]["responses"]["201"]["links"]
    assert created["v1_leads_retrieve"]["parameters"] == {"id": "$response.body#/id"}
    assert "v1_leads_qualification_update" in created
