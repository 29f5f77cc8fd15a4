"""Handing a lead back to marketing after sales accepted it: the SAL-to-SQL decision can be
"no" as well as "promote". The accepted handoff records the return, so the returns report and
the funnel count it like a return from the queue."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.capabilities import require
from handoff.access import check_may_handle_lead, display_name
from handoff.models import EventKind, Handoff, HandoffEvent, Outcome
from handoff.services.handoffs import clean_return, marketers
from leads.lifecycle import move_stage
from leads.models import Lead, Stage
from notifications.models import NotificationKind
from notifications.services import notify_many
from sla.services import stop_sql_decision
from webhooks.models import Event
from webhooks.services import emit


def return_from_sal(*, lead: Lead, user, reason: str, note: str = "", now=None) -> Lead:
    """SAL back to marketing (recycled) with a reason, instead of promoting it to SQL."""
    now = now or timezone.now()
    require(user, "handoff.qualify", _("Sales development reps and managers return leads."))
    check_may_handle_lead(lead, user)
    return_reason, note = clean_return(reason, note)
    with transaction.atomic():
        handoff = (
            Handoff.objects.select_for_update()
            .filter(lead_id=lead.pk, outcome=Outcome.ACCEPTED)
            .order_by("-accepted_at")
            .first()
        )
        returned, _change = move_stage(
            lead.pk,
            Stage.RECYCLED,
            expected_from=Stage.SAL,
            actor=user,
            reason=f"{return_reason.label}: {note}" if note else return_reason.label,
            context={
                "handoff": handoff.pk if handoff else None,
                "return_reason": return_reason.code,
            },
        )
        if handoff is not None:
            handoff.outcome, handoff.returned_at = Outcome.RETURNED, now
            handoff.return_reason, handoff.return_note = return_reason, note
            handoff.save(update_fields=["outcome", "returned_at", "return_reason", "return_note"])
        stop_sql_decision(lead_id=lead.pk, now=now)
        HandoffEvent.objects.create(
            lead=returned,
            handoff=handoff,
            kind=EventKind.RETURNED,
            actor=user,
            note=note,
            data={"reason": return_reason.code, "from_stage": Stage.SAL},
            created_at=now,
        )
        emit(
            Event.HANDOFF_RETURNED,
            lead=returned,
            data={
                "handoff": handoff.pk if handoff else None,
                "reason": return_reason.code,
                "note": note,
                "from_stage": Stage.SAL,
            },
        )
        notify_many(
            users=marketers(),
            kind=NotificationKind.LEAD_RETURNED,
            text=_("%(rep)s returned %(lead)s after accepting it: %(reason)s")
            % {"rep": display_name(user), "lead": returned, "reason": return_reason.label},
            url=reverse("leads:detail", args=[returned.pk]),
        )
    return returned
