from handoff.services import open_handoff
from leads.lifecycle import move_stage
from leads.models import Stage
from tests.factories import LeadFactory

EXPLANATION = {
    "total": 55,
    "lines": [
        {"id": "demo", "rule": "Requested a demo", "points": 20},
        {"id": "pricing", "rule": "Visited the pricing page", "points": 10},
        {"id": "webinar", "rule": "Attended a webinar", "points": 15},
        {"id": "ebook", "rule": "Downloaded an ebook", "points": 5},
        {"id": "gmail", "rule": "Free-mail address", "points": -5},
    ],
}


def mql_handoff(lead=None, *, score=55, now=None, **lead_fields):
    """A lead that just became an MQL, queued as the scoring service will do it."""
    lead = lead or LeadFactory(**lead_fields)
    move_stage(lead.pk, Stage.MQL)
    lead.refresh_from_db()
    return open_handoff(
        lead=lead, agreement_version=3, score=score, explanation=EXPLANATION, now=now
    )
