"""What the lead page and the API show of a lead's consent and erasure."""

from leads.consent import consent_state
from leads.models import ConsentScope, Lead
from privacy.forms import ConsentForm
from privacy.models import Erasure


def lead_consents(*, lead: Lead) -> dict:
    """Each scope's current answer and the whole history, newest first: one query."""
    history = list(lead.consents.select_related("recorded_by").order_by("-recorded_at", "-id"))
    current = [
        {
            "scope": scope,
            "label": ConsentScope(scope).label,
            "granted": consent.granted if consent else None,
            "since": consent.recorded_at if consent else None,
        }
        for scope, consent in consent_state(history).items()
    ]
    return {"do_not_contact": lead.do_not_contact, "current": current, "history": history}


def lead_privacy_section(*, lead: Lead) -> dict:
    """The lead page's section: consent, and the erasure when there was one. One query, two
    for an erased lead."""
    section = lead_consents(lead=lead)
    section["consent_form"] = ConsentForm()
    section["erasure"] = (
        Erasure.objects.select_related("erased_by").filter(lead=lead).first()
        if lead.erased_at
        else None
    )
    return section
