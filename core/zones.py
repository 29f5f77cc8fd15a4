"""Time zone names people may choose, read from the IANA database once per process."""

from functools import cache
from zoneinfo import available_timezones


@cache
def zone_names() -> tuple[str, ...]:
    """Sorted; zoneinfo walks the tz database on every call to available_timezones()."""
    return tuple(sorted(available_timezones()))


def is_zone_name(value: str) -> bool:
    return value in _zone_set()


@cache
def _zone_set() -> frozenset[str]:
    return frozenset(zone_names())
