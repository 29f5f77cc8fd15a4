"""Consent and contact preferences: each grant or withdrawal is a row (leads.models.Consent),
the latest per scope is the current state, and withdrawing every scope (an unsubscribe) puts the
lead out of reach: Lead.do_not_contact, shown on the lead page and in the queue, and its address
on the suppression list (leads.suppression), so no import, API call or web form brings it back
as a contactable lead. A later grant, recorded by a user, lifts both.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.capabilities import require
from core.errors import ConflictError
from leads import suppression
from leads.models import Consent, ConsentScope, ConsentSource, Lead, SuppressionReason


def consent_state(consents) -> dict[str, Consent | None]:
    """Each scope's latest record (None: never asked), from a lead's records newest first."""
    state: dict[str, Consent | None] = dict.fromkeys(ConsentScope.values)
    for consent in consents:
        if state.get(consent.scope) is None:
            state[consent.scope] = consent
    return state


def _withdrawn_everywhere(lead: Lead) -> bool:
    state = consent_state(lead.consents.order_by("-recorded_at", "-id"))
    return all(consent is not None and not consent.granted for consent in state.values())


@transaction.atomic
def record_consent(
    *,
    lead: Lead,
    changes: dict[str, bool],
    source: str,
    actor=None,
    at: datetime | None = None,
) -> list[Consent]:
    """Record grants (True) and withdrawals (False) by scope; keep the lead's contact state.

    `actor` None is the system (a web form, an import); a person needs `leads.consent`.
    Four queries, plus the suppression list's when the state flips.
    """
    if actor is not None:
        require(actor, "leads.consent", _("Your role may not record consent."))
    lead = Lead.objects.select_for_update().get(pk=lead.pk)
    if lead.erased_at:
        raise ConflictError(_("This lead's personal data was erased."))
    at = at or timezone.now()
    records = Consent.objects.bulk_create(
        Consent(
            lead=lead,
            scope=ConsentScope(scope),
            granted=granted,
            source=ConsentSource(source),
            recorded_at=at,
            recorded_by=actor,
        )
        for scope, granted in changes.items()
    )
    do_not_contact = _withdrawn_everywhere(lead)
    if do_not_contact != lead.do_not_contact:
        Lead.objects.filter(pk=lead.pk).update(do_not_contact=do_not_contact)
        if do_not_contact:
            suppression.suppress(lead.email, reason=SuppressionReason.UNSUBSCRIBED)
        else:
            suppression.lift_unsubscribe(lead.email)
    return records


def unsubscribe(*, lead: Lead, source: str, actor=None, at: datetime | None = None):
    """Withdraw every scope at once: the person wants no contact of any kind."""
    return record_consent(
        lead=lead,
        changes=dict.fromkeys(ConsentScope.values, False),
        source=source,
        actor=actor,
        at=at,
    )
