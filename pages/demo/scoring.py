"""Demo data for the agreement: the starter version in force, and every demo lead scored."""

from django.apps import apps

from leads.models import Lead
from scoring.runs import BATCH_SIZE
from scoring.services import rescore_leads
from scoring.starter import install_starter_agreement


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
