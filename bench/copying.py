"""Writing the data set fast: rows streamed with COPY on PostgreSQL (executemany on SQLite),
loaded without foreign keys and secondary indexes, ids and sequences kept in step."""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime

from django.db import connection


class Table:
    """Rows for one table, streamed to the database in chunks (COPY on PostgreSQL)."""

    def __init__(self, table: str, columns: Sequence[str], *, chunk: int | None = 50_000):
        """Rows are written every `chunk` rows, or only at `flush()` when chunk is None."""
        self.table, self.columns, self.chunk = table, columns, chunk
        self.rows, self.written = [], 0
        self.postgres = connection.vendor == "postgresql"

    def add(self, *row) -> None:
        self.rows.append(row)
        if self.chunk and len(self.rows) >= self.chunk:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        columns = ", ".join(self.columns)
        with connection.cursor() as cursor:
            if self.postgres:
                buffer = io.StringIO()
                buffer.writelines("\t".join(map(_copy_text, row)) + "\n" for row in self.rows)
                with cursor.cursor.copy(f"COPY {self.table} ({columns}) FROM STDIN") as copy:
                    copy.write(buffer.getvalue())
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                cursor.executemany(
                    f"INSERT INTO {self.table} ({columns}) VALUES ({marks})",  # nosec B608
                    [tuple(map(_sqlite_value, row)) for row in self.rows],
                )
        self.written += len(self.rows)
        self.rows = []


class Json(str):
    """A value already serialized to JSON (the generator reuses a few hundred distinct ones)."""

    @classmethod
    def of(cls, value) -> Json:
        return cls(json.dumps(value, ensure_ascii=False))


def _escape(text: str) -> str:
    if "\\" in text or "\t" in text or "\n" in text:
        return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
    return text


# COPY's text format, by the value's exact type (a dict lookup beats a chain of isinstance).
_COPY_TEXT = {
    type(None): lambda value: "\\N",
    str: _escape,
    Json: _escape,
    int: str,
    float: str,
    bool: lambda value: "t" if value else "f",
    datetime: datetime.isoformat,
    dict: lambda value: _escape(json.dumps(value, ensure_ascii=False)),
    list: lambda value: _escape(json.dumps(value, ensure_ascii=False)),
}


def _copy_text(value) -> str:
    format_text = _COPY_TEXT.get(type(value))
    # Anything else is a str subclass here: the TextChoices of kinds and stages.
    return format_text(value) if format_text else _escape(str(value))


def _sqlite_value(value):
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value


def next_id(model) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {model._meta.db_table}")  # nosec B608
        return cursor.fetchone()[0] + 1


def reset_sequences(models: Iterable) -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"  # nosec B608
            )


@contextmanager
def bulk_load(tables: list[str]):
    """On PostgreSQL, load without the tables' foreign keys and secondary indexes, then put them
    back: one validating join and one sorted index build each, instead of a deferred check and an
    index insertion per row (the data set's millions of rows would otherwise take several times
    longer). Inside the caller's transaction, so a failure leaves the schema as it was."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        # Rows written earlier in this transaction have deferred checks pending, and a table
        # with pending checks cannot be altered: run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            "SELECT con.conrelid::regclass::text, con.conname, pg_get_constraintdef(con.oid) "
            "FROM pg_constraint con WHERE con.contype = 'f' "
            "AND con.conrelid::regclass::text = ANY(%s)",
            [tables],
        )
        foreign_keys = cursor.fetchall()
        cursor.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i "
            "WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s) "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conname = i.indexname)",
            [tables],
        )
        indexes = cursor.fetchall()
        for table, name, _definition in foreign_keys:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        for _name, definition in indexes:
            cursor.execute(definition)
        for table, name, definition in foreign_keys:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
