"""Erasing one lead's personal data, everywhere Accord keeps it, in one transaction.

What goes: the person's fields on the lead (names, e-mail, phone, title, organization, city,
social handles, free-form attributes), the properties of its activities (what forms submitted,
what other systems sent), free text written about them (stage-change and return notes, handoff
event notes, the BANT need and next step, an opportunity's name and lost reason), the rejected
import rows that hold their address, their name in notifications, and their data in webhook
deliveries. The address goes on the suppression list (leads.suppression), so no import, API
call or web form brings it back.

What stays, so that every report counts the same after as before: the lead row itself (now
"Erased lead #id", with an address at erased.invalid), its stage and history, channel and
campaign (the `campaign` attribute), score, company size, industry and country (the
organisation, not the person), the kinds and times of its activities, its handoffs, clocks,
qualification checks and opportunities with their amounts, and its consent records (proof that
a wish was honoured). The audit trail keeps who changed which of its fields and when, without
the values (audit.services.redact), and records the erasure itself; the Erasure record
(privacy.models.Erasure) keeps its reason and counts, without the data.

Uploaded import files are not opened here: each is deleted whole when its retention period ends
(intake.imports.retention), at most IMPORT_FILE_RETENTION_DAYS after the upload.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import TextField
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.capabilities import require
from audit import services as audit
from audit.models import Action
from core.errors import ConflictError
from handoff.models import Handoff, HandoffEvent, Opportunity, Qualification
from intake.models import ImportRejection
from leads import suppression
from leads.models import (
    ERASED_EMAIL_DOMAIN,
    Activity,
    Lead,
    StageChange,
    SuppressionReason,
    search_key,
)
from notifications.models import Notification
from privacy.models import Erasure
from webhooks.models import Delivery
from webhooks.services import lead_payload

# The person's fields and what each becomes.
ERASED_FIELDS = {
    "first_name": "",
    "middle_name": "",
    "last_name": "",
    "title": "",
    "organization": "",
    "phone": "",
    "city": "",
    "social_handles": {},
}
# Free-form attributes the reports group by (the funnel by campaign reads this one through the
# funnel passes' copy): kept, as the channel is; every other attribute goes.
REPORTED_ATTRIBUTES = ("campaign",)


def erased_email(lead_id: int) -> str:
    return f"erased-{lead_id}@{ERASED_EMAIL_DOMAIN}"


@transaction.atomic
def erase_lead(*, lead_id: int, actor, reason: str, source=None, now=None) -> Erasure:
    """Erase the lead's personal data (see the module's docstring); the Erasure record.

    Managers and admins (leads.erase), with a reason. Raises ValidationError (no reason),
    ConflictError (already erased), Lead.DoesNotExist.
    """
    require(actor, "leads.erase", _("Your role may not erase leads."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the lead is erased.")]})
    now = now or timezone.now()
    lead = Lead.objects.select_for_update().get(pk=lead_id)
    if lead.erased_at:
        raise ConflictError(_("This lead's personal data was already erased."))
    names = {str(lead), lead.full_name, lead.email} - {""}
    suppression.suppress(lead.email, reason=SuppressionReason.ERASED)
    counts = {
        "import_rows": _delete_import_rows(lead.email),
        "activities": Activity.objects.filter(lead=lead)
        .exclude(properties={})
        .update(properties={}),
        "stage_change_notes": StageChange.objects.filter(lead=lead)
        .exclude(reason="")
        .update(reason=""),
        "handoff_notes": Handoff.objects.filter(lead=lead)
        .exclude(return_note="")
        .update(return_note="")
        + HandoffEvent.objects.filter(lead=lead).exclude(note="").update(note=""),
        "qualification_notes": Qualification.objects.filter(lead=lead).update(
            need="", next_step=""
        ),
    }
    opportunities = list(Opportunity.objects.filter(lead=lead).values_list("pk", "name"))
    names.update(name for _pk, name in opportunities)
    Opportunity.objects.filter(lead=lead).update(name=f"#{lead.pk}")
    # A lost opportunity must keep a reason (a constraint): the words go, the fact stays.
    Opportunity.objects.filter(lead=lead).exclude(lost_reason="").update(lost_reason="—")
    counts["opportunities"] = len(opportunities)

    Lead.objects.filter(pk=lead.pk).update(
        **ERASED_FIELDS,
        attributes={k: v for k, v in lead.attributes.items() if k in REPORTED_ATTRIBUTES},
        email=erased_email(lead.pk),
        search_text=search_key(erased_email(lead.pk)),
        do_not_contact=True,
        erased_at=now,
        updated_at=now,
    )
    lead.refresh_from_db()
    pages = [reverse("leads:detail", args=[lead.pk])]
    pages += [reverse("handoff:opportunity", args=[pk]) for pk, _name in opportunities]
    counts["notifications"] = _scrub_notifications(pages, names, str(lead))
    counts["webhook_deliveries"] = _scrub_deliveries(lead)
    counts["audit_rows"] = audit.redact(Lead, lead.pk, label=str(lead))
    # The trail says that it happened and who did it; the reason, which may name the person,
    # stays on the Erasure record only.
    audit.record(lead, Action.ERASED, actor=actor, source=source, at=now)
    return Erasure.objects.create(
        lead=lead, erased_by=actor, erased_at=now, reason=reason, counts=counts
    )


def _delete_import_rows(email: str) -> int:
    """Rejected import rows holding the address (the rows an import keeps); one statement."""
    rows = ImportRejection.objects.annotate(text=Cast("values", TextField())).filter(
        text__icontains=email
    )
    deleted, _by_model = rows.delete()
    return deleted


def _scrub_notifications(pages: list[str], names: set[str], label: str) -> int:
    """Notifications linking to the lead or its opportunities: the person's name in their
    parameters becomes the erased lead's label. A few rows; one read and one write each."""
    changed = 0
    for notification in Notification.objects.filter(url__in=pages):
        params = {
            key: label if value in names else value for key, value in notification.params.items()
        }
        if params != notification.params:
            Notification.objects.filter(pk=notification.pk).update(params=params)
            changed += 1
    return changed


def _scrub_deliveries(lead: Lead) -> int:
    """Webhook deliveries about the lead, sent or waiting: their copy of the lead becomes the
    erased one, so a retry sends nothing personal."""
    payload = lead_payload(Lead.objects.select_related("channel", "owner").get(pk=lead.pk))
    deliveries = list(Delivery.objects.filter(payload__lead__id=lead.pk))
    for delivery in deliveries:
        delivery.payload = {**delivery.payload, "lead": payload}
        delivery.save(update_fields=["payload"])
    return len(deliveries)
