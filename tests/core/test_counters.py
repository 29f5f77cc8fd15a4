"""The counters every process shares (core.counters): the web-form limits and the API throttles."""

import threading
import uuid

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.db import connection
from redis.exceptions import RedisError
from rest_framework.request import Request
from rest_framework.throttling import AnonRateThrottle

from core import counters
from core.models import WindowCounter
from core.tasks import forget_ended_rate_windows
from core.throttling import AnonThrottle
from tests.deploy.processes import free_port

REDIS = "redis://127.0.0.1:6379/9"


@pytest.mark.django_db
def test_a_window_counts_up_and_the_next_starts_from_zero():
    assert [counters.hit("form", 60, now=120.0 + n) for n in range(3)] == [1, 2, 3]
    assert counters.hit("other", 60, now=130.0) == 1
    assert counters.hit("form", 60, now=180.0) == 1
    assert counters.seconds_left(60, 179.2) == 1
    assert counters.seconds_left(60, 120.0) == 60


@pytest.mark.django_db(transaction=True)
def test_processes_counting_at_once_lose_no_count():
    """Eight connections hit one counter at once: each gets its own number. Django's database
    cache, which these counters replaced, reads then writes, and can hand two of them the same."""
    seen, barrier = [], threading.Barrier(8)

    def count():
        try:
            barrier.wait(timeout=5)
            seen.extend(counters.hit("flood", 60, now=600.0) for _ in range(5))
        finally:
            connection.close()

    threads = [threading.Thread(target=count) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(seen) == list(range(1, 41))
    assert WindowCounter.objects.get().hits == 40


@pytest.mark.django_db
def test_ended_windows_are_forgotten(time_machine):
    counters.hit("old", 60, now=0.0)
    counters.hit("current", 60, now=10_000.0)
    time_machine.move_to(10_001.0)

    forget_ended_rate_windows()

    assert [row.key for row in WindowCounter.objects.all()] == ["current:60:166"]


@pytest.mark.django_db
def test_with_redis_the_counters_live_in_redis(settings):
    settings.REDIS_URL = REDIS
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS}
    }
    name = f"probe-{uuid.uuid4()}"
    try:
        assert [counters.hit(name, 60, now=60.0) for _ in range(3)] == [1, 2, 3]
        assert not WindowCounter.objects.exists()
    finally:
        caches["default"].delete(f"{name}:60:1")
        caches["default"].close()


@pytest.mark.django_db
def test_while_redis_is_down_the_counters_count_in_the_database(settings):
    port = free_port()  # nothing listens there: Redis is down
    settings.REDIS_URL = f"redis://127.0.0.1:{port}/0"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": settings.REDIS_URL,
        }
    }
    try:
        assert [counters.hit("form", 60, now=60.0) for _ in range(3)] == [1, 2, 3]
        assert WindowCounter.objects.get().key == "form:60:1"
        with pytest.raises(RedisError):
            counters.hit_in_redis("form", 60, now=60.0)
    finally:
        caches["default"].close()


@pytest.mark.django_db
def test_the_api_throttle_counts_on_the_shared_counters(monkeypatch, rf):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/minute"})
    request = Request(rf.get("/api/v1/leads/", REMOTE_ADDR="203.0.113.7"))
    request.user = AnonymousUser()

    allowed = [AnonThrottle().allow_request(request, None) for _ in range(3)]

    assert allowed == [True, True, False]
    assert WindowCounter.objects.get().hits == 3
