from django.utils import timezone

from core.models import WorkerHeartbeat


def record_heartbeat():
    """Proves that the worker runs scheduled tasks; idempotent by nature (one row, upserted)."""
    WorkerHeartbeat.objects.update_or_create(pk=1, defaults={"beat_at": timezone.now()})
