"""Writes of leads: upsert by email, one at a time or set-based, and edits.

The API, the CSV import and web-form capture all come through here, so a lead is validated,
normalized and rescored the same way whichever door it came in by. Input is a plain dict of raw
values (JSON from the API, strings from a CSV row); problems are reported per field, keyed by the
field's name, and nothing is written for a row that has any.

Many leads at once (an import batch, an API list) are written set-based rather than through the
ORM's per-object preparation, which dominated an import: on PostgreSQL one INSERT ... SELECT FROM
unnest(...) for the new leads (which also writes their "created" audit rows) and one UPDATE ...
FROM unnest(...) per set of changed fields, on SQLite one executemany of each. The values
Lead.save() would derive (the normalized email, the search text, the timestamps, the defaults)
are computed here the same way.
"""

import dataclasses
import json
import math
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime

import psycopg
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.db.models import QuerySet
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.capabilities import may, require
from audit.models import Action, Source
from audit.services import (
    ChangeSet,
    Entry,
    created_rows_sql,
    label_of,
    record_changes,
    record_in,
)
from core.errors import ConflictError, PermissionDenied
from leads import hooks, suppression
from leads.countries import country_code
from leads.models import (
    OPEN_COMPANY_SIZE,
    Channel,
    Lead,
    LeadStatus,
    normalize_email,
    search_key,
)
from leads.names import display_name

TEXT_FIELDS = (
    "first_name",
    "middle_name",
    "last_name",
    "title",
    "organization",
    "phone",
    "industry",
    "city",
    "source_detail",
)
DICT_FIELDS = ("social_handles", "attributes")
UPSERT_FIELDS = (
    "email",
    *TEXT_FIELDS,
    "country",
    *DICT_FIELDS,
    "company_size",
    "company_size_max",
    "status",
    "channel",
)
WRITABLE_FIELDS = frozenset(UPSERT_FIELDS)
# Where the lead first came from is kept when a later upsert names another channel.
FIRST_TOUCH_FIELDS = ("channel", "source_detail")
# A field holding one of these is empty: a fill-only upsert may write it.
EMPTY_VALUES = ("", None)
# A field that is written with another and only when that one is: the upper end of a size range
# (null for an exact size) belongs to the size it completes.
WRITTEN_WITH = {"company_size_max": "company_size"}
# PositiveIntegerField's range on every database Accord runs on.
MAX_COMPANY_SIZE = OPEN_COMPANY_SIZE
MAX_JSON_DEPTH = 32
NOT_AN_OBJECT = gettext_lazy("Expected an object of lead fields.")
SUPPRESSED = gettext_lazy(
    "This address is on the suppression list (the person was erased or unsubscribed); "
    "it cannot be added again."
)
# How many emails one lookup names, well under SQLite's limit on query parameters.
LOOKUP_CHUNK = 5000


def text_problem(value: str) -> str | None:
    """Text a database cannot store (NUL, lone surrogates) is refused, not a server error."""
    if "\x00" in value:
        return _("Text may not contain NUL characters.")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return _("Text is not valid Unicode.")
    return None


def json_problem(value: object) -> str | None:
    """The first value in a JSON document that PostgreSQL's jsonb would refuse, or nesting past
    MAX_JSON_DEPTH (which no lead attribute or activity property needs)."""
    pending = [(value, 0)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, str):
            problem = text_problem(value)
            if problem:
                return problem
        elif isinstance(value, float) and not math.isfinite(value):
            return _("Numbers must be finite.")
        elif isinstance(value, Mapping | list | tuple):
            if depth >= MAX_JSON_DEPTH:
                return _("Nested more than %(max)d levels deep.") % {"max": MAX_JSON_DEPTH}
            items = [*value.keys(), *value.values()] if isinstance(value, Mapping) else value
            pending.extend((item, depth + 1) for item in items)
    return None


def _clean_text(field: str, value: object) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError(_("Must be text."))
    value = value.strip()
    max_length = Lead._meta.get_field(field).max_length
    if len(value) > max_length:
        raise ValidationError(
            _("At most %(max)d characters (this has %(length)d).")
            % {"max": max_length, "length": len(value)}
        )
    problem = text_problem(value)
    if problem:
        raise ValidationError(problem)
    return value


def _clean_email(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(_("An email address is required."))
    email = _clean_text("email", normalize_email(value))
    validate_email(email)
    return email


def _clean_company_size(value: object) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, str) and value.strip().isdecimal():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(_("Must be a whole number of employees."))
    if not 0 <= value <= MAX_COMPANY_SIZE:
        raise ValidationError(_("Must be between 0 and %(max)d.") % {"max": MAX_COMPANY_SIZE})
    return value


def _clean_country(value: object) -> str:
    """An ISO code or a country's name in any of Accord's languages, stored as the code."""
    if value is None or value == "":
        return ""
    if not isinstance(value, str):
        raise ValidationError(_("Must be text."))
    code = country_code(value)
    if code is None:
        raise ValidationError(
            _(
                "Unknown country “%(country)s”: give its ISO code (e.g. TH) or its name in "
                "English, Thai, Chinese, Russian or Arabic."
            )
            % {"country": value.strip()[:100]}
        )
    return code


def _clean_status(value: object) -> str:
    if value not in LeadStatus.values:
        raise ValidationError(
            _("Unknown status; use one of: %(choices)s.")
            % {"choices": ", ".join(LeadStatus.values)}
        )
    return value


def _clean_dict(value: object) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValidationError(_("Must be an object."))
    problem = json_problem(value)
    if problem:
        raise ValidationError(problem)
    return value


def _clean_channel(value: object, channels: Mapping[str, Channel]) -> Channel | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ValidationError(_("Must be a channel slug."))
    channel = channels.get(value.strip())
    if channel is None:
        raise ValidationError(_("Unknown channel “%(slug)s”.") % {"slug": value[:100]})
    return channel


def channels_named_in(rows: Iterable[Mapping]) -> dict[str, Channel]:
    """The channels the rows name, by slug, in one query."""
    slugs = {row["channel"].strip() for row in rows if isinstance(row.get("channel"), str)}
    return {channel.slug: channel for channel in Channel.objects.filter(slug__in=slugs)}


def clean_lead_data(
    data: object, *, channels: Mapping[str, Channel], partial: bool = False
) -> tuple[dict, dict[str, list[str]]]:
    """Raw input -> (values ready for a Lead, errors by field). Only the given keys are cleaned.

    `partial` (an edit) does not require the email. Keys that are not writable are errors, so a
    caller's typo or an attempt to set the stage here is not silently ignored.
    """
    if not isinstance(data, Mapping):
        return {}, {"non_field_errors": [str(NOT_AN_OBJECT)]}
    values: dict = {}
    errors: dict[str, list[str]] = {}
    if not partial and "email" not in data:
        errors["email"] = [_("An email address is required.")]
    for field, raw in data.items():
        try:
            if field == "email":
                values[field] = _clean_email(raw)
            elif field in TEXT_FIELDS:
                values[field] = _clean_text(field, raw)
            elif field in DICT_FIELDS:
                values[field] = _clean_dict(raw)
            elif field == "country":
                values[field] = _clean_country(raw)
            elif field in ("company_size", "company_size_max"):
                values[field] = _clean_company_size(raw)
            elif field == "status":
                values[field] = _clean_status(raw)
            elif field == "channel":
                values[field] = _clean_channel(raw, channels)
            else:
                raise ValidationError(_("Not a field that can be written; see the API schema."))
        except ValidationError as invalid:
            errors[str(field)[:100]] = invalid.messages
    if "company_size" in values or "company_size_max" in values:
        _clean_size_range(values, errors)
    return values, errors


def _clean_size_range(values: dict, errors: dict[str, list[str]]) -> None:
    """A size is exact (company_size alone; its upper end becomes null) or a range that
    company_size_max closes; `OPEN_COMPANY_SIZE` leaves it open ("10,000+")."""
    if "company_size_max" not in values:
        if "company_size" not in errors:
            values["company_size_max"] = None
        return
    if "company_size" not in values:
        if "company_size" not in errors:
            errors["company_size_max"] = [_("Give company_size, the lower end, with it.")]
        return
    low, high = values["company_size"], values["company_size_max"]
    if high is None or high == low:
        values["company_size_max"] = None
    elif low is None or high < low:
        errors["company_size_max"] = [_("Must be at least company_size, the lower end.")]


@dataclasses.dataclass(frozen=True, slots=True)
class RowOutcome:
    """What became of one input row: `created`, `updated`, `rejected` (with `errors`) or
    `suppressed` (its address is on the suppression list: nothing written)."""

    row: int
    status: str
    lead_id: int | None = None
    errors: dict[str, list[str]] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True, slots=True)
class BulkUpsertResult:
    outcomes: list[RowOutcome]

    def count(self, status: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.status == status)

    @property
    def lead_ids(self) -> list[int]:
        """The leads created or updated, each once."""
        return list(dict.fromkeys(o.lead_id for o in self.outcomes if o.lead_id is not None))


def _changes(current: Mapping, values: Mapping, *, upsert: bool, fill_only: bool = False) -> dict:
    """The fields of `values` that differ from the `current` ones, with their new values.

    An upsert merges the keys of the JSON fields (other systems may own other keys) and keeps the
    first-touch channel; an edit replaces what it names. A fill-only upsert (an unauthenticated
    source) writes only fields, and JSON keys, the lead does not have yet.
    """
    changes = {}
    for field, value in values.items():
        if upsert and field in DICT_FIELDS:
            value = {**value, **current[field]} if fill_only else {**current[field], **value}
        elif fill_only and current[WRITTEN_WITH.get(field, field)] not in EMPTY_VALUES:
            continue
        if upsert and field in FIRST_TOUCH_FIELDS and current[field]:
            continue
        if value != current[field]:
            changes[field] = value
    return changes


def _search_text(lead: Mapping) -> str:
    """Lead.search_text, from a lead's values, as Lead.save() derives it."""
    return search_key(
        lead["first_name"],
        lead["middle_name"],
        lead["last_name"],
        lead["email"],
        lead["organization"],
        lead["title"],
    )


def _by_email(emails: Iterable[str]) -> Iterator[QuerySet]:
    """Leads with these (normalized) emails, a chunk at a time, through the lower(email) index."""
    emails = list(emails)
    for start in range(0, len(emails), LOOKUP_CHUNK):
        chunk = emails[start : start + LOOKUP_CHUNK]
        yield Lead.objects.alias(email_key=Lower("email")).filter(email_key__in=chunk)


def leads_by_email(emails: Iterable[str]) -> dict[str, Lead]:
    """Leads with these (normalized) emails, by email."""
    return {lead.email: lead for query in _by_email(emails) for lead in query}


def _stored_values(emails: Iterable[str]) -> dict[str, dict]:
    """The id and writable fields (the channel as its id) of the leads with these emails."""
    return {
        lead["email"]: lead
        for query in _by_email(emails)
        for lead in query.values("id", *UPSERT_FIELDS)
    }


# A new lead gets these where its row is silent, as Lead(**values) would.
NEW_LEAD = {field: Lead._meta.get_field(field).get_default() for field in UPSERT_FIELDS}
# Written from each new lead's values; every other column is shared by the whole batch.
ROW_FIELDS = (*UPSERT_FIELDS, "search_text")


def _row_values(lead: Mapping, fields: Iterable[str]) -> list:
    """The lead's values for these columns, in the form both databases take from parameters."""
    return [_json(lead[field]) if field in DICT_FIELDS else lead[field] for field in fields]


def _json(value: dict) -> str:
    # Most leads have no social handles or attributes: no encoder for those.
    return json.dumps(value) if value else "{}"


def _shared_columns(now: datetime) -> dict:
    """Lead's other columns (field -> value) for new leads: the defaults, and `now` for the
    automatic timestamps, ready for the database as the ORM would send them."""
    values = {}
    for field in Lead._meta.concrete_fields:
        if field.primary_key or field.name in ROW_FIELDS:
            continue
        automatic = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        value = now if automatic else field.get_default()
        values[field] = field.get_db_prep_save(value, connection)
    return values


@contextmanager
def postgresql_cursor() -> Iterator[psycopg.Cursor]:
    """A cursor that binds parameters on the server, so the arrays travel as data rather than
    SQL text (Django's own cursors interpolate them); errors are raised as Django's all the same."""
    connection.ensure_connection()
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        yield cursor


def _unnest(fields: list) -> tuple[str, list[str]]:
    """`unnest(...) AS item(...)` over one array per field, and what reads each as its column
    (JSON travels as text)."""
    arrays = ", ".join(
        "%b::text[]" if field.name in DICT_FIELDS else f"%b::{field.db_type(connection)}[]"
        for field in fields
    )
    names = ", ".join(field.column for field in fields)
    reads = [
        f"item.{field.column}::jsonb" if field.name in DICT_FIELDS else f"item.{field.column}"
        for field in fields
    ]
    return f"unnest({arrays}) AS item({names})", reads


def _insert_leads(leads: list[dict], change_set: ChangeSet) -> dict[str, int]:
    """Insert new leads (values by field name) with their "created" audit rows; their ids by
    email. On PostgreSQL the audit rows are written by the same statement, from the ids it
    returns."""
    if not leads:
        return {}
    shared = _shared_columns(timezone.now())
    fields = [Lead._meta.get_field(name) for name in ROW_FIELDS]
    rows = [_row_values({**lead, "search_text": _search_text(lead)}, ROW_FIELDS) for lead in leads]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in [*fields, *shared])
    table = connection.ops.quote_name(Lead._meta.db_table)
    if connection.vendor == "postgresql":
        labels = [_lead_label(lead) for lead in leads]
        return _insert_postgresql(fields, shared, zip(rows, labels, strict=True), change_set)
    placeholders = ", ".join(["%s"] * (len(fields) + len(shared)))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({columns}) VALUES ({placeholders})",  # nosec B608
            [[*row, *shared.values()] for row in rows],
        )
    # The transaction holds SQLite's write lock, so these are the rows just inserted.
    created = {
        email: lead_id
        for query in _by_email(lead["email"] for lead in leads)
        for email, lead_id in query.values_list("email", "id")
    }
    record_in(change_set, [_created_entry(created[lead["email"]], lead) for lead in leads])
    return created


# Where a batch's new leads are copied before the INSERT that upserts them: a temporary table of
# the transaction's own, dropped at its commit, so no connection keeps one made by an older
# release's columns (a pooler's long-lived server connection) or between transactions.
NEW_LEADS = "accord_new_leads"


def _copied_type(field) -> str:
    # JSON travels as text and is read as jsonb by the INSERT.
    return "text" if field.name in DICT_FIELDS else field.db_type(connection)


def _insert_postgresql(fields: list, shared: dict, rows: Iterable, change_set: ChangeSet):
    """PostgreSQL: COPY the rows (their values, then the audit label) into the session's
    temporary table, then one INSERT ... SELECT ... ON CONFLICT DO NOTHING that also writes the
    "created" audit rows of the leads it inserted; their ids by email. COPY sends the rows in
    psycopg's C formatting, where arrays of parameters were dumped value by value in Python."""
    quote = connection.ops.quote_name
    table, email = quote(Lead._meta.db_table), quote(Lead._meta.get_field("email").column)
    declared = ", ".join(f"{quote(field.column)} {_copied_type(field)}" for field in fields)
    names = ", ".join(quote(field.column) for field in fields)
    reads = [
        f"{quote(field.column)}::jsonb" if field.name in DICT_FIELDS else quote(field.column)
        for field in fields
    ]
    reads += [f"%b::{field.db_type(connection)}" for field in shared]
    columns = ", ".join(quote(field.column) for field in [*fields, *shared])
    audit, audit_params = created_rows_sql(change_set, Lead, "created")
    insert = (
        f"WITH inserted AS (INSERT INTO {table} ({columns}) SELECT {', '.join(reads)} "
        f"FROM {NEW_LEADS} ORDER BY {email} ON CONFLICT (lower({email})) DO NOTHING "
        f"RETURNING {email}, id), "
        f"created AS (SELECT inserted.id AS object_id, item.audit_label AS object_label "
        f"FROM inserted JOIN {NEW_LEADS} AS item USING ({email})), "
        f"audit AS ({audit}) SELECT {email}, id FROM inserted"  # nosec B608
    )
    with postgresql_cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {NEW_LEADS} ({declared}, audit_label text) "
            "ON COMMIT DROP"
        )
        # An earlier batch in the same transaction left its rows.
        cursor.execute(f"DELETE FROM {NEW_LEADS}")  # nosec B608
        with cursor.copy(f"COPY {NEW_LEADS} ({names}, audit_label) FROM STDIN") as copy:
            for values, label in rows:
                copy.write_row((*values, label))
        cursor.execute(insert, list(shared.values()) + audit_params)
        return dict(cursor.fetchall())


def _update_leads(leads: list[dict], names: Iterable[str], now: datetime) -> None:
    """Write these fields, the search text and updated_at of known leads (values by field name)."""
    names = [*names, "search_text"]
    fields = [Lead._meta.get_field(name) for name in ["id", *names]]
    rows = [
        _row_values({**lead, "search_text": _search_text(lead)}, ["id", *names]) for lead in leads
    ]
    updated_at = Lead._meta.get_field("updated_at")
    stamp = updated_at.get_db_prep_save(now, connection)
    stamp_column = connection.ops.quote_name(updated_at.column)
    table = connection.ops.quote_name(Lead._meta.db_table)
    if connection.vendor == "postgresql":
        source, reads = _unnest(fields)
        assignments = ", ".join(
            f"{connection.ops.quote_name(field.column)} = {read}"
            for field, read in zip(fields[1:], reads[1:], strict=True)
        )
        sql = (
            f"UPDATE {table} AS lead SET {assignments}, {stamp_column} = %b "
            f"FROM {source} WHERE lead.id = item.id"  # nosec B608
        )
        with postgresql_cursor() as cursor:
            cursor.execute(sql, [stamp, *map(list, zip(*rows, strict=True))])
        return
    assignments = ", ".join(f"{connection.ops.quote_name(f.column)} = %s" for f in fields[1:])
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET {assignments}, {stamp_column} = %s WHERE id = %s",  # nosec B608
            [[*row[1:], stamp, row[0]] for row in rows],
        )


def _write_merged_rows(
    merged: dict[str, dict], now: datetime, change_set: ChangeSet, *, fill_only: bool = False
) -> tuple[dict[str, tuple[int, bool]], list[Entry]]:
    """Insert the new emails and update the known ones: a fixed number of queries per field set.

    (lead id, created) by email, and the audit entries of the changes to known leads (the new
    leads' "created" rows are written with them, in `change_set`). On PostgreSQL every
    email is offered to the insert, in one order for every writer, and the unique index skips
    the known ones (also those a concurrent writer has just inserted), which are then read and
    merged. SQLite's writers are serialized (IMMEDIATE transactions), so there the known emails
    are read first.
    """
    if connection.vendor == "postgresql":
        created = _insert_leads(
            [{**NEW_LEAD, **merged[email]} for email in sorted(merged)], change_set
        )
        stored = _stored_values(merged.keys() - created.keys())
    else:
        stored = _stored_values(merged)
        created = _insert_leads(
            [{**NEW_LEAD, **values} for email, values in merged.items() if email not in stored],
            change_set,
        )
    updates: dict[frozenset[str], list[dict]] = {}
    audit = []
    for email, lead in stored.items():
        changes = _changes(lead, merged[email], upsert=True, fill_only=fill_only)
        if changes:
            audit.append(_changed_entry(lead, changes))
            lead.update(changes)
            updates.setdefault(frozenset(changes), []).append(lead)
    for fields, leads in updates.items():
        _update_leads(leads, fields, now)
    written = {email: (lead["id"], False) for email, lead in stored.items()}
    written.update((email, (lead_id, True)) for email, lead_id in created.items())
    return written, audit


LEAD_TYPE = label_of(Lead)


def _lead_label(values: Mapping) -> str:
    """As Lead.__str__ names a lead, from its values."""
    name = display_name(
        values.get("first_name", ""), values.get("middle_name", ""), values.get("last_name", "")
    )
    return name or values["email"]


def _created_entry(lead_id: int, values: Mapping) -> Entry:
    """A lead a batch created: one row, not one per field (its values are the lead's own)."""
    return Entry(LEAD_TYPE, lead_id, _lead_label(values), Action.CREATED)


def _changed_entry(stored: Mapping, changes: Mapping) -> Entry:
    """A row per field an upsert changes on a known lead, before its values are overwritten."""
    label = _lead_label({**stored, **changes})
    before_after = {field: (stored[field], value) for field, value in changes.items()}
    return Entry(LEAD_TYPE, stored["id"], label, Action.CHANGED, before_after)


def store_leads(
    rows: list,
    *,
    source: str = Source.SYSTEM,
    actor=None,
    now: datetime | None = None,
    fill_only: bool = False,
) -> BulkUpsertResult:
    """Validate and upsert `rows` without rescoring; for callers that rescore a larger set once.

    Rows naming the same email are merged in order (later values win) and report the same lead.
    Rows whose address is suppressed (leads.suppression) are reported and not written.
    A lead a concurrent writer inserts first is updated, as if it had been there all along.
    With `fill_only`, a known lead keeps every field it has; only its empty ones are written.
    The audit trail gets, in the same transaction, a "created" row per new lead (on PostgreSQL
    from the statement that inserts them) and a row per field changed on a known one (one more
    INSERT), from `source` (audit.models.Source) and `actor` (None: nobody signed in, e.g. a web
    form).
    """
    now = now or timezone.now()
    channels = channels_named_in(row for row in rows if isinstance(row, Mapping))
    rejected: dict[int, dict] = {}
    merged: dict[str, dict] = {}
    email_of_row: dict[int, str] = {}
    for index, row in enumerate(rows):
        values, errors = clean_lead_data(row, channels=channels)
        if errors:
            rejected[index] = errors
            continue
        if values.get("channel") is not None:
            values["channel"] = values["channel"].pk  # compared and stored as the id
        email_of_row[index] = values["email"]
        merged.setdefault(values["email"], {}).update(values)
    # One query for the whole batch; an erased or unsubscribed address is neither created nor
    # updated.
    suppressed = suppression.suppressed_emails(merged)
    for email in suppressed:
        del merged[email]

    with transaction.atomic():
        change_set = ChangeSet.start(actor=actor, source=source, at=now)
        written, audit = _write_merged_rows(merged, now, change_set, fill_only=fill_only)
        record_in(change_set, _channels_by_slug(audit, channels))

    outcomes = []
    first_row_of = {}
    for index in range(len(rows)):
        if index in rejected:
            outcomes.append(RowOutcome(index, "rejected", errors=rejected[index]))
            continue
        email = email_of_row[index]
        if email in suppressed:
            outcomes.append(RowOutcome(index, "suppressed"))
            continue
        lead_id, created = written[email]
        first = first_row_of.setdefault(email, index) == index
        status = "created" if created and first else "updated"
        outcomes.append(RowOutcome(index, status, lead_id))
    return BulkUpsertResult(outcomes)


def _channels_by_slug(entries: list[Entry], channels: Mapping[str, Channel]) -> list[Entry]:
    """The entries with a channel (compared and written as its id) shown by its slug."""
    slug_of = {channel.pk: channel.slug for channel in channels.values()}
    return [
        dataclasses.replace(
            entry,
            changes={
                **entry.changes,
                "channel": tuple(slug_of.get(pk, pk) for pk in entry.changes["channel"]),
            },
        )
        if "channel" in entry.changes
        else entry
        for entry in entries
    ]


def bulk_upsert_leads(
    rows: list, *, source: str = Source.SYSTEM, actor=None, now: datetime | None = None
) -> BulkUpsertResult:
    """Upsert many leads by email in a fixed number of queries, then rescore the touched ones.

    Each row is reported as created, updated or rejected (with errors by field); good rows are
    stored even when others are rejected.
    """
    result = store_leads(rows, source=source, actor=actor, now=now)
    hooks.leads_changed(lead_ids=result.lead_ids, now=now)
    return result


def require_capability(actor, capability: str) -> None:
    """403 unless `actor` may; None is the system (an import, a web form)."""
    if actor is not None:
        require(actor, capability, _("Your role may not change leads."))


def upsert_lead(
    *, data: dict, source: str = Source.SYSTEM, actor=None, fill_only: bool = False
) -> tuple[Lead, bool]:
    """Create the lead with this email, or update it; (lead, created). Raises ValidationError.

    `fill_only` is for sources nobody vouches for (a public web form): an existing lead's
    non-empty fields are kept, only its empty ones filled. An address on the suppression list
    raises ConflictError (409): the person was erased or unsubscribed.
    """
    require_capability(actor, "leads.edit")
    outcome = store_leads([data], source=source, actor=actor, fill_only=fill_only).outcomes[0]
    if outcome.status == "rejected":
        raise ValidationError(outcome.errors)
    if outcome.status == "suppressed":
        raise ConflictError(str(SUPPRESSED))
    hooks.leads_changed(lead_ids=[outcome.lead_id])
    lead = Lead.objects.select_related("channel").get(pk=outcome.lead_id)
    return lead, outcome.status == "created"


def _shown(values: Mapping) -> dict:
    """Values as the audit trail shows them: a channel by its slug."""
    return {
        field: value.slug if isinstance(value, Channel) else value
        for field, value in values.items()
    }


def update_lead(*, lead_id: int, data: dict, actor, source: str = Source.SYSTEM) -> Lead:
    """Edit the fields `data` names. Sales roles may change the work status only, and only of a
    lead they work: the status goes through `hooks.set_status` (the handoff app's one door,
    which records it as a handoff event); the other fields' changes go to the audit trail.

    Raises ValidationError (bad input), ConflictError (an email another lead has),
    PermissionDenied.
    """
    require_capability(actor, "leads.set_status")
    if not isinstance(data, Mapping):
        raise ValidationError({"non_field_errors": [NOT_AN_OBJECT]})
    if not may(actor, "leads.edit") and set(data) - {"status"}:
        raise PermissionDenied(_("Your role may change the lead's status only."))
    values, errors = clean_lead_data(data, channels=channels_named_in([data]), partial=True)
    if errors:
        raise ValidationError(errors)
    status = values.pop("status", None)
    try:
        with transaction.atomic():
            lead = Lead.objects.select_for_update().get(pk=lead_id)
            current = {field: getattr(lead, field) for field in values}
            changed = _changes(current, values, upsert=False)
            for field, value in changed.items():
                setattr(lead, field, value)
            if changed:
                lead.save(update_fields=[*changed, "updated_at"])
                record_changes(
                    lead,
                    _shown(current),
                    _shown({field: getattr(lead, field) for field in current}),
                    actor=actor,
                    source=source,
                )
            if status is not None:
                # The work status has one door, with its per-lead rule and its audit row.
                previous = lead.status
                lead = hooks.set_status(lead=lead, user=actor, status=status)
                if lead.status != previous:
                    changed["status"] = status
    except IntegrityError:
        message = _("Another lead already has this email.")
        raise ConflictError(message, extra={"email": [message]}) from None
    if changed:
        hooks.leads_changed(lead_ids=[lead.pk])
    return Lead.objects.select_related("channel").get(pk=lead.pk)
