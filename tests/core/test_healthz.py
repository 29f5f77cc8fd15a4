from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from core.models import WorkerHeartbeat
from core.tasks import record_heartbeat

pytestmark = pytest.mark.django_db


def test_it_is_healthy_with_a_recent_heartbeat(client):
    record_heartbeat()

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["database"] == "ok"
    assert response.json()["worker"] == "ok"
    assert response.json()["worker_last_heartbeat"]


def test_it_is_unavailable_before_the_worker_ever_beat(client):
    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["worker"] == "no heartbeat yet"


def test_it_is_unavailable_when_the_heartbeat_is_stale(client, settings):
    record_heartbeat()
    later = timezone.now() + timedelta(seconds=settings.WORKER_HEARTBEAT_MAX_AGE + 1)

    with time_machine.travel(later):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["worker"] == "stale"


def test_the_heartbeat_task_is_idempotent():
    record_heartbeat()
    record_heartbeat()

    assert WorkerHeartbeat.objects.count() == 1
