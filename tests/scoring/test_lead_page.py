from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from leads.models import ActivityKind
from scoring.services import rescore_leads
from tests.factories import ActivityFactory, LeadFactory

pytestmark = pytest.mark.django_db

EBOOK_RULE = (
    "+5 for each content download where asset type is ebook, at most 3, in the last 90 days"
)


def test_the_lead_page_shows_the_breakdown_and_the_mql_decision(client_as):
    lead = LeadFactory()
    ActivityFactory(lead=lead, kind=ActivityKind.CONTACT_REQUEST)
    ActivityFactory(
        lead=lead, kind=ActivityKind.CONTENT_DOWNLOAD, properties={"asset_type": "ebook"}
    )
    rescore_leads([lead.pk])

    response = client_as(Role.SDR).get(reverse("leads:detail", args=[lead.pk]))

    content = response.content.decode()
    section = response.context["score_section"]
    assert section.result.qualifies
    assert section.lines == [
        (EBOOK_RULE, 5),
        ("+10 for each contact request", 10),
    ]
    assert "Meets the MQL agreement" in content
    assert "15 points of 15 needed, under agreement v1" in content
    [decision] = section.decisions
    assert decision.version == 1
    assert ("+10 for each contact request", 10) in decision.lines


def test_the_lead_page_says_why_not_with_gates_negatives_and_decay(client_as):
    lead = LeadFactory(title="", email="ana@gmail.com")
    ActivityFactory(
        lead=lead,
        kind=ActivityKind.DEMO_REQUEST,
        occurred_at=timezone.now() - timedelta(days=22),
    )

    response = client_as(Role.MARKETER).get(reverse("leads:detail", args=[lead.pk]))

    content = response.content.decode()
    section = response.context["score_section"]
    assert ("Title must be present", False) in section.gates
    assert ("First name must be present", True) in section.gates
    assert section.negatives[0].startswith("Disqualify: email domain is one of gmail.com")
    assert section.result.decay_points == 4
    assert "Gate not met: Title must be present" in content
    assert "This lead has not been an MQL yet." in content
