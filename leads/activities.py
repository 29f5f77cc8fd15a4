"""Storing events from other systems as activities, each once per source.

An event's key is `(source, external_id)`; ActivityKey holds each key once and the activity is
written only with a key that was new. Both go in the same set-based write, so the activity table
needs no unique index of its own and may be partitioned by month (leads.partitions). On
PostgreSQL one statement inserts the keys with ON CONFLICT DO NOTHING and the activities of the
keys it admitted; on SQLite (whose writers take turns under IMMEDIATE transactions) the known
keys are read first and the rest inserted with bulk_create.
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple

import msgspec
from django.db import connection, transaction

from leads.models import Activity, ActivityKey
from leads.services import postgresql_cursor

CHUNK = 5000


class NewActivity(NamedTuple):
    """An activity to store; its external id is its key within the call's source."""

    lead_id: int
    kind: str
    occurred_at: datetime
    channel_id: int | None
    properties: dict[str, Any]
    external_id: str


def store_activities(rows: Sequence[NewActivity], *, source: str, now: datetime) -> set[str]:
    """Store the rows whose key `source` has not sent before; the external ids stored.

    The external ids are distinct within a call (the caller reports repeats in its batch).
    One statement on PostgreSQL; on SQLite one query per 5,000 keys and the inserts.
    """
    rows = sorted(rows, key=lambda row: row.external_id)  # one lock order for every batch
    if not rows:
        return set()
    if connection.vendor == "postgresql":
        return _store_postgresql(rows, source=source, now=now)
    return _store_portable(rows, source=source)


INSERT_SQL = """
WITH item AS MATERIALIZED (
    SELECT * FROM unnest(%b::bigint[], %b::varchar[], %b::timestamptz[], %b::bigint[],
                         %b::text[], %b::varchar[])
         AS item(lead_id, kind, occurred_at, channel_id, properties, external_id)
), admitted AS (
    INSERT INTO {key_table} (source, external_id)
    SELECT %b, item.external_id FROM item
    ON CONFLICT (source, external_id) DO NOTHING
    RETURNING external_id
)
INSERT INTO {table} (lead_id, kind, occurred_at, channel_id, properties, source, external_id,
                     created_at)
SELECT item.lead_id, item.kind, item.occurred_at, item.channel_id, item.properties::jsonb,
       %b, item.external_id, %b
FROM item JOIN admitted USING (external_id)
RETURNING external_id
"""


def _store_postgresql(rows: list[NewActivity], *, source: str, now: datetime) -> set[str]:
    encode = msgspec.json.encode
    columns = (
        [row.lead_id for row in rows],
        [row.kind for row in rows],
        [row.occurred_at for row in rows],
        [row.channel_id for row in rows],
        [encode(row.properties).decode() for row in rows],
        [row.external_id for row in rows],
    )
    sql = INSERT_SQL.format(table=Activity._meta.db_table, key_table=ActivityKey._meta.db_table)
    with postgresql_cursor() as cursor:
        cursor.execute(sql, [*columns, source, source, now])
        return {external_id for (external_id,) in cursor.fetchall()}


def _store_portable(rows: list[NewActivity], *, source: str) -> set[str]:
    """For SQLite: the transaction holds the write lock, so a key not there yet is ours."""
    with transaction.atomic(savepoint=False):
        return _store_new(rows, source=source)


def _store_new(rows: list[NewActivity], *, source: str) -> set[str]:
    external_ids = [row.external_id for row in rows]
    known = set()
    for start in range(0, len(external_ids), CHUNK):
        chunk = external_ids[start : start + CHUNK]
        known.update(
            ActivityKey.objects.filter(source=source, external_id__in=chunk).values_list(
                "external_id", flat=True
            )
        )
    new = [row for row in rows if row.external_id not in known]
    ActivityKey.objects.bulk_create(
        ActivityKey(source=source, external_id=row.external_id) for row in new
    )
    Activity.objects.bulk_create(
        Activity(
            lead_id=row.lead_id,
            kind=row.kind,
            occurred_at=row.occurred_at,
            channel_id=row.channel_id,
            properties=row.properties,
            source=source,
            external_id=row.external_id,
        )
        for row in new
    )
    return {row.external_id for row in new}
