"""Activities posted through the API are scored with the agreement's one meaning per operator:
a number sent as text counts as that number, on SQLite and on PostgreSQL alike."""

import pytest
from django.utils import timezone

from accounts.roles import Role
from leads.models import Lead
from tests.factories import LeadFactory

pytestmark = pytest.mark.django_db


def post_webinar(api, lead, minutes):
    return api.post(
        "/api/v1/activities/",
        {
            "external_id": "webinar-1",
            "kind": "webinar_attended",
            "occurred_at": timezone.now().isoformat(),
            "lead": lead.pk,
            "properties": {"minutes": minutes},
        },
        format="json",
    )


@pytest.mark.parametrize(
    ("minutes", "points"),
    [
        ("45", 8),
        (45, 8),
        (" 45 ", 8),
        ("30.0", 8),
        ("29.5", 0),
        ("1e3", 0),
        ("n/a", 0),
        ("  ", 0),
    ],
)
def test_a_webinar_s_minutes_count_whether_sent_as_a_number_or_as_text(api_as, minutes, points):
    lead = LeadFactory()

    response = post_webinar(api_as(Role.MARKETER), lead, minutes)

    assert response.status_code == 200
    assert response.json()["created"] == 1
    lead = Lead.objects.get(pk=lead.pk)
    assert lead.engagement_score == points
    webinar = [line for line in lead.score_explanation["lines"] if line["points"] == 8]
    assert [line["id"] for line in webinar] == (["webinar_attended_30min"] if points else [])
