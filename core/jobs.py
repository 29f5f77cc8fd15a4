"""Handing work to the django-q2 queue once the transaction that asked for it has committed.

The work itself is always recorded in the database by that transaction (a run in QUEUED, a pending
delivery, an unsent e-mail, a pooled handoff), so the queue is only a prompt: if the broker is
down when the commit happens (Redis stopped), the request still succeeds, the failure is logged,
and the job's periodic sweep (core/schedules.py) finds the work from database state and does it.
"""

import dataclasses
import logging

from django.conf import settings
from django.db import connection, transaction
from django_q.tasks import async_task

logger = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class _Prompt:
    """One queued call; equal prompts in one transaction are queued once."""

    func: str
    args: tuple

    def __call__(self) -> None:
        prompt(self.func, *self.args)


def prompt(func: str, *args) -> bool:
    """Queue `func(*args)` now; False (logged, never raised) when the broker refuses it."""
    try:
        async_task(func, *args)
    except Exception:
        logger.warning(
            "Could not queue %s%r; its sweep will do the work.", func, args, exc_info=True
        )
        return False
    return True


def prompt_after_commit(func: str, *args) -> None:
    """Queue `func(*args)` once the current transaction commits (at once outside one), at most
    once per transaction however many times it is asked: a publish that moves 100,000 leads
    prompts one webhook sweep, not 100,000 tasks."""
    job = _Prompt(func, args)
    # Django keeps (savepoint ids, callback, robust) per pending on-commit callback.
    if any(pending[1] == job for pending in connection.run_on_commit):
        return
    transaction.on_commit(job)


def budget(seconds: float) -> float:
    """How long a task may keep taking work: `seconds`, and at most half the worker's timeout
    (Q_TIMEOUT), past which django-q2 acknowledges a task as failed and never runs it again."""
    return min(seconds, settings.Q_CLUSTER["timeout"] / 2)
