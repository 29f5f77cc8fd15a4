from datetime import timedelta
from types import SimpleNamespace
from unittest import mock

import pytest
import time_machine
from django.db import OperationalError
from django.utils import timezone
from django_q.brokers import get_broker
from django_q.conf import Conf
from django_q.signing import SignedPackage
from django_q.tasks import async_task

from core import health
from core.models import WorkerHeartbeat
from core.tasks import record_heartbeat

pytestmark = pytest.mark.django_db


def beat_as(queue: str) -> None:
    """The heartbeat task, as the cluster of `queue` runs it."""
    with mock.patch.object(Conf, "CLUSTER_NAME", queue):
        record_heartbeat()


def every_cluster_beats() -> None:
    beat_as("accord")
    beat_as("sla")


def test_it_is_healthy_with_a_recent_heartbeat(client):
    every_cluster_beats()

    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == {"status": "ok"}
    assert body["cache"] == {"status": "ok", "kind": "database"}
    assert body["broker"]["status"] == "ok"
    assert body["worker"]["status"] == "ok"
    assert body["worker"]["last_heartbeat"]
    assert body["sla_worker"]["status"] == "ok"


def test_it_is_unavailable_before_the_worker_ever_beat(client):
    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["status"] == "unhealthy"
    assert response.json()["worker"]["status"] == "no heartbeat yet"


def test_it_is_unavailable_when_the_heartbeat_is_stale(client, settings):
    every_cluster_beats()
    later = timezone.now() + timedelta(seconds=settings.WORKER_HEARTBEAT_MAX_AGE + 1)

    with time_machine.travel(later):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["worker"]["status"] == "stale"


def test_it_reports_how_long_the_oldest_waiting_task_has_waited(client):
    every_cluster_beats()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        async_task("core.tasks.record_heartbeat")
    with time_machine.travel(start + timedelta(seconds=30), tick=False):
        async_task("core.tasks.record_heartbeat")

    with time_machine.travel(start + timedelta(seconds=90), tick=False):
        response = client.get("/healthz")

    broker = response.json()["broker"]
    assert broker["waiting_tasks"] == 2
    assert broker["oldest_waiting_seconds"] == 90
    assert response.status_code == 200  # a waiting queue is reported, not judged


def test_a_task_a_worker_holds_is_not_waiting(client):
    every_cluster_beats()
    async_task("core.tasks.record_heartbeat")
    get_broker().dequeue()  # a worker took it: its lock moves past now, by the retry time

    broker = client.get("/healthz").json()["broker"]

    assert broker["waiting_tasks"] == 0
    assert broker["oldest_waiting_seconds"] is None


def test_with_redis_the_oldest_age_comes_from_the_head_of_the_list(settings):
    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "redis": "redis://unused"}
    enqueued = timezone.now() - timedelta(seconds=42)
    head = SignedPackage.dumps({"id": "x", "started": enqueued})
    lists = {"django_q:accord:q": [head]}
    queue = SimpleNamespace(
        list_key="django_q:accord:q",
        connection=SimpleNamespace(lindex=lambda key, index: lists[key][index]),
    )

    assert health._oldest_waiting(queue, timezone.now()) == enqueued

    lists["django_q:accord:q"] = [None]
    assert health._oldest_waiting(queue, timezone.now()) is None


def test_a_broken_cache_makes_it_unavailable_and_says_which_part(client, monkeypatch, settings):
    settings.REDIS_URL = "redis://:secret@cache:6379/0"
    every_cluster_beats()

    def refuse(*args, **kwargs):
        raise ConnectionError("redis://:secret@cache:6379 refused")

    monkeypatch.setattr(health.counters, "hit_in_redis", refuse)
    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["cache"] == {"status": "error: ConnectionError"}
    assert "secret" not in response.content.decode()
    assert response.json()["database"] == {"status": "ok"}


def test_a_broken_database_stops_the_other_checks(client, monkeypatch):
    def refuse():
        raise OperationalError("server closed the connection")

    monkeypatch.setattr(health, "connection", SimpleNamespace(cursor=refuse))
    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {
        "database": {"status": "error: OperationalError"},
        "status": "unhealthy",
    }


def test_the_heartbeat_task_is_idempotent():
    record_heartbeat()
    record_heartbeat()

    assert WorkerHeartbeat.objects.count() == 1


def test_each_cluster_beats_under_its_own_queue():
    beat_as("accord")
    beat_as("sla")
    beat_as("sla")

    assert sorted(WorkerHeartbeat.objects.values_list("queue", flat=True)) == ["accord", "sla"]


def test_it_names_the_sla_cluster_when_only_that_one_stopped(client, settings):
    beat_as("sla")
    later = timezone.now() + timedelta(seconds=settings.WORKER_HEARTBEAT_MAX_AGE + 1)
    with time_machine.travel(later):
        beat_as("accord")
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["worker"]["status"] == "ok"
    assert response.json()["sla_worker"]["status"] == "stale"


def test_it_says_when_the_sla_cluster_never_beat(client):
    beat_as("accord")

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["sla_worker"] == {"status": "no heartbeat yet", "last_heartbeat": None}


def test_without_an_sla_queue_only_the_main_cluster_is_checked(client, settings):
    settings.SLA_QUEUE = ""
    beat_as("accord")

    response = client.get("/healthz")

    assert response.status_code == 200
    assert "sla_worker" not in response.json()
