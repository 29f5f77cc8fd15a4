"""Reports read from a replica when there is one: the `reports` database alias.

With REPORTS_DATABASE_URL set (a streaming replica of the primary), config.settings adds a
`reports` alias and REPORTS_DATABASE names it; unset, REPORTS_DATABASE is "default" and every
read stays on the primary. A report's entry point runs inside `reading_reports()` (or is
decorated with `@report_reads`): while it runs, ReportsRouter sends the ORM's reads to
REPORTS_DATABASE, and raw SQL asks `report_connection()` for its cursor. Writes always go to the
primary: the router names no database for them.

A replica lags the primary by its replay delay (usually under a second), so a report may miss
what was written a moment ago; pages that must show a person's own last change read the primary.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPORTS_ALIAS = "reports"
_reading_reports: ContextVar[bool] = ContextVar("reading_reports", default=False)


def reports_database() -> str:
    return settings.REPORTS_DATABASE


@contextmanager
def reading_reports() -> Iterator[None]:
    token = _reading_reports.set(True)
    try:
        yield
    finally:
        _reading_reports.reset(token)


def report_reads(function):
    """Run a report's entry point with its reads on REPORTS_DATABASE."""

    @wraps(function)
    def reading(*args, **kwargs):
        with reading_reports():
            return function(*args, **kwargs)

    return reading


def report_connection():
    """The connection a report's raw SQL runs on (the primary outside a report)."""
    return connections[reports_database() if _reading_reports.get() else DEFAULT_DB_ALIAS]


class ReportsRouter:
    """Reads inside `reading_reports()` go to REPORTS_DATABASE; nothing else is routed. The
    replica is never migrated: it replays the primary's schema."""

    def db_for_read(self, model, **hints):
        return reports_database() if _reading_reports.get() else None

    def db_for_write(self, model, **hints):
        return None

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database seen twice: rows read from either may be related

    def allow_migrate(self, db, app_label, **hints):
        return False if db == REPORTS_ALIAS else None
