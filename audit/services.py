"""Recording the audit trail: the services that change what it covers call these in their own
transaction, so a change and its rows land together or not at all.

One row per changed field (`record_changes`), one row for an event without fields (`record`),
and many objects' rows in one INSERT (`record_many`, for set-based lead writes). Values are stored
as JSON: a related row by its name (so the trail stays readable after it is renamed or deleted),
dates, times and decimals as text. A set-based writer that creates many objects at once folds
their "created" rows into its own INSERT on PostgreSQL (`created_rows_sql`).
"""

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.db import connection, models
from django.utils import timezone

from audit.models import Action, AuditEntry, Source

# Fields no audit row ever holds, whatever model they are on: secrets and key digests.
NEVER_RECORDED = frozenset({"secret", "digest", "password"})


@dataclass(frozen=True, slots=True)
class Entry:
    """One object's part of an action: its label, and its changed fields (field -> (before,
    after)) or none for an event such as "created" or "signed"."""

    object_type: str
    object_id: int
    object_label: str = ""
    action: str = Action.CHANGED
    changes: Mapping[str, tuple[Any, Any]] = field(default_factory=dict)
    after: Any = None


def plain(value):
    """`value` as the JSON an audit row stores: related rows by name, dates and decimals as
    text, lists and dicts inside."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(item) for item in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)  # a value object such as a country (its code)


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict:
    """The values of `fields` on `instance`, as plain values, to diff after a change."""
    return {name: plain(getattr(instance, name)) for name in fields if name not in NEVER_RECORDED}


def recorded_fields(model: type[models.Model], *, exclude: Iterable[str] = ()) -> list[str]:
    """The fields people set on `model`: concrete, editable, not the key, not a timestamp Django
    keeps, never a secret."""
    left_out = {*exclude, *NEVER_RECORDED}
    return [
        field.name
        for field in model._meta.concrete_fields
        if field.editable
        and not field.primary_key
        and not getattr(field, "auto_now", False)
        and not getattr(field, "auto_now_add", False)
        and field.name not in left_out
    ]


def stored(instance: models.Model, fields: Iterable[str]) -> dict | None:
    """A snapshot of `instance` as the database holds it (None when it is not saved yet): what
    a form has already changed on the instance is not in it. One query."""
    if instance.pk is None:
        return None
    row = type(instance)._base_manager.filter(pk=instance.pk).first()
    return None if row is None else snapshot(row, fields)


def diff(before: Mapping, after: Mapping) -> dict[str, tuple[Any, Any]]:
    """Field -> (before, after) for each field whose value differs (a field missing on one side
    is None there)."""
    return {
        name: (before.get(name), after.get(name))
        for name in dict.fromkeys([*before, *after])
        if name not in NEVER_RECORDED and before.get(name) != after.get(name)
    }


def label_of(model: type[models.Model] | models.Model) -> str:
    return model._meta.label_lower


def entry_for(instance: models.Model, **kwargs) -> Entry:
    return Entry(label_of(instance), instance.pk, str(instance)[:300], **kwargs)


def _source(actor, source: str | None) -> str:
    if source is not None:
        return source
    return Source.BROWSER if actor is not None else Source.SYSTEM


@dataclass(frozen=True, slots=True)
class ChangeSet:
    """Who acted, by which door and when: what every row one action writes shares, with the
    change set's id."""

    at: datetime
    actor: Any
    source: str
    id: uuid.UUID

    @classmethod
    def start(cls, *, actor=None, source: str | None = None, at=None) -> "ChangeSet":
        """`actor` None is Accord itself (a task, a web form); `source` defaults to the browser
        when someone acted, else the system."""
        return cls(at or timezone.now(), actor, _source(actor, source), uuid.uuid4())

    def columns(self) -> dict:
        return {
            "at": self.at,
            "actor": self.actor,
            "actor_label": str(self.actor)[:300] if self.actor is not None else "",
            "source": self.source,
            "change_set": self.id,
        }


def _rows(entry: Entry, common: dict) -> Iterable[AuditEntry]:
    shared = {
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "object_label": entry.object_label[:300],
        "action": entry.action,
        **common,
    }
    if not entry.changes:
        yield AuditEntry(after=plain(entry.after), **shared)
        return
    for name, (before, after) in entry.changes.items():
        if name not in NEVER_RECORDED:
            yield AuditEntry(field=name, before=plain(before), after=plain(after), **shared)


def record_many(
    entries: Iterable[Entry], *, actor=None, source: str | None = None, at=None
) -> uuid.UUID:
    """Write the rows of every entry with one INSERT (a batch of them on SQLite), as one change
    set; the caller's transaction holds them. `actor` None is Accord itself (a task, a web form);
    `source` defaults to the browser when someone acted, else the system."""
    change_set = ChangeSet.start(actor=actor, source=source, at=at)
    record_in(change_set, entries)
    return change_set.id


def record_in(change_set: ChangeSet, entries: Iterable[Entry]) -> None:
    """Write the rows of every entry as part of `change_set` (one INSERT, a batch of them on
    SQLite)."""
    common = change_set.columns()
    rows = [row for entry in entries for row in _rows(entry, common)]
    if rows:
        AuditEntry.objects.bulk_create(rows, batch_size=2000)


# The columns of a "created" row that `created_rows_sql` fills, and how each is read.
_CREATED_COLUMNS = {
    "at": "timestamptz",
    "actor_id": "bigint",
    "actor_label": "text",
    "source": "text",
    "object_type": "text",
    "action": "text",
    "field": "text",
    "change_set": "uuid",
    "redacted": "boolean",
}


def created_rows_sql(
    change_set: ChangeSet, model: type[models.Model], created: str
) -> tuple[str, list]:
    """PostgreSQL: an INSERT of the "created" row of each object `created` names (a query, or a
    common table expression, with columns `object_id` and `object_label`), for a set-based
    writer to run in the same statement that inserts the objects. The rows are those
    `record_in(change_set, [Entry(label, id, label, Action.CREATED)])` writes
    (tests/audit/test_created_rows.py); its parameters are bound on the server (`%b`)."""
    common = change_set.columns()
    values = {
        "at": common["at"],
        "actor_id": common["actor"].pk if common["actor"] is not None else None,
        "actor_label": common["actor_label"],
        "source": common["source"],
        "object_type": label_of(model),
        "action": Action.CREATED.value,
        "field": "",
        "change_set": common["change_set"],
        "redacted": False,
    }
    quote = connection.ops.quote_name
    columns = [*_CREATED_COLUMNS, "object_id", "object_label"]
    reads = [f"%b::{kind}" for kind in _CREATED_COLUMNS.values()]
    sql = (
        f"INSERT INTO {quote(AuditEntry._meta.db_table)} ({', '.join(map(quote, columns))}) "
        f"SELECT {', '.join(reads)}, object_id, left(object_label, 300) FROM {created}"  # nosec B608
    )
    return sql, list(values.values())


def record(instance: models.Model, action: str, *, actor=None, source=None, after=None, at=None):
    """One row for an event of `instance` that changes no field one by one (signed, issued, ...),
    with an optional value to show (e.g. the side that signed)."""
    return record_many(
        [entry_for(instance, action=action, after=after)], actor=actor, source=source, at=at
    )


def record_changes(
    instance: models.Model,
    before: Mapping,
    after: Mapping,
    *,
    actor=None,
    source=None,
    action: str = Action.CHANGED,
    at=None,
):
    """A row per field that differs between two snapshots of `instance`; nothing when none do.
    A creation (`before` empty) is recorded with its values as one row per field too, so the
    trail shows what the object started as."""
    changes = diff(before, after)
    if not changes:
        return None
    return record_many(
        [entry_for(instance, action=action, changes=changes)], actor=actor, source=source, at=at
    )


def history_of(model: type[models.Model], object_id: int):
    """One object's rows, newest first."""
    return AuditEntry.objects.filter(object_type=label_of(model), object_id=object_id).order_by(
        "-at", "-id"
    )


def record_saved(
    instance: models.Model, before: Mapping | None, fields: Iterable[str], *, actor, source=None
):
    """After `instance` was saved: its fields' changes since `before` (a snapshot taken before
    the change), or, with `before` None, its creation with the values it was created with."""
    return record_snapshots(
        instance, before, snapshot(instance, fields), actor=actor, source=source
    )


def record_snapshots(
    instance: models.Model, before: Mapping | None, after: Mapping, *, actor, source=None
):
    """As record_saved, from two snapshots the caller took (of more than the row's fields)."""
    action = Action.CREATED if before is None else Action.CHANGED
    return record_changes(instance, before or {}, after, actor=actor, source=source, action=action)


def redact(model: type[models.Model], object_id: int, *, label: str) -> int:
    """Forget the values recorded about one object whose personal data was erased: before, after
    and its name go; who changed which field, when and by which door stays. The one sanctioned
    rewrite of the trail (the PostgreSQL trigger admits it, once per row); how many rows."""
    return AuditEntry._base_manager.filter(
        object_type=label_of(model), object_id=object_id, redacted=False
    ).update(before=None, after=None, object_label=label, redacted=True)
