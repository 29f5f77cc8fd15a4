import time

from django.utils import timezone
from django_q.conf import Conf

from core import counters
from core.models import WorkerHeartbeat


def record_heartbeat():
    """Proves that the cluster running it schedules and runs tasks: each queue's cluster has its
    own schedule of this task (core.schedules) and beats under its own name (Q_CLUSTER_NAME, as
    django-q2 read it), so a stopped SLA cluster shows although the main one beats. Idempotent by
    nature (one row per queue, upserted)."""
    WorkerHeartbeat.objects.update_or_create(
        queue=Conf.CLUSTER_NAME, defaults={"beat_at": timezone.now()}
    )


def forget_ended_rate_windows():
    """Deletes the rate counters of windows that have ended (core.counters); idempotent."""
    counters.forget_ended_windows(now=time.time())
