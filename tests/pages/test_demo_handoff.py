import pytest
from django.core.management import call_command
from django.http import HttpRequest
from django.urls import reverse

from handoff.models import Handoff
from pages.demo.leads import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def test_every_page_has_something_to_show(client):
    call_command("seed_demo", leads=120, force=True)

    for username, page in (
        ("sdr", "handoff:queue"),
        ("marketer", "handoff:returned"),
        ("manager", "handoff:teams"),
        ("ae", "handoff:opportunities"),
    ):
        # Axes counts failed logins per request, so authenticate() needs one.
        assert client.login(request=HttpRequest(), username=username, password=DEMO_PASSWORD)
        response = client.get(reverse(page))
        assert response.status_code == 200
        assert b"empty-state" not in response.content, page


def test_the_demo_queue_holds_real_mqls_of_the_published_agreement():
    call_command("seed_demo", leads=120, force=True)

    for handoff in Handoff.objects.select_related("lead"):
        assert handoff.agreement_version == 1
        assert handoff.explanation["qualifies"] is True
        assert "procurement" not in handoff.lead.title.lower()
