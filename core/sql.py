"""Filters over thousands of ids that stay cheap to send."""

from collections.abc import Iterable

from django.db import connection
from django.db.models.expressions import RawSQL


def in_values(values: Iterable, *, db_type: str = "bigint"):
    """A right-hand side for `__in` with many values.

    On PostgreSQL the values travel as one array parameter (`IN (SELECT unnest(%s))`) instead of
    one placeholder each, which psycopg would otherwise parse out of a query tens of kilobytes
    long; SQLite takes the plain list.
    """
    values = list(values)
    if connection.vendor == "postgresql":
        return RawSQL(f"SELECT unnest(%s::{db_type}[])", (values,))  # nosec B611
    return values
