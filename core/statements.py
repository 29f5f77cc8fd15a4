"""A bound on how long one SQL statement of a web request may run on PostgreSQL.

A page or an API call that runs for minutes holds a worker thread and a connection while the
person has long given up; one pathological query (a report over ten million rows with a filter
no index serves) should fail alone instead of starving everyone. The worker's jobs (rescoring,
imports, the nightly sweeps) legitimately run long, so the bound is set only by the web entry
points (config/wsgi.py, config/asgi.py), never in settings that the worker shares.

Also which database errors mean that the server is not there at all (stopped, restarting,
unreachable), which a web request answers with a 503 rather than a 500 (core.middleware).
"""

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.db.backends.signals import connection_created

# PostgreSQL's SQLSTATE for "canceling statement due to statement timeout".
QUERY_CANCELED = "57014"
# SQLSTATEs of a server that is gone or going: connection exceptions (class 08) and a shutdown
# or start in progress (57P01 admin shutdown, e.g. `pg_ctl stop -m fast`; 57P02 crash shutdown;
# 57P03 cannot connect now).
CONNECTION_GONE = ("08", "57P01", "57P02", "57P03")


def bound_web_statements() -> None:
    """Every new PostgreSQL connection of this process gets WEB_STATEMENT_TIMEOUT_MS (0: none)."""
    connection_created.connect(set_statement_timeout, dispatch_uid="core-web-statement-timeout")


def set_statement_timeout(sender, connection, **kwargs) -> None:
    timeout = settings.WEB_STATEMENT_TIMEOUT_MS
    if connection.vendor != "postgresql" or not timeout:
        return
    with connection.cursor() as cursor:
        # SET does not take bind parameters; the value is an int from settings.
        cursor.execute(f"SET statement_timeout = {int(timeout)}")


def is_statement_timeout(exception: BaseException) -> bool:
    cause = getattr(exception, "__cause__", None)
    return getattr(cause, "sqlstate", None) == QUERY_CANCELED


def is_connection_lost(exception: BaseException) -> bool:
    """Whether PostgreSQL could not be reached or dropped the connection. psycopg says so with
    one of CONNECTION_GONE, or with no SQLSTATE at all when the server never answered (refused,
    closed mid-way). Errors from SQLite carry no SQLSTATE and are never taken for this."""
    if not isinstance(exception, (OperationalError, InterfaceError)):
        return False
    cause = exception.__cause__
    if not hasattr(cause, "sqlstate"):
        return False
    return cause.sqlstate is None or cause.sqlstate.startswith(CONNECTION_GONE)
