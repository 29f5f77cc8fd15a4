"""BANT answers saved bit by bit, the manager's required criteria, and the promotion to SQL."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.capabilities import may, require
from accounts.people import person_name
from audit.services import record_saved, snapshot
from core.errors import ApplicationError, ConflictError
from handoff.access import check_may_handle_lead
from handoff.models import EventKind, HandoffEvent, Qualification, QualificationPolicy
from handoff.models.qualification import CRITERIA
from leads.lifecycle import move_stage
from leads.models import Lead, Stage
from notifications.models import NotificationKind
from notifications.services import notify
from sla.services import stop_sql_decision
from webhooks.models import Event
from webhooks.services import emit

QUALIFICATION_FIELDS = (
    "budget_known",
    "budget_amount",
    "budget_currency",
    "authority",
    "need",
    "timeline_date",
    "timeline_quarter",
    "buying_cycle",
    "influencer",
    "timeframe_known",
    "size_known",
    "next_step_permission",
    "next_step",
    "next_step_date",
)
QUALIFYING_STAGES = (Stage.SAL, Stage.SQL)


def missing_criteria(qualification: Qualification | None, required: list[str]) -> list[str]:
    """The required criteria not met yet, in form order."""
    met = (qualification or Qualification()).criteria_met()
    return [code for code in CRITERIA if code in required and not met[code]]


def save_qualification(*, lead: Lead, user, changes: dict) -> Qualification:
    """Update the given answers only, so a rep can save what they learned so far."""
    unknown = set(changes) - set(QUALIFICATION_FIELDS)
    if unknown:
        raise ApplicationError(
            _("Unknown qualification fields."),
            extra={name: [_("Unknown field.")] for name in unknown},
        )
    check_may_handle_lead(lead, user)
    if lead.stage not in QUALIFYING_STAGES:
        raise ConflictError(
            _("Qualify a lead once it is accepted (SAL)."), extra={"current_stage": lead.stage}
        )
    with transaction.atomic():
        qualification, _created = Qualification.objects.select_for_update().get_or_create(lead=lead)
        for name, value in changes.items():
            setattr(qualification, name, value)
        if qualification.budget_currency:
            qualification.budget_currency = qualification.budget_currency.upper()
        qualification.updated_by = user
        qualification.full_clean(exclude=["lead"])
        qualification.save()
        HandoffEvent.objects.create(
            lead=lead,
            kind=EventKind.QUALIFICATION_SAVED,
            actor=user,
            data={"fields": sorted(changes)},
            created_at=timezone.now(),
        )
    return qualification


def set_required_criteria(*, user, required: list[str]) -> QualificationPolicy:
    require(user, "teams.manage", _("Only managers choose the SQL criteria."))
    unknown = [code for code in required if code not in CRITERIA]
    if unknown:
        message = _("Unknown criteria: %(codes)s") % {"codes": ", ".join(unknown)}
        raise ApplicationError(message, extra={"required": [message]})
    with transaction.atomic():
        policy = QualificationPolicy.current()
        before = snapshot(policy, ["required"])
        policy.required = [code for code in CRITERIA if code in required]
        policy.updated_by = user
        policy.save()
        record_saved(policy, before, ["required"], actor=user)
    return policy


def promote_to_sql(*, lead: Lead, user, account_executive=None, now=None) -> Lead:
    """SAL to SQL once the required criteria are met; optionally tell the account executive."""
    require(user, "handoff.qualify", _("Sales development reps and managers promote leads to SQL."))
    check_may_handle_lead(lead, user)
    if account_executive is not None and not may(account_executive, "opportunities.own"):
        message = _("Hand SQLs to an account executive.")
        raise ApplicationError(message, extra={"account_executive": [message]})
    missing = missing_criteria(
        Qualification.objects.filter(lead=lead).first(), QualificationPolicy.current().required
    )
    if missing:
        raise ConflictError(
            _("Not ready for SQL. Missing: %(criteria)s.")
            % {"criteria": "; ".join(str(CRITERIA[code]) for code in missing)},
            extra={"missing": missing},
        )
    with transaction.atomic():
        promoted, _change = move_stage(
            lead.pk,
            Stage.SQL,
            expected_from=Stage.SAL,
            actor=user,
            reason=_("Qualification criteria met"),
        )
        stop_sql_decision(lead_id=promoted.pk, now=now or timezone.now())
        HandoffEvent.objects.create(
            lead=promoted,
            kind=EventKind.PROMOTED,
            actor=user,
            data={"account_executive": account_executive.pk if account_executive else None},
            created_at=now or timezone.now(),
        )
        emit(Event.LEAD_SQL, lead=promoted)
        if account_executive is not None:
            notify(
                user=account_executive,
                kind=NotificationKind.SQL_HANDED_OVER,
                params={"rep": person_name(user), "lead": promoted},
                url=reverse("leads:detail", args=[promoted.pk]),
            )
    return promoted
