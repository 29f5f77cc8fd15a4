"""Everything Accord holds about one lead, as one JSON document: the answer to a data-subject
access request (GDPR art. 15, PDPA s. 30, PIPL art. 45, 152-FZ art. 14, PDPL art. 4).

One query per kind of record, whatever the lead's history; the document names the users who
acted on the lead by username only (they are not its subject).
"""

from django.contrib.auth import get_user_model
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from handoff.models import Handoff, HandoffEvent, Opportunity, Qualification
from leads.models import Activity, Consent, Lead, StageChange
from leads.serializers import LeadSerializer
from notifications.models import Notification

USERNAME = get_user_model().USERNAME_FIELD


def _rows(queryset, *fields, **named) -> list[dict]:
    return list(queryset.values(*fields, **named))


def _by(field: str):
    """A user foreign key as the user's username."""
    return F(f"{field}__{USERNAME}")


def personal_data(*, lead: Lead) -> dict:
    """The document (see the module's docstring); JSON-ready with DjangoJSONEncoder."""
    pages = [reverse("leads:detail", args=[lead.pk])]
    opportunities = Opportunity.objects.filter(lead=lead)
    pages += [
        reverse("handoff:opportunity", args=[pk])
        for pk in opportunities.values_list("pk", flat=True)
    ]
    qualification = Qualification.objects.filter(lead=lead).values(
        "budget_known", "budget_amount", "budget_currency", "authority", "need",
        "timeline_date", "timeline_quarter", "buying_cycle", "influencer", "timeframe_known",
        "size_known", "next_step_permission", "next_step", "next_step_date", "updated_at",
    ).first()  # fmt: skip
    return {
        "exported_at": timezone.now(),
        "lead": LeadSerializer(Lead.objects.select_related("channel").get(pk=lead.pk)).data,
        "consents": _rows(
            Consent.objects.filter(lead=lead),
            "scope",
            "granted",
            "source",
            "recorded_at",
            recorded_by_name=_by("recorded_by"),
        ),
        "activities": _rows(
            Activity.objects.filter(lead=lead),
            "kind",
            "occurred_at",
            "source",
            "external_id",
            "properties",
            "created_at",
            channel_slug=F("channel__slug"),
        ),
        "stage_changes": _rows(
            StageChange.objects.filter(lead=lead),
            "from_stage",
            "to_stage",
            "reason",
            "created_at",
            actor_name=_by("actor"),
        ),
        "handoffs": _rows(
            Handoff.objects.filter(lead=lead),
            "id",
            "agreement_version",
            "score",
            "outcome",
            "created_at",
            "claimed_at",
            "first_touch_at",
            "accepted_at",
            "returned_at",
            "disqualified_at",
            "return_note",
            return_reason_code=F("return_reason__code"),
            assignee_name=_by("assignee"),
        ),
        "handoff_events": _rows(
            HandoffEvent.objects.filter(lead=lead),
            "handoff_id",
            "kind",
            "channel",
            "note",
            "created_at",
            actor_name=_by("actor"),
        ),
        "qualification": qualification,
        "opportunities": _rows(
            opportunities,
            "id",
            "name",
            "amount",
            "currency",
            "expected_close_date",
            "stage",
            "lost_reason",
            "created_at",
            "closed_at",
            owner_name=_by("owner"),
        ),
        "notifications": _rows(
            Notification.objects.filter(url__in=pages), "kind", "params", "created_at"
        ),
    }
