"""The life of an agreement version: draft, edit, submit, sign off, publish.

Marketing writes, sales co-signs: a version is published only with one marketer's signature and
a different sales user's (sdr or manager), and never by a signature its author gave for sales.
Every edit runs on the locked draft, checks the revision the editor saw and voids signatures,
because a signature is on the exact text that was read.
"""

from collections.abc import Callable

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.capabilities import may, require, users_who_may
from audit.models import Action
from audit.services import record, record_snapshots, recorded_fields, snapshot
from core.errors import ApplicationError, ConflictError, PermissionDenied
from leads.models import Lead
from notifications.models import NotificationKind
from notifications.services import notify_each
from scoring.convert import RULE_MODELS, rules_of, spec_from_rows
from scoring.describe import error_message
from scoring.engine import RuleError
from scoring.models import (
    Agreement,
    AgreementStatus,
    RescoreRun,
    RescoreStatus,
    Signoff,
    SignoffSide,
)
from scoring.runs import start_rescore_run
from scoring.validation import impossible_gates

# What an edit of a draft may change, as the audit trail records it: these fields, and each rule
# by its key (a rule's own fields, as one value).
SETTINGS_FIELDS = ("name", "narrative", "threshold", "decay_after_days", "decay_percent_per_week")


def _draft_snapshot(agreement: Agreement) -> dict:
    """The draft's settings and its rules, by key (4 queries)."""
    rules = {
        f"rule {row.key}": {"kind": kind, **snapshot(row, _rule_fields(type(row)))}
        for kind, rows in rules_of(agreement).items()
        for row in rows
    }
    return {**snapshot(agreement, SETTINGS_FIELDS), **rules}


def _rule_fields(model) -> list[str]:
    return recorded_fields(model, exclude=["agreement", "key"])


def check_may_edit(user) -> None:
    require(user, "agreement.edit", _("Only marketers edit the MQL agreement."))


def _next_version() -> int:
    return (Agreement.objects.aggregate(top=Max("version"))["top"] or 0) + 1


@transaction.atomic
def create_draft(*, user, copy_of: Agreement | None = None) -> Agreement:
    """A new draft: empty, or a copy of `copy_of` with the same rule keys (so the diff lines up)."""
    check_may_edit(user)
    # Locks the newest version so two drafts cannot take the same number.
    Agreement.objects.select_for_update().order_by("-version").first()
    draft = Agreement.objects.create(
        version=_next_version(),
        name=copy_of.name if copy_of else _("New agreement"),
        narrative=copy_of.narrative if copy_of else "",
        author=user,
        threshold=copy_of.threshold if copy_of else 15,
        decay_after_days=copy_of.decay_after_days if copy_of else 14,
        decay_percent_per_week=copy_of.decay_percent_per_week if copy_of else 25,
    )
    if copy_of is not None:
        for kind, rows in rules_of(copy_of).items():
            for row in rows:
                row.pk = None
                row.agreement = draft
            RULE_MODELS[kind].objects.bulk_create(rows)
    copied = {"copy_of": copy_of.version} if copy_of else None
    record(draft, Action.CREATED, actor=user, after=copied)
    return draft


def check_agreement(agreement: Agreement) -> None:
    """Refuse an agreement the engine cannot build or no lead could ever meet."""
    try:
        spec = spec_from_rows(agreement)
    except RuleError as error:
        raise ApplicationError(error_message(error)) from None
    problems = impossible_gates(spec)
    if problems:
        raise ApplicationError(" ".join(problems))


def edit_draft[T](
    *, agreement: Agreement, user, revision: int, change: Callable[[Agreement], T]
) -> tuple[Agreement, T]:
    """Apply `change` to the locked draft if nobody saved since `revision`; all or nothing.

    The whole agreement is checked after the change, the revision goes up by one and any
    submission and signatures are voided.
    """
    check_may_edit(user)
    with transaction.atomic():
        locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
        if not locked.is_draft:
            raise ApplicationError(_("Published and retired versions are never edited."))
        if locked.revision != revision:
            raise ConflictError(
                _(
                    "Someone else saved this draft since you opened it. Reload the page to see "
                    "their changes; yours were not saved."
                ),
                extra={"revision": locked.revision},
            )
        before = _draft_snapshot(locked)
        outcome = change(locked)
        check_agreement(locked)
        locked.revision += 1
        locked.submitted_at = None
        locked.save()
        locked.signoffs.all().delete()
        record_snapshots(locked, before, _draft_snapshot(locked), actor=user)
    return locked, outcome


@transaction.atomic
def submit_draft(*, agreement: Agreement, user) -> Agreement:
    """Put the draft up for signature; it stays editable, but an edit voids the submission."""
    check_may_edit(user)
    locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if not locked.is_draft:
        raise ApplicationError(_("Only a draft can be submitted."))
    if locked.submitted_at is None:
        check_agreement(locked)
        locked.submitted_at = timezone.now()
        locked.save(update_fields=["submitted_at", "updated_at"])
        record(locked, Action.SUBMITTED, actor=user)
        _ask_sales_to_sign(locked, author=user)
    return locked


def _ask_sales_to_sign(agreement: Agreement, *, author) -> None:
    """Sales signs what marketing wrote: everyone who may sign for sales hears that a version
    waits for them (the author excepted: they may not sign it for sales)."""
    params = {"author": author, "version": agreement.version}
    url = reverse("scoring:detail", args=[agreement.pk])
    notify_each(
        (signer, NotificationKind.AGREEMENT_AWAITS_SIGNATURE, params, url)
        for signer in users_who_may("agreement.sign_off_sales").exclude(pk=author.pk)
    )


@transaction.atomic
def sign_off(*, agreement: Agreement, user, side: str) -> Signoff:
    locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if not locked.is_submitted:
        raise ApplicationError(_("Only a submitted draft can be signed."))
    if side == SignoffSide.MARKETING:
        require(user, "agreement.sign_off_marketing", _("Only a marketer signs for marketing."))
    elif side == SignoffSide.SALES:
        require(user, "agreement.sign_off_sales", _("Only an SDR or a manager signs for sales."))
        if locked.author_id == user.pk:
            raise PermissionDenied(_("The author of a version cannot sign it for sales."))
    else:
        raise ApplicationError(_("Unknown side."))
    signed = {s.side: s for s in locked.signoffs.all()}
    if side in signed:
        raise ConflictError(
            _("%(side)s has already signed this version.") % {"side": SignoffSide(side).label}
        )
    if any(s.user_id == user.pk for s in signed.values()):
        raise PermissionDenied(_("One person cannot sign for both marketing and sales."))
    signoff = Signoff.objects.create(agreement=locked, user=user, side=side)
    record(locked, Action.SIGNED, actor=user, after=side)
    return signoff


def may_publish(user) -> bool:
    return may(user, "agreement.publish")


@transaction.atomic
def publish(*, agreement: Agreement, user) -> RescoreRun:
    """Put a signed version in force, retire the previous one and rescore every lead."""
    if not may_publish(user):
        raise PermissionDenied(_("Only marketers publish the MQL agreement."))
    locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if not locked.is_draft:
        raise ConflictError(_("This version is not a draft any more."))
    sides = set(locked.signoffs.values_list("side", flat=True))
    if not locked.is_submitted or sides != set(SignoffSide.values):
        raise ApplicationError(
            _("A version is published only when marketing and sales have both signed it.")
        )
    check_agreement(locked)
    now = timezone.now()
    Agreement.objects.filter(status=AgreementStatus.PUBLISHED).update(
        status=AgreementStatus.RETIRED, updated_at=now
    )
    locked.status = AgreementStatus.PUBLISHED
    locked.published_at = now
    locked.published_by = user
    locked.save()
    record(locked, Action.PUBLISHED, actor=user, at=now)
    RescoreRun.objects.filter(status__in=[RescoreStatus.QUEUED, RescoreStatus.RUNNING]).update(
        status=RescoreStatus.SUPERSEDED, finished_at=now
    )
    run = RescoreRun.objects.create(agreement=locked, total=Lead.objects.count())
    start_rescore_run(run)
    return run
