"""What the schema says and the views do, one behaviour at a time (the fuzz run finds them all)."""

import pytest

from accounts.roles import Role
from leads.models import Lead
from tests.factories import ChannelFactory, LeadFactory
from tests.handoff.factories import mql_handoff

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(api_as):
    return api_as(Role.MANAGER).get("/api/schema/", {"format": "json"}).json()


@pytest.mark.parametrize("page_size", ["abc", "0", "1001", "null", "-1"])
def test_a_page_size_the_schema_forbids_is_400(api_as, page_size):
    response = api_as(Role.MANAGER).get("/api/v1/leads/", {"page_size": page_size})

    assert response.status_code == 400
    assert "page_size" in response.json()


def test_an_empty_parameter_reads_as_left_out_as_the_schema_says(api_as, schema):
    LeadFactory()

    response = api_as(Role.MANAGER).get("/api/v1/leads/?page_size=&owner=&updated_since=")

    assert response.status_code == 200
    assert len(response.json()["results"]) == 1
    parameters = schema["paths"]["/api/v1/leads/"]["get"]["parameters"]
    assert all(parameter["allowEmptyValue"] for parameter in parameters)


def test_a_filter_naming_no_row_is_an_empty_page_not_an_error(api_as):
    LeadFactory()
    api = api_as(Role.MANAGER)

    assert api.get("/api/v1/leads/", {"owner": 987654}).json()["results"] == []
    assert api.get("/api/v1/leads/", {"channel": "no-such"}).json()["results"] == []
    assert api.get("/api/v1/leads/", {"owner": "abc"}).status_code == 400


def test_request_bodies_refuse_unknown_fields_and_the_schema_says_so(api_as, schema):
    handoff = mql_handoff()
    api = api_as(Role.MANAGER)

    response = api.post(
        f"/api/v1/handoffs/{handoff.pk}/first-touch/",
        {"channel": "call", "mood": "good"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"mood": ["Unknown field."]}
    assert schema["components"]["schemas"]["FirstTouchRequest"]["additionalProperties"] is False


@pytest.mark.parametrize("note", [7, True, ["call"]])
def test_a_value_of_another_json_type_is_refused_not_converted(api_as, note):
    handoff = mql_handoff()

    response = api_as(Role.MANAGER).post(
        f"/api/v1/handoffs/{handoff.pk}/first-touch/",
        {"channel": "call", "note": note},
        format="json",
    )

    assert response.status_code == 400
    assert "note" in response.json()


def test_the_api_takes_json_only(api_as, schema):
    handoff = mql_handoff()

    response = api_as(Role.MANAGER).post(
        f"/api/v1/handoffs/{handoff.pk}/first-touch/", {"channel": "call"}, format="multipart"
    )

    assert response.status_code == 415
    body = schema["paths"]["/api/v1/handoffs/{id}/first-touch/"]["post"]["requestBody"]
    assert list(body["content"]) == ["application/json"]


def test_acceptance_checks_are_true_only_in_the_schema(schema):
    assert schema["components"]["schemas"]["TickedEnum"]["enum"] == [True]


def test_a_lead_in_an_unknown_channel_is_404_and_nothing_is_stored(api_as):
    response = api_as(Role.MARKETER).post(
        "/api/v1/leads/", {"email": "ana@northwind.io", "channel": "no-such"}, format="json"
    )

    assert response.status_code == 404
    assert not Lead.objects.exists()


def test_a_blank_channel_is_none_as_the_schema_allows(api_as):
    ChannelFactory(slug="webinar")

    response = api_as(Role.MARKETER).post(
        "/api/v1/leads/", {"email": "ana@northwind.io", "channel": ""}, format="json"
    )

    assert response.status_code == 201
    assert response.json()["channel"] is None


def test_lead_text_with_nul_is_400_and_the_schema_forbids_it(api_as, schema):
    response = api_as(Role.MARKETER).post(
        "/api/v1/leads/", {"email": "ana@northwind.io", "city": "Ber\x00lin"}, format="json"
    )

    assert response.status_code == 400
    city = schema["components"]["schemas"]["LeadWriteRequest"]["properties"]["city"]
    assert city["pattern"] == "^[^\\x00]*$"


def test_a_company_size_as_text_is_400_in_the_api(api_as):
    response = api_as(Role.MARKETER).post(
        "/api/v1/leads/", {"email": "ana@northwind.io", "company_size": "12"}, format="json"
    )

    assert response.status_code == 400
    assert "company_size" in response.json()


def test_an_email_another_lead_has_is_409_on_an_edit(api_as, schema):
    LeadFactory(email="taken@example.com")
    lead = LeadFactory()

    response = api_as(Role.MARKETER).patch(
        f"/api/v1/leads/{lead.pk}/", {"email": "TAKEN@example.com"}, format="json"
    )

    assert response.status_code == 409
    assert "email" in response.json()
    assert "409" in schema["paths"]["/api/v1/leads/{id}/"]["patch"]["responses"]


def test_an_opportunity_edit_takes_no_lead_and_no_lost_stage(schema):
    body = schema["components"]["schemas"]["OpportunityUpdateRequest"]
    stages = schema["components"]["schemas"][body["properties"]["stage"]["$ref"].split("/")[-1]]

    assert "lead" not in body["properties"]
    assert "lost_reason" not in body["properties"]
    assert "lost" not in stages["enum"]


def test_currencies_are_iso_codes_in_the_schema(schema):
    opportunity = schema["components"]["schemas"]["OpportunityRequest"]["properties"]
    qualification = schema["components"]["schemas"]["QualificationRequest"]["properties"]

    assert opportunity["currency"]["pattern"] == "^[A-Z]{3}$"
    assert qualification["budget_currency"]["oneOf"][0]["pattern"] == "^[A-Z]{3}$"  # or blank
    assert opportunity["amount"]["pattern"] == "^[0-9]{1,12}(\\.[0-9]{1,2})?$"


def test_a_report_for_a_team_no_team_has_is_empty(api_as):
    response = api_as(Role.MANAGER).get("/api/v1/reports/sla/", {"team": 987654})

    assert response.status_code == 200
    assert response.json()["totals"]["decided"] == 0


def test_an_sla_report_ending_before_it_starts_is_empty(api_as):
    response = api_as(Role.MANAGER).get(
        "/api/v1/reports/sla/", {"start": "2026-10-31", "end": "2026-10-01"}
    )

    assert response.status_code == 200
    assert response.json()["totals"]["decided"] == 0


def test_a_report_currency_must_be_written_as_its_code(api_as):
    api = api_as(Role.MANAGER)

    assert api.get("/api/v1/reports/channels/", {"currency": "eur"}).status_code == 400
    assert api.get("/api/v1/reports/channels/", {"currency": "EUR"}).status_code == 200
