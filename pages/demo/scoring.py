"""Demo data for the agreement: the starter version in force, a draft waiting for sales to
sign, and every demo lead scored."""

from django.apps import apps
from django.contrib.auth import get_user_model

from leads.models import Lead
from scoring.models import Agreement, AgreementStatus, SignoffSide
from scoring.runs import BATCH_SIZE
from scoring.services import rescore_leads
from scoring.starter import install_starter_agreement
from scoring.versions import create_draft, sign_off, submit_draft

# The draft marketing proposes in the demo: points fade faster than in the published version.
DRAFT_DECAY_PERCENT_PER_WEEK = 30


def seed_agreement() -> None:
    """The starter agreement in force, unless there is an agreement already (a flushed test
    database has none; a migrated one has the starter)."""
    install_starter_agreement(apps)


def seed_scoring() -> None:
    """Every lead's score as of now, as the nightly decay run stores it. It moves nobody: the
    demo's history made the moves when each lead showed intent, and browsing since a return is
    not the kind of interest it brings a lead back to the queue for."""
    ids = list(Lead.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH_SIZE):
        rescore_leads(ids[start : start + BATCH_SIZE], allow_moves=False)


def seed_draft_awaiting_signature() -> None:
    """A next version the demo marketer wrote, submitted and signed for marketing, so the
    marketer's home, the SDR's and manager's notifications and the sign-off page have something
    waiting on the first visit. Left alone when any draft exists (a second run, or a real one)."""
    if Agreement.objects.filter(status=AgreementStatus.DRAFT).exists():
        return
    published = (
        Agreement.objects.filter(status=AgreementStatus.PUBLISHED).order_by("-version").first()
    )
    marketer = get_user_model().objects.filter(username="marketer").first()
    if published is None or marketer is None:
        return
    draft = create_draft(user=marketer, copy_of=published)
    draft.decay_percent_per_week = DRAFT_DECAY_PERCENT_PER_WEEK
    draft.save(update_fields=["decay_percent_per_week", "updated_at"])
    submit_draft(agreement=draft, user=marketer)
    sign_off(agreement=draft, user=marketer, side=SignoffSide.MARKETING)
