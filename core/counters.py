"""Fixed-window counters every process shares: the web-form limits (intake.capture) and the API
throttles (core.throttling) count through `hit`.

With Redis (`REDIS_URL`) a counter is a Redis key, and INCR is atomic. Without it, a counter is a
row of `core.WindowCounter`, counted by one `INSERT ... ON CONFLICT DO UPDATE ... RETURNING`
statement, atomic on PostgreSQL and SQLite alike. Not Django's database cache: its `incr` reads,
then writes, so two processes counting at once both read 4 and both write 5, and a flood spread
over several web processes would get through. A counter's key names its window, so a new window
starts from zero without a reset; `forget_ended_windows` (a periodic task) removes ended ones.

When Redis stops, counting moves to the database table until it answers again (logged each
time): a limit is still enforced by every process, only a window that straddles the outage
counts some of its hits in each place. A 500 on every API call would be worse.
"""

import logging
import math

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from redis.exceptions import RedisError

from core.models import WindowCounter

logger = logging.getLogger(__name__)


def window_of(window: int, now: float) -> int:
    """The number of the fixed window of `window` seconds that holds the instant `now`."""
    return int(now // window)


def seconds_left(window: int, now: float) -> int:
    """Whole seconds until the window holding `now` ends (at least 1): a 429's Retry-After."""
    return max(1, math.ceil((window_of(window, now) + 1) * window - now))


def hit_in_redis(name: str, window: int, *, now: float) -> int:
    """`hit`, in Redis only: raises when Redis does not answer (what /healthz asks)."""
    return _hit_redis(f"{name}:{window}:{window_of(window, now)}", window)


def _hit_redis(key: str, window: int) -> int:
    cache.add(key, 0, window + 1)
    try:
        return cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.set(key, 1, window + 1)
        return 1


def _hit_database(key: str, ends_at: int) -> int:
    table, key_, hits, ends = map(
        connection.ops.quote_name, (WindowCounter._meta.db_table, "key", "hits", "ends_at")
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({key_}, {hits}, {ends}) VALUES (%s, 1, %s) "  # nosec B608
            f"ON CONFLICT ({key_}) DO UPDATE SET {hits} = {table}.{hits} + 1 RETURNING {hits}",
            [key, ends_at],
        )
        return cursor.fetchone()[0]


def hit(name: str, window: int, *, now: float) -> int:
    """Count one event against `name` in the window of `window` seconds holding `now`; the number
    counted in that window so far, this one included."""
    number = window_of(window, now)
    key = f"{name}:{window}:{number}"
    if settings.REDIS_URL:
        try:
            return _hit_redis(key, window)
        except RedisError:
            logger.warning("Redis does not answer: %s is counted in the database.", name)
    return _hit_database(key, (number + 1) * window)


def forget_ended_windows(*, now: float) -> int:
    """Delete the database counters whose window has ended; how many went."""
    deleted, _by_model = WindowCounter.objects.filter(ends_at__lte=int(now)).delete()
    return deleted
