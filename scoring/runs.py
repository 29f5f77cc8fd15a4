"""Long rescoring: every lead after a publish, and the daily decay of engagement points.

Both walk leads by id in batches and commit after each one, so a worker that stops midway
loses one batch at most; the publish run keeps its cursor on the RescoreRun row. Running a batch
twice is harmless: rescore_leads moves a lead to MQL only from the stage it saw.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from leads.models import Lead
from scoring.models import AgreementStatus, RescoreRun, RescoreStatus
from scoring.services import rescore_leads

BATCH_SIZE = 2000


def advance_rescore_run(
    run_id: int, *, batch_size: int = BATCH_SIZE, max_batches: int | None = None
) -> RescoreRun:
    """Score the next batches of a run until it is done (or `max_batches` have run)."""
    batches = 0
    while max_batches is None or batches < max_batches:
        with transaction.atomic():
            run = RescoreRun.objects.select_for_update().select_related("agreement").get(pk=run_id)
            if not run.is_active:
                return run
            if run.agreement.status != AgreementStatus.PUBLISHED:
                run.status, run.finished_at = RescoreStatus.SUPERSEDED, timezone.now()
                run.save(update_fields=["status", "finished_at"])
                return run
            ids = list(
                Lead.objects.filter(pk__gt=run.last_lead_id)
                .order_by("pk")
                .values_list("pk", flat=True)[:batch_size]
            )
            if not ids:
                # The bar ends full even when leads were deleted during the run.
                run.status, run.finished_at, run.total = (
                    RescoreStatus.DONE,
                    timezone.now(),
                    run.processed,
                )
                run.save(update_fields=["status", "finished_at", "total"])
                return run
            summary = rescore_leads(ids)
            run.status = RescoreStatus.RUNNING
            run.started_at = run.started_at or timezone.now()
            run.last_lead_id = ids[-1]
            run.processed += len(ids)
            run.moved_to_mql += len(summary.moved_to_mql)
            # Leads created during the run are scored too; the bar grows with them instead of
            # counting every lead again after each batch.
            run.total = max(run.total, run.processed)
            run.save()
        batches += 1
    return RescoreRun.objects.get(pk=run_id)


def decay_scores(*, now: datetime | None = None, batch_size: int = BATCH_SIZE) -> int:
    """Rescore every lead holding engagement points, without moving any: decay lowers scores,
    never stages. Returns how many leads were rescored."""
    now = now or timezone.now()
    last_id, done = 0, 0
    while True:
        ids = list(
            Lead.objects.filter(pk__gt=last_id, engagement_score__gt=0)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        if not ids:
            return done
        with transaction.atomic():
            rescore_leads(ids, now=now, allow_moves=False)
        last_id, done = ids[-1], done + len(ids)
