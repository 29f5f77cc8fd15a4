import time

from django.utils import timezone

from core import counters
from core.models import WorkerHeartbeat


def record_heartbeat():
    """Proves that the worker runs scheduled tasks; idempotent by nature (one row, upserted)."""
    WorkerHeartbeat.objects.update_or_create(pk=1, defaults={"beat_at": timezone.now()})


def forget_ended_rate_windows():
    """Deletes the rate counters of windows that have ended (core.counters); idempotent."""
    counters.forget_ended_windows(now=time.time())
