"""The activity table partitioned by month, on PostgreSQL (docs/scaling.md).

`partition_activities` turns `leads_activity` into a table partitioned by range on
`occurred_at`: one partition a month (`leads_activity_2026_11` holds [2026-11-01, 2026-12-01)
in UTC) for every month that has rows and for this month and the next MONTHS_AHEAD, and a
default partition for rows outside them (an event dated years back by a CRM import, or one
dated past the prepared months). It runs in one transaction that holds the table's lock, so no
event is written while the rows move; the table, its indexes, constraints and id sequence keep
their names. `prepare_partitions` (daily, leads.tasks) adds the coming months.

What stays as it was: the columns; every index except the primary key, which must include the
partition key and becomes (id, occurred_at); the check and foreign-key constraints (a foreign
key *from* a partitioned table is allowed). A foreign key *to* activities would have to name
(id, occurred_at); none exists, and the command refuses to run if one is added. Event keys live
in their own table (leads.ActivityKey) for the same reason. SQLite has no partitioning: both do
nothing there.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.db import connection, transaction
from django.utils.translation import gettext as _

from leads.models import Activity

MONTHS_AHEAD = 3
TABLE = Activity._meta.db_table
DEFAULT_PARTITION = f"{TABLE}_default"
ID_SEQUENCE = f"{TABLE}_id_seq"


class PartitioningRefused(Exception):
    """The table holds something a partitioned table cannot keep; nothing was changed."""


@dataclass(frozen=True)
class Partitioned:
    months: list[str]  # partitions created now
    rows: int  # rows moved (0 when the table was partitioned already)
    already: bool


def available() -> bool:
    return connection.vendor == "postgresql"


def is_partitioned() -> bool:
    if not available():
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE oid = to_regclass(%s)", [TABLE])
        row = cursor.fetchone()
    return row is not None and row[0] == "p"


def month_of(moment: datetime | date) -> date:
    return date(moment.year, moment.month, 1)


def next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def months_ahead(today: date) -> list[date]:
    """This month and the MONTHS_AHEAD after it."""
    months = [month_of(today)]
    for _month in range(MONTHS_AHEAD):
        months.append(next_month(months[-1]))
    return months


def partition_name(month: date) -> str:
    return f"{TABLE}_{month:%Y_%m}"


def _bounds(month: date) -> tuple[datetime, datetime]:
    start = datetime(month.year, month.month, 1, tzinfo=UTC)
    end = next_month(month)
    return start, datetime(end.year, end.month, 1, tzinfo=UTC)


def _exists(cursor, name: str) -> bool:
    cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [name])
    return cursor.fetchone()[0]


def _add_month(cursor, month: date) -> bool:
    """The month's partition, with the rows the default partition took for it in the meantime
    (an event dated ahead of the prepared months); False when it was there already."""
    name = partition_name(month)
    if _exists(cursor, name):
        return False
    start, end = _bounds(month)
    quote = connection.ops.quote_name
    cursor.execute(
        f"CREATE TABLE {quote(name)} (LIKE {quote(TABLE)} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)"  # nosec B608
    )
    cursor.execute(
        f"WITH moved AS (DELETE FROM {quote(DEFAULT_PARTITION)} "  # nosec B608
        "WHERE occurred_at >= %s AND occurred_at < %s RETURNING *) "
        f"INSERT INTO {quote(name)} SELECT * FROM moved",
        [start, end],
    )
    cursor.execute(
        f"ALTER TABLE {quote(TABLE)} ATTACH PARTITION {quote(name)} FOR VALUES FROM (%s) TO (%s)",
        [start, end],
    )
    return True


def prepare_partitions(*, today: date) -> list[str]:
    """Create the partitions of this month and the next MONTHS_AHEAD that are missing; their
    names. Nothing unless the table is partitioned, so it is safe to schedule everywhere."""
    if not is_partitioned():
        return []
    with transaction.atomic(), connection.cursor() as cursor:
        return [partition_name(m) for m in months_ahead(today) if _add_month(cursor, m)]


def partition_activities(*, today: date) -> Partitioned:
    """Turn the activity table into one partitioned by month (see the module's docstring), or,
    when it is already, prepare the coming months. Raises PartitioningRefused before changing
    anything if the table is referenced by a foreign key or has a unique index."""
    if not available():
        raise PartitioningRefused(_("Partitioning needs PostgreSQL; SQLite keeps one table."))
    if is_partitioned():
        return Partitioned(prepare_partitions(today=today), 0, already=True)
    quote = connection.ops.quote_name
    table = quote(TABLE)
    staged = quote(f"{TABLE}_by_month")
    with transaction.atomic(), connection.cursor() as cursor:
        # Ingest and every other writer wait here until the new table is in place.
        cursor.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")
        _refuse_what_cannot_move(cursor)
        indexes, foreign_keys = _definitions(cursor)
        cursor.execute(
            "SELECT DISTINCT date_trunc('month', occurred_at AT TIME ZONE 'UTC')::date "
            f"FROM {table}"  # nosec B608
        )
        months = sorted({month for (month,) in cursor.fetchall()} | set(months_ahead(today)))
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [TABLE])
        (old_sequence,) = cursor.fetchone()
        cursor.execute(f"SELECT last_value, is_called FROM {old_sequence}")  # nosec B608
        last_value, is_called = cursor.fetchone()

        cursor.execute(
            f"CREATE TABLE {staged} (LIKE {table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS) "
            "PARTITION BY RANGE (occurred_at)"
        )
        cursor.execute(f"CREATE TABLE {quote(DEFAULT_PARTITION)} PARTITION OF {staged} DEFAULT")
        for month in months:
            start, end = _bounds(month)
            cursor.execute(
                f"CREATE TABLE {quote(partition_name(month))} PARTITION OF {staged} "
                "FOR VALUES FROM (%s) TO (%s)",
                [start, end],
            )
        cursor.execute(f"INSERT INTO {staged} SELECT * FROM {table}")  # nosec B608
        rows = cursor.rowcount
        # The old table takes its identity sequence along; the new one gets one by the same
        # name, where the old left off, so ids keep growing from one sequence for all months.
        # Foreign keys checked at commit (Django's are deferred) are checked now, or the table
        # they wait on could not be dropped; as before afterwards.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"DROP TABLE {table}")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        cursor.execute(f"ALTER TABLE {staged} RENAME TO {table}")
        cursor.execute(f"CREATE SEQUENCE {quote(ID_SEQUENCE)} OWNED BY {table}.id")
        cursor.execute("SELECT setval(%s, %s, %s)", [ID_SEQUENCE, last_value, is_called])
        cursor.execute(
            f"ALTER TABLE {table} ALTER COLUMN id SET DEFAULT nextval(%s::regclass)",
            [ID_SEQUENCE],
        )
        cursor.execute(
            f"ALTER TABLE {table} ADD CONSTRAINT {quote(TABLE + '_pkey')} "
            "PRIMARY KEY (id, occurred_at)"
        )
        for definition in indexes:
            cursor.execute(definition)
        for name, definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} {definition}")
        cursor.execute(f"ANALYZE {table}")
    return Partitioned([partition_name(m) for m in months], rows, already=False)


def _refuse_what_cannot_move(cursor) -> None:
    cursor.execute(
        "SELECT conrelid::regclass::text, conname FROM pg_constraint "
        "WHERE contype = 'f' AND confrelid = to_regclass(%s)",
        [TABLE],
    )
    references = [f"{table}.{name}" for table, name in cursor.fetchall()]
    if references:
        raise PartitioningRefused(
            _(
                "These foreign keys point to %(table)s; a partitioned table can only be "
                "referenced by (id, occurred_at): %(references)s."
            )
            % {"table": TABLE, "references": ", ".join(references)}
        )
    cursor.execute(
        "SELECT indexrelid::regclass::text FROM pg_index "
        "WHERE indrelid = to_regclass(%s) AND indisunique AND NOT indisprimary",
        [TABLE],
    )
    unique = [name for (name,) in cursor.fetchall()]
    if unique:
        raise PartitioningRefused(
            _("Unique indexes on a partitioned table must include occurred_at: %(indexes)s.")
            % {"indexes": ", ".join(unique)}
        )


def _definitions(cursor) -> tuple[list[str], list[tuple[str, str]]]:
    """The table's indexes (its primary key aside) and its foreign keys, as SQL to recreate
    them on the partitioned table by the same names."""
    cursor.execute(
        "SELECT pg_get_indexdef(indexrelid) FROM pg_index "
        "WHERE indrelid = to_regclass(%s) AND NOT indisprimary ORDER BY indexrelid",
        [TABLE],
    )
    indexes = [definition for (definition,) in cursor.fetchall()]
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE contype = 'f' AND conrelid = to_regclass(%s) ORDER BY conname",
        [TABLE],
    )
    return indexes, cursor.fetchall()
