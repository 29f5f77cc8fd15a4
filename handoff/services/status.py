"""A lead's work status (new, attempted to contact, connected, ...): one door for the browser's
form on the lead page and the work panel, and the API's PATCH of a lead (leads.services.update_lead
asks through `leads.hooks.set_status`), with one rule of who may and one audit row."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ApplicationError
from handoff.access import check_may_set_status
from handoff.models import EventKind, HandoffEvent, Outcome
from leads.models import Lead, LeadStatus


def set_lead_status(*, lead: Lead, user, status: str, now=None) -> Lead:
    """Set the lead's work status and record who changed it from what (a STATUS_CHANGED
    HandoffEvent, shown in the lead's timeline; `user` None is Accord), on the locked row.
    Setting the status it has changes and records nothing.

    Queries: the access rule's reads, the lock, then the update, its open handoff and the event.
    """
    now = now or timezone.now()
    if status not in LeadStatus.values:
        message = _("Choose one of the lead statuses.")
        raise ApplicationError(message, extra={"status": [message]})
    if user is not None:
        check_may_set_status(lead, user)
    with transaction.atomic():
        locked = Lead.objects.select_for_update().get(pk=lead.pk)
        if locked.status == status:
            return locked
        previous = locked.status
        Lead.objects.filter(pk=locked.pk).update(status=status, updated_at=now)
        locked.status, locked.updated_at = status, now
        HandoffEvent.objects.create(
            lead=locked,
            handoff=locked.handoffs.filter(outcome=Outcome.OPEN).first(),
            kind=EventKind.STATUS_CHANGED,
            actor=user,
            data={"from": previous, "to": status},
            created_at=now,
        )
    return locked
