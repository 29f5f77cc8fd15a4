"""Long rescoring: every lead after a publish, and the daily decay of engagement points.

Both walk leads by id in batches and commit after each one, so a worker that stops midway
loses one batch at most; the publish run keeps its cursor on the RescoreRun row. Running a batch
twice is harmless: rescore_leads moves a lead to MQL only from the stage it saw.

A publish run works in slices: a task scores batches for at most `slice_seconds()` (well inside the
worker's timeout, past which django-q2 acknowledges the task as failed and never retries it),
then queues the next slice. Each batch renews the run's heartbeat; a run whose heartbeat is older
than LEASE (its worker was killed, or the next slice was never queued) is resumed by the sweep.
"""

import logging
import time
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.jobs import budget, prompt, prompt_after_commit
from leads.models import Lead
from scoring.models import AgreementStatus, RescoreRun, RescoreStatus
from scoring.services import rescore_leads

logger = logging.getLogger(__name__)

BATCH_SIZE = 2000


def slice_seconds() -> float:
    """One task's share of a run: a minute, at most half the worker's timeout (Q_TIMEOUT)."""
    return budget(60)


# A run with no batch committed for this long has lost its worker. Far longer than one batch.
LEASE = timedelta(minutes=3)
RUN_TASK = "scoring.tasks.run_rescore"


def start_rescore_run(run: RescoreRun) -> None:
    """Queue the first slice of a run once the publish commits (the sweep starts it otherwise)."""
    prompt_after_commit(RUN_TASK, run.pk)


def rescore_slice(run_id: int, *, seconds: float | None = None) -> RescoreRun:
    """The task: score for one slice, then queue the next one while the run is unfinished."""
    seconds = slice_seconds() if seconds is None else seconds
    run = advance_rescore_run(run_id, deadline=time.monotonic() + seconds)
    if run.is_active:
        prompt(RUN_TASK, run_id)
    return run


def advance_rescore_run(
    run_id: int,
    *,
    batch_size: int = BATCH_SIZE,
    max_batches: int | None = None,
    deadline: float | None = None,
) -> RescoreRun:
    """Score the next batches of a run until it is done, `max_batches` have run or the
    monotonic clock passes `deadline` (at least one batch runs)."""
    batches = 0
    while max_batches is None or batches < max_batches:
        if batches and deadline is not None and time.monotonic() >= deadline:
            break
        with transaction.atomic():
            run = RescoreRun.objects.select_for_update().select_related("agreement").get(pk=run_id)
            if not run.is_active:
                return run
            now = timezone.now()
            if run.agreement.status != AgreementStatus.PUBLISHED:
                run.status, run.finished_at = RescoreStatus.SUPERSEDED, now
                run.save(update_fields=["status", "finished_at"])
                return run
            ids = list(
                Lead.objects.filter(pk__gt=run.last_lead_id)
                .order_by("pk")
                .values_list("pk", flat=True)[:batch_size]
            )
            if not ids:
                # The bar ends full even when leads were deleted during the run.
                run.status, run.finished_at, run.total, run.heartbeat_at = (
                    RescoreStatus.DONE,
                    now,
                    run.processed,
                    now,
                )
                run.save(update_fields=["status", "finished_at", "total", "heartbeat_at"])
                return run
            summary = rescore_leads(ids)
            run.status = RescoreStatus.RUNNING
            run.started_at = run.started_at or now
            run.heartbeat_at = timezone.now()
            run.last_lead_id = ids[-1]
            run.processed += len(ids)
            run.moved_to_mql += len(summary.moved_to_mql)
            # Leads created during the run are scored too; the bar grows with them instead of
            # counting every lead again after each batch.
            run.total = max(run.total, run.processed)
            run.save()
        batches += 1
    return RescoreRun.objects.get(pk=run_id)


def resume_stalled_runs(*, now: datetime | None = None) -> list[int]:
    """The sweep: take over each active run with no sign of life for LEASE (a QUEUED run whose
    task was never queued or was lost, a RUNNING one whose worker died) and queue its next slice.

    The takeover renews the heartbeat by a conditional update, so two sweeps never both resume
    a run, and a run resumed twice anyway only scores its next batch twice, harmlessly.
    """
    now = now or timezone.now()
    stalled = Q(status__in=[RescoreStatus.QUEUED, RescoreStatus.RUNNING]) & Q(
        last_sign__lt=now - LEASE
    )
    runs = RescoreRun.objects.alias(last_sign=Coalesce("heartbeat_at", "created_at"))
    resumed = []
    for run_id in runs.filter(stalled).order_by("pk").values_list("pk", flat=True):
        if runs.filter(stalled, pk=run_id).update(heartbeat_at=now):
            logger.warning("Rescoring run %s had stalled; resuming it.", run_id)
            prompt(RUN_TASK, run_id)
            resumed.append(run_id)
    return resumed


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
