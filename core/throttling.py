"""The API's throttles (settings.REST_FRAMEWORK): DRF's per-user and per-address rates, counted in
fixed windows through core.counters so that every web process shares one count. DRF's own
throttles keep a history list in Django's default cache, which is one process's memory without
Redis and is read, then written, with it."""

from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle

from core import counters


class WindowThrottle(SimpleRateThrottle):
    """At most `num_requests` in each fixed window of `duration` seconds."""

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        now = self.timer()
        self.retry_after = counters.seconds_left(self.duration, now)
        return counters.hit(self.key, self.duration, now=now) <= self.num_requests

    def wait(self):
        return self.retry_after


class AnonThrottle(WindowThrottle, AnonRateThrottle):
    """Anonymous calls, per address."""


class UserThrottle(WindowThrottle, UserRateThrottle):
    """Signed-in calls, per user (so per token)."""
