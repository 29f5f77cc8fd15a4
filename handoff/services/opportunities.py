"""Opportunities from SQLs: opened for an account executive, worked to won or lost.

Won moves the lead to customer. Lost records the reason and sends the lead back to marketing
(recycled), the only other move the lifecycle allows from opportunity, so it may re-qualify.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.capabilities import may
from accounts.people import person_name
from core.errors import ApplicationError, ConflictError, PermissionDenied
from handoff.access import check_may_handle_lead
from handoff.models import EventKind, HandoffEvent, Opportunity, OpportunityStage
from leads.lifecycle import move_stage
from leads.models import Lead, Stage
from notifications.models import NotificationKind
from notifications.services import notify
from webhooks.models import Event
from webhooks.services import emit

EDITABLE_FIELDS = ("name", "amount", "currency", "expected_close_date", "stage", "owner")


def _check_account_executive(owner) -> None:
    if owner is None or not may(owner, "opportunities.own"):
        message = _("The owner must be an account executive.")
        raise ApplicationError(message, extra={"owner": [message]})


def _hand_over(opportunity: Opportunity, user) -> None:
    notify(
        user=opportunity.owner,
        kind=NotificationKind.OPPORTUNITY_HANDED_OVER,
        params={"rep": person_name(user), "name": opportunity.name},
        url=reverse("handoff:opportunity", args=[opportunity.pk]),
    )


def open_opportunity(
    *,
    lead: Lead,
    user,
    name: str,
    amount: Decimal,
    currency: str,
    expected_close_date: datetime.date,
    owner,
) -> Opportunity:
    """Open an opportunity on an SQL; the lead becomes an opportunity owned by the AE."""
    check_may_handle_lead(lead, user)
    _check_account_executive(owner)
    with transaction.atomic():
        moved, _change = move_stage(
            lead.pk,
            Stage.OPPORTUNITY,
            expected_from=Stage.SQL,
            actor=user,
            reason=_("Opportunity opened: %(name)s") % {"name": name},
        )
        opportunity = Opportunity(
            lead=moved,
            name=name,
            amount=amount,
            currency=(currency or "").upper(),
            expected_close_date=expected_close_date,
            owner=owner,
            created_by=user,
        )
        opportunity.full_clean()
        opportunity.save()
        Lead.objects.filter(pk=moved.pk).update(owner=owner, updated_at=timezone.now())
        HandoffEvent.objects.create(
            lead=moved,
            kind=EventKind.OPPORTUNITY_OPENED,
            actor=user,
            data={"opportunity": opportunity.pk, "owner": owner.pk},
            created_at=timezone.now(),
        )
        _hand_over(opportunity, user)
        emit(Event.OPPORTUNITY_CREATED, lead=moved, data=opportunity_payload(opportunity))
    return opportunity


def opportunity_payload(opportunity: Opportunity) -> dict:
    """The opportunity as webhook receivers see it."""
    return {
        "opportunity": opportunity.pk,
        "name": opportunity.name,
        "amount": str(opportunity.amount),
        "currency": opportunity.currency,
        "expected_close_date": opportunity.expected_close_date.isoformat(),
        "stage": opportunity.stage,
        "lost_reason": opportunity.lost_reason,
        "owner": opportunity.owner.get_username() if opportunity.owner_id else None,
    }


def _check_may_change(opportunity: Opportunity, user) -> None:
    if not (may(user, "opportunities.work_any") or opportunity.owner_id == user.pk):
        raise PermissionDenied(_("Only the owner or a manager changes this opportunity."))


def update_opportunity(
    *, opportunity: Opportunity, user, changes: dict, lost_reason: str = ""
) -> Opportunity:
    """Edit an open opportunity; moving it to won or lost closes it and moves the lead."""
    _check_may_change(opportunity, user)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ApplicationError(
            _("Unknown opportunity fields."),
            extra={name: [_("Unknown field.")] for name in unknown},
        )
    if "owner" in changes:
        _check_account_executive(changes["owner"])
    now = timezone.now()
    with transaction.atomic():
        locked = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
        if locked.is_closed:
            raise ConflictError(
                _("This opportunity is already %(stage)s.")
                % {"stage": locked.get_stage_display().lower()},
                extra={"stage": locked.stage},
            )
        previous_owner = locked.owner_id
        for name, value in changes.items():
            setattr(locked, name, value)
        locked.currency = locked.currency.upper()
        if locked.stage == OpportunityStage.LOST:
            locked.lost_reason = lost_reason.strip()
            if not locked.lost_reason:
                message = _("Say why the opportunity was lost.")
                raise ApplicationError(message, extra={"lost_reason": [message]})
        if locked.is_closed:
            locked.closed_at = now
            move_stage(
                locked.lead_id,
                Stage.CUSTOMER if locked.stage == OpportunityStage.WON else Stage.RECYCLED,
                expected_from=Stage.OPPORTUNITY,
                actor=user,
                reason=locked.lost_reason or _("Opportunity won: %(name)s") % {"name": locked.name},
                context={"opportunity": locked.pk},
            )
        locked.full_clean()
        locked.save()
        if locked.is_closed:
            won = locked.stage == OpportunityStage.WON
            event = Event.OPPORTUNITY_WON if won else Event.OPPORTUNITY_LOST
            emit(event, lead=locked.lead, data=opportunity_payload(locked))
        HandoffEvent.objects.create(
            lead_id=locked.lead_id,
            kind=EventKind.OPPORTUNITY_CHANGED,
            actor=user,
            note=locked.lost_reason,
            data={"opportunity": locked.pk, "fields": sorted(changes), "stage": locked.stage},
            created_at=now,
        )
        if locked.owner_id != previous_owner:
            _hand_over(locked, user)
    return locked
