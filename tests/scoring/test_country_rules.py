"""A rule on the country compares ISO codes: "Thailand", "ประเทศไทย" and "泰国" are one country to
it, whether the marketer or the lead's source typed the name."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from leads.models import Lead
from leads.services import upsert_lead
from scoring.convert import engine_rule
from scoring.facts import lead_facts
from scoring.models import NegativeRule, ProfileRule
from tests.scoring.factories import draft_copy

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
migration = importlib.import_module("scoring.migrations.0003_country_rule_codes")


@pytest.fixture
def draft(marketer):
    return draft_copy(marketer)


def add_rule(client, draft, kind, **fields):
    data = {"revision": draft.revision, **{f"add-{kind}-{k}": v for k, v in fields.items()}}
    return client.post(reverse("scoring:add-rule", args=[draft.pk, kind]), data, **HTMX)


def facts_of(email):
    return lead_facts(Lead.objects.filter(email=email).values("email", "country").get())


def test_countries_typed_as_names_in_any_language_are_stored_as_codes(client, marketer, draft):
    client.force_login(marketer)

    response = add_rule(
        client,
        draft,
        "profile",
        field="country",
        operator="one_of",
        value_text="Thailand、ประเทศไทย, 泰国, Россия, السعودية",
        mode="points",
        points=5,
    )

    assert response.status_code == 200
    rule = ProfileRule.objects.get(agreement=draft, field="country")
    assert rule.value == ["TH", "RU", "SA"]


def test_a_rule_on_the_country_holds_for_a_lead_whose_country_was_typed_in_thai(
    client, marketer, draft
):
    client.force_login(marketer)
    add_rule(
        client,
        draft,
        "profile",
        field="country",
        operator="equals",
        value_text="Thailand",
        mode="points",
        points=5,
    )
    upsert_lead(data={"email": "somchai@siamtech.co.th", "country": "ประเทศไทย"})
    upsert_lead(data={"email": "wang.wei@huaxin-tech.cn", "country": "泰国"})
    upsert_lead(data={"email": "ivan@seversoft.ru", "country": "Россия"})

    rule = engine_rule("profile", ProfileRule.objects.get(agreement=draft, field="country"))

    assert rule.holds(facts_of("somchai@siamtech.co.th"))
    assert rule.holds(facts_of("wang.wei@huaxin-tech.cn"))
    assert not rule.holds(facts_of("ivan@seversoft.ru"))


def test_a_negative_on_the_country_takes_names_too(client, marketer, draft):
    client.force_login(marketer)

    add_rule(
        client,
        draft,
        "negative",
        field="country",
        operator="not_one_of",
        value_text="泰國, Таиланд",
        effect="points",
        points=-10,
    )

    assert NegativeRule.objects.get(agreement=draft, field="country").value == ["TH"]


def test_a_name_that_is_no_country_is_refused_next_to_the_value(client, marketer, draft):
    client.force_login(marketer)

    response = add_rule(
        client,
        draft,
        "profile",
        field="country",
        operator="one_of",
        value_text="Thailand, Atlantis",
        mode="gate",
    )

    assert response.status_code == 400
    assert "Atlantis" in " ".join(response.context["add_form"].errors["value_text"])
    assert not ProfileRule.objects.filter(agreement=draft, field="country").exists()


def test_the_migration_rewrites_the_country_names_of_stored_rules_as_codes(marketer, capsys):
    draft = draft_copy(marketer)
    named = ProfileRule.objects.create(
        agreement=draft,
        key="p-country",
        field="country",
        operator="one_of",
        value=["Thailand", "ไทย", "Россия"],
        mode="points",
        points=5,
    )
    single = ProfileRule.objects.create(
        agreement=draft,
        key="p-country-2",
        field="country",
        operator="equals",
        value="السعودية",
        mode="points",
        points=5,
    )
    unreadable = ProfileRule.objects.create(
        agreement=draft,
        key="p-country-3",
        field="country",
        operator="one_of",
        value=["Thailand", "Atlantis"],
        mode="points",
        points=5,
    )

    migration.names_to_codes(apps, None)

    assert ProfileRule.objects.get(pk=named.pk).value == ["TH", "RU"]
    assert ProfileRule.objects.get(pk=single.pk).value == "SA"
    assert ProfileRule.objects.get(pk=unreadable.pk).value == ["Thailand", "Atlantis"]
    assert "Atlantis" in capsys.readouterr().out
