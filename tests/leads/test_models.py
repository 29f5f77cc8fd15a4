import pytest
from django.db import IntegrityError, transaction

from leads.models import Lead, search_key
from tests.factories import LeadFactory

pytestmark = pytest.mark.django_db


def test_email_is_stored_normalized():
    lead = LeadFactory(email="  Ana@Example.COM ")

    lead.refresh_from_db()
    assert lead.email == "ana@example.com"


def test_two_spellings_of_one_address_are_one_lead():
    LeadFactory(email="Ana@Example.COM")

    with pytest.raises(IntegrityError), transaction.atomic():
        LeadFactory(email="ana@example.com")
    assert Lead.objects.count() == 1


def test_the_database_refuses_an_unnormalized_email_written_around_the_model():
    with pytest.raises(IntegrityError), transaction.atomic():
        Lead.objects.bulk_create([Lead(email="Bob@Example.com")])


def test_the_database_refuses_an_unknown_stage():
    lead = LeadFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Lead.objects.filter(pk=lead.pk).update(stage="hot")


@pytest.mark.parametrize(
    ("first_name", "last_name", "organization"),
    [
        ("สมชาย", "ใจดี", "สยามเทค โซลูชั่น"),
        ("伟", "王", "华信科技有限公司"),
        ("Иван", "Петров", "ООО «СеверСофт»"),
        ("محمد", "العلي", "شركة الخليج للتقنية"),
    ],
)
def test_names_in_any_script_round_trip(first_name, last_name, organization):
    lead = LeadFactory(first_name=first_name, last_name=last_name, organization=organization)

    stored = Lead.objects.get(pk=lead.pk)
    assert (stored.first_name, stored.last_name, stored.organization) == (
        first_name,
        last_name,
        organization,
    )


def test_search_key_folds_case_in_every_script():
    assert search_key("ИВАН Петров") == search_key("иван петров")
    assert search_key("ＡＣＭＥ") == "acme"
