"""leads 0008 turns free-text countries into ISO codes and keeps what it cannot read."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("leads", "0007_search_text_folded")]
AFTER = [("leads", "0008_names_and_countries")]


@pytest.fixture
def leads_before_0008(transactional_db):
    """The schema as 0007 left it, with the historical Lead model; migrated forward after."""
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    yield executor.loader.project_state(BEFORE).apps.get_model("leads", "Lead")
    call_command("migrate", verbosity=0)


def test_free_text_countries_become_codes_and_the_rest_is_kept_and_reported(
    leads_before_0008, capsys
):
    Lead0007 = leads_before_0008
    typed = {
        "a@x.io": "Thailand",
        "b@x.io": "ประเทศไทย",
        "c@x.io": "泰国",
        "d@x.io": "Россия",
        "e@x.io": "السعودية",
        "f@x.io": "th",
        "g@x.io": "SA",
        "h@x.io": "Atlantis",
        "i@x.io": "Atlantis",
        "j@x.io": "Республика Нигде",
        "k@x.io": "",
    }
    for email, country in typed.items():
        Lead0007.objects.create(email=email, country=country, attributes={"plan": "pro"})

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    Lead0008 = executor.loader.project_state(AFTER).apps.get_model("leads", "Lead")

    leads = {lead.email: lead for lead in Lead0008.objects.all()}
    codes = {email: lead.country.code for email, lead in leads.items()}
    assert codes == {
        "a@x.io": "TH",
        "b@x.io": "TH",
        "c@x.io": "TH",
        "d@x.io": "RU",
        "e@x.io": "SA",
        "f@x.io": "TH",
        "g@x.io": "SA",
        "h@x.io": "",
        "i@x.io": "",
        "j@x.io": "",
        "k@x.io": "",
    }
    assert leads["h@x.io"].attributes == {"plan": "pro", "country_text": "Atlantis"}
    assert leads["j@x.io"].attributes["country_text"] == "Республика Нигде"
    assert "country_text" not in leads["a@x.io"].attributes
    report = capsys.readouterr().out
    assert "6 rewritten as ISO codes; 3 not recognised" in report
    assert "2  'Atlantis'" in report and "'Республика Нигде'" in report


def test_going_back_puts_the_unread_text_back(leads_before_0008):
    Lead0007 = leads_before_0008
    Lead0007.objects.create(email="a@x.io", country="Atlantis")
    Lead0007.objects.create(email="b@x.io", country="Thailand")
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)

    MigrationExecutor(connection).migrate(BEFORE)

    assert dict(Lead0007.objects.values_list("email", "country")) == {
        "a@x.io": "Atlantis",
        "b@x.io": "TH",
    }
    assert Lead0007.objects.get(email="a@x.io").attributes == {}
