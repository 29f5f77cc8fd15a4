"""leads 0007 rewrites search_text in the new spelling, for leads saved before it."""

import importlib

import pytest
from django.apps import apps

from leads.models import Lead
from tests.factories import LeadFactory

pytestmark = pytest.mark.django_db

refold = importlib.import_module("leads.migrations.0007_search_text_folded").refold


def test_leads_saved_in_the_old_spelling_are_found_in_the_new_one():
    lead = LeadFactory(first_name="أحمد", title="採購經理")
    untouched = LeadFactory(first_name="Olivia")
    Lead.objects.filter(pk=lead.pk).update(search_text="أحمد 採購經理")  # as 0006 left it
    before = Lead.objects.get(pk=untouched.pk).search_text

    refold(apps, None)

    assert "احمد" in Lead.objects.get(pk=lead.pk).search_text
    assert "采购经理" in Lead.objects.get(pk=lead.pk).search_text
    assert Lead.objects.get(pk=untouched.pk).search_text == before
