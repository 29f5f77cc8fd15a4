"""Demo data for the agreement: the starter version in force and every demo lead scored."""

from django.apps import apps

from leads.models import Lead
from scoring.runs import BATCH_SIZE
from scoring.services import rescore_leads
from scoring.starter import install_starter_agreement


def seed_scoring() -> int:
    """Idempotent: keeps whatever agreement exists, rescores every lead (moves only leads not yet
    MQL). Returns how many leads moved to MQL."""
    install_starter_agreement(apps)
    ids = list(Lead.objects.order_by("pk").values_list("pk", flat=True))
    moved = 0
    for start in range(0, len(ids), BATCH_SIZE):
        moved += len(rescore_leads(ids[start : start + BATCH_SIZE]).moved_to_mql)
    return moved
