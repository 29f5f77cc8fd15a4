"""Every door a lead comes in by (the services, the API) takes a country as a code or a name in
any of the five languages, stores the code, and refuses anything else by field."""

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation

from accounts.roles import Role
from leads.models import Lead
from leads.services import bulk_upsert_leads, update_lead, upsert_lead
from tests.factories import LeadFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def back_to_english():
    """A request in another language leaves it active in the thread (LocaleMiddleware sets it);
    later tests in the same worker expect English."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.mark.parametrize("typed", ["Thailand", "ประเทศไทย", "泰国", "Таиланд", "تايلاند", "tha"])
def test_a_country_typed_in_any_language_is_stored_as_its_code(typed):
    lead, _created = upsert_lead(data={"email": "somchai@siamtech.co.th", "country": typed})

    assert lead.country.code == "TH"
    assert Lead.objects.filter(country="TH").count() == 1


def test_a_set_based_upsert_stores_codes_and_rejects_an_unknown_country_by_row_and_field():
    result = bulk_upsert_leads(
        [
            {"email": "ivan@seversoft.ru", "country": "Россия"},
            {"email": "ahmed@gulftech.sa", "country": "السعودية"},
            {"email": "who@nowhere.io", "country": "Atlantis"},
        ]
    )

    assert [outcome.status for outcome in result.outcomes] == ["created", "created", "rejected"]
    assert "Atlantis" in result.outcomes[2].errors["country"][0]
    assert dict(Lead.objects.values_list("email", "country")) == {
        "ivan@seversoft.ru": "RU",
        "ahmed@gulftech.sa": "SA",
    }


def test_an_edit_names_the_country_field_it_refuses(marketer):
    lead = LeadFactory(country="TH")

    with pytest.raises(ValidationError) as refused:
        update_lead(lead_id=lead.pk, data={"country": "Atlantis"}, actor=marketer)

    assert list(refused.value.message_dict) == ["country"]
    update_lead(lead_id=lead.pk, data={"country": "中国"}, actor=marketer)
    assert Lead.objects.get(pk=lead.pk).country.code == "CN"


def test_the_api_stores_a_named_country_as_its_code_and_answers_a_bad_one_with_400(api_as):
    api = api_as(Role.MARKETER)

    created = api.post(
        "/api/v1/leads/",
        {"email": "wang.wei@huaxin.cn", "first_name": "伟", "last_name": "王", "country": "泰國"},
        format="json",
    )
    refused = api.patch(
        f"/api/v1/leads/{created.json()['id']}/", {"country": "Atlantis"}, format="json"
    )

    assert created.status_code == 201
    assert (created.json()["country"], created.json()["display_name"]) == ("TH", "王伟")
    assert refused.status_code == 400
    assert list(refused.json()) == ["country"]
    assert "Atlantis" in refused.json()["country"][0]


@pytest.mark.parametrize(
    ("language", "name"),
    [
        ("en", "Russia"),
        ("th", "รัสเซีย"),
        ("zh-hans", "俄罗斯"),
        ("ru", "Россия"),
        ("ar", "روسيا"),
    ],
)
def test_the_api_gives_the_display_name_the_code_and_the_name_in_the_readers_language(
    api_as, language, name
):
    lead = LeadFactory(first_name="Иван", middle_name="Петрович", last_name="Сидоров", country="RU")
    api = api_as(Role.SDR)

    body = api.get(f"/api/v1/leads/{lead.pk}/", HTTP_ACCEPT_LANGUAGE=language).json()

    assert body["display_name"] == "Иван Петрович Сидоров"
    assert body["middle_name"] == "Петрович"
    assert (body["country"], body["country_name"]) == ("RU", name)


def test_the_api_filters_leads_by_country_code(api_as):
    LeadFactory(email="somchai@siamtech.co.th", country="TH")
    LeadFactory(email="ivan@seversoft.ru", country="RU")

    body = api_as(Role.SDR).get("/api/v1/leads/?country=TH").json()

    assert [lead["email"] for lead in body["results"]] == ["somchai@siamtech.co.th"]
