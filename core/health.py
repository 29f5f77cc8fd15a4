"""What /healthz reports: each part a deployment depends on, checked the cheapest way it can be.

A load balancer takes a web process out of rotation on a 503, and a monitor pages someone; both
read the same JSON. The parts:

- database: one `SELECT 1`.
- cache: with Redis, one count in Redis on the rate counters every process shares
  (core.counters: the web-form limits and the API throttles count there; while Redis is down
  they count in the database, and this part says Redis is down); without Redis they are a
  table of the database, which the first check answered for, and a health probe writes nothing.
- broker: django-q2's queue answers (Redis PING, or the ORM queue table), how many tasks wait,
  and how long the oldest has waited. With the ORM broker a waiting task's `lock` is the moment
  it became visible to workers (its enqueue, or the end of a dead worker's lease); with Redis the
  oldest entry of the list carries its enqueue time (`started`, set by `async_task`). That age is
  reported, not judged: a long import makes the queue wait without anything being broken, and
  taking web processes out of rotation would not make it shorter.
- worker: the heartbeat the main queue's cluster writes every minute (core.tasks.record_heartbeat)
  is younger than WORKER_HEARTBEAT_MAX_AGE; it proves the scheduler and a worker both run.
- sla_worker: the same for the SLA queue's own cluster (settings.SLA_QUEUE), which runs the SLA
  scan; absent when the scan runs on the main queue.
"""

import time
from datetime import datetime

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_q.brokers import get_broker
from django_q.models import OrmQ
from django_q.signing import SignedPackage

from core import counters
from core.models import WorkerHeartbeat

OK = "ok"
CACHE_PROBE_KEY = "healthz-probe"


def database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"status": OK}


def cache() -> dict:
    if not settings.REDIS_URL:
        return {"status": OK, "kind": "database"}
    if counters.hit_in_redis(CACHE_PROBE_KEY, 60, now=time.time()) < 1:
        return {"status": "not counting"}
    return {"status": OK, "kind": "redis"}


def broker(now: datetime) -> dict:
    queue = get_broker()
    queue.ping()
    oldest = _oldest_waiting(queue, now)
    return {
        "status": OK,
        "kind": "redis" if settings.Q_CLUSTER.get("redis") else "orm",
        "waiting_tasks": queue.queue_size(),
        "oldest_waiting_seconds": None if oldest is None else round((now - oldest).total_seconds()),
    }


def _oldest_waiting(queue, now: datetime) -> datetime | None:
    if settings.Q_CLUSTER.get("redis"):
        head = queue.connection.lindex(queue.list_key, 0)  # rpush to enqueue, blpop to take
        return None if head is None else SignedPackage.loads(head)["started"]
    return (
        OrmQ.objects.filter(key=queue.list_key, lock__lte=now)
        .order_by("lock")
        .values_list("lock", flat=True)
        .first()
    )


def worker(queue: str, now: datetime) -> dict:
    beat = WorkerHeartbeat.objects.filter(queue=queue).values_list("beat_at", flat=True).first()
    if beat is None:
        return {"status": "no heartbeat yet", "last_heartbeat": None}
    age = round((now - beat).total_seconds())
    return {
        "status": "stale" if age > settings.WORKER_HEARTBEAT_MAX_AGE else OK,
        "last_heartbeat": beat.isoformat(),
        "heartbeat_age_seconds": age,
    }


def report() -> tuple[dict, bool]:
    """Each part's state, and whether all are healthy. A part that raises is reported by the
    exception's class name (not its message, which may hold a host name or a password)."""
    now = timezone.now()
    checks = {
        "database": database,
        "cache": cache,
        "broker": lambda: broker(now),
        "worker": lambda: worker(settings.Q_CLUSTER["name"], now),
    }
    if settings.SLA_QUEUE:
        checks["sla_worker"] = lambda: worker(settings.SLA_QUEUE, now)
    body = {}
    for name, check in checks.items():
        try:
            body[name] = check()
        except Exception as error:
            body[name] = {"status": f"error: {error.__class__.__name__}"}
        if name == "database" and body[name]["status"] != OK:
            break  # every other part reads the database too (or would only add noise)
    healthy = len(body) == len(checks) and all(part["status"] == OK for part in body.values())
    return body, healthy
