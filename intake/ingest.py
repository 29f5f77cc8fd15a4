"""Bulk activity ingestion: up to 10,000 events a request, each stored once per source.

This is the hot path of the API, so the body is decoded with msgspec into typed structs instead
of DRF serializers (about fifty times faster, and it names the path of the first problem in each
item), and rows are written set-based by leads.activities.store_activities: the table of
event keys holds each (source, external_id) once and is the final judge, so the same batch sent
twice, or from two threads at once, stores each event once.
"""

import dataclasses
from datetime import datetime
from typing import Annotated, Any

import msgspec
from django.db import connection, transaction
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import Source
from core.errors import ApplicationError
from core.sql import in_values
from leads.activities import NewActivity, store_activities
from leads.consent import unsubscribe
from leads.models import Activity, ActivityKind, Channel, ConsentSource, Lead, normalize_email
from leads.services import (
    json_problem,
    leads_by_email,
    postgresql_cursor,
    require_capability,
    store_leads,
    text_problem,
)
from leads.suppression import suppressed_emails
from scoring.services import rescore_leads

MAX_BATCH = 10_000
CHUNK = 5000
KINDS = frozenset(ActivityKind.values)
# The reason an email has no lead when its address is on the suppression list: such an item is
# reported `suppressed`, not rejected (the sender did nothing wrong).
SUPPRESSED = object()
MAX_BIGINT = 2**63 - 1


class ActivityIn(msgspec.Struct, forbid_unknown_fields=True):
    """One activity as the API receives it (see leads.serializers.ActivityItemSerializer)."""

    external_id: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    kind: Annotated[str, msgspec.Meta(max_length=30)]
    occurred_at: Annotated[datetime, msgspec.Meta(tz=True)]
    lead: Annotated[int, msgspec.Meta(ge=1, le=MAX_BIGINT)] | None = None
    email: Annotated[str, msgspec.Meta(max_length=254)] | None = None
    channel: Annotated[str, msgspec.Meta(max_length=100)] | None = None
    properties: dict[str, Any] = {}


@dataclasses.dataclass(slots=True)
class ItemOutcome:
    index: int
    status: str  # created, duplicate, rejected or suppressed
    external_id: str | None = None
    errors: list[dict] | None = None


@dataclasses.dataclass(slots=True)
class IngestResult:
    outcomes: list[ItemOutcome]
    leads_created: int = 0
    lead_ids: list[int] = dataclasses.field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.status == status)

    def as_dict(self) -> dict:
        return {
            "created": self.count("created"),
            "duplicates": self.count("duplicate"),
            "rejected": self.count("rejected"),
            "suppressed": self.count("suppressed"),
            "leads_created": self.leads_created,
            "results": [
                {
                    "index": o.index,
                    "status": o.status,
                    "external_id": o.external_id,
                    **({"errors": o.errors} if o.errors else {}),
                }
                for o in self.outcomes
            ],
        }


def _error(index: int, field: str, message: str) -> list[dict]:
    return [{"path": f"[{index}].{field}" if field else f"[{index}]", "message": message}]


def _decode_error(index: int, error: Exception) -> list[dict]:
    """msgspec says "Expected `str`, got `int` - at `$.kind`"; the API says `[3].kind`."""
    message, _sep, where = str(error).partition(" - at `$")
    return _error(index, where.rstrip("`").lstrip("."), message)


def parse_batch(payload: bytes) -> tuple[list[tuple[int, ActivityIn]], dict[int, list[dict]]]:
    """One activity object or a list of them -> (valid items by index, errors by index).

    Raises ApplicationError (400) when the body as a whole is not JSON of that shape or holds
    more than MAX_BATCH items, the schema's maxItems (413 is for a body too large in bytes).
    """
    try:
        raw = msgspec.json.decode(payload, type=list[msgspec.Raw] | dict[str, msgspec.Raw])
    except (msgspec.DecodeError, UnicodeDecodeError, RecursionError) as invalid:
        raise ApplicationError(
            _("Send an activity object or a list of them as JSON: %(error)s") % {"error": invalid}
        ) from None
    raw_items = [msgspec.json.encode(raw)] if isinstance(raw, dict) else raw
    if len(raw_items) > MAX_BATCH:
        raise ApplicationError(
            _("At most %(max)d activities a request (this has %(count)d); send several batches.")
            % {"max": MAX_BATCH, "count": len(raw_items)}
        )
    valid, rejected = [], {}
    for index, raw_item in enumerate(raw_items):
        try:
            item = msgspec.json.decode(raw_item, type=ActivityIn)
        except (msgspec.DecodeError, UnicodeDecodeError, RecursionError) as invalid:
            rejected[index] = _decode_error(index, invalid)
            continue
        errors = _item_errors(index, item)
        if errors:
            rejected[index] = errors
        else:
            valid.append((index, item))
    return valid, rejected


def _item_errors(index: int, item: ActivityIn) -> list[dict]:
    if item.kind not in KINDS:
        return _error(index, "kind", _("Unknown kind; use one of: %s.") % ", ".join(sorted(KINDS)))
    if (item.lead is None) == (item.email is None):
        return _error(index, "lead", _("Give the lead's id or its email: one of the two."))
    for field in ("external_id", "email", "channel"):
        value = getattr(item, field)
        problem = value is not None and text_problem(value)
        if problem:
            return _error(index, field, problem)
    problem = json_problem(item.properties)
    if problem:
        return _error(index, "properties", problem)
    return []


def ingest_activities(
    *,
    payload: bytes,
    source: str,
    actor=None,
    create_leads: bool = False,
    now: datetime | None = None,
) -> IngestResult:
    """Store a batch of activities from `source`; report each item.

    `source` scopes the idempotency keys (external_id) to the sending system. An unknown email
    creates a lead only when `create_leads`; otherwise that item is rejected. An item about an
    erased lead, or naming an address on the suppression list, is reported `suppressed` and not
    stored (one query for the batch: leads.suppression).
    """
    require_capability(actor, "intake.post_activities")
    now = now or timezone.now()
    valid, rejected = parse_batch(payload)
    outcomes: dict[int, ItemOutcome] = {
        index: ItemOutcome(index, "rejected", errors=errors) for index, errors in rejected.items()
    }
    seen: set[str] = set()
    fresh = []
    for index, item in valid:
        if item.external_id in seen:
            outcomes[index] = ItemOutcome(index, "duplicate", item.external_id)
        else:
            seen.add(item.external_id)
            fresh.append((index, item))

    with transaction.atomic():
        rows, leads_created = _resolve(
            fresh, outcomes, create_leads=create_leads, actor=actor, now=now
        )
        created_ids = _insert(rows, source=source, now=now)
        latest: dict[int, datetime | None] = {}
        unsubscribed: dict[int, datetime] = {}
        for index, item, lead_id, _channel_id in rows:
            created = item.external_id in created_ids
            status = "created" if created else "duplicate"
            outcomes[index] = ItemOutcome(index, status, item.external_id)
            if created:
                known = latest.get(lead_id)
                if item.kind == ActivityKind.UNSUBSCRIBE:
                    unsubscribed[lead_id] = min(item.occurred_at, now)
                elif item.occurred_at <= now:
                    known = item.occurred_at if known is None else max(known, item.occurred_at)
                latest[lead_id] = known
        engaged = sorted(latest)
        _record_engagement(latest, now=now)
        _honour_unsubscribes(unsubscribed)
    rescore_leads(engaged, now=now)
    return IngestResult(
        outcomes=[outcomes[index] for index in sorted(outcomes)],
        leads_created=leads_created,
        lead_ids=engaged,
    )


def _honour_unsubscribes(unsubscribed: dict[int, datetime]) -> None:
    """An unsubscribe another system reports (an e-mail tool's opt-out) is the person's wish,
    honoured as one recorded on the lead page: every scope withdrawn, the address suppressed.
    Only for activities stored now, so a re-sent batch records nothing twice; rare enough to go
    lead by lead."""
    leads = Lead.objects.filter(pk__in=sorted(unsubscribed), do_not_contact=False)
    for lead in leads:
        unsubscribe(lead=lead, source=ConsentSource.API, at=unsubscribed[lead.pk])


def _resolve(fresh, outcomes, *, create_leads: bool, actor, now: datetime):
    """Items -> (index, item, lead id, channel id) rows; unknown leads and channels rejected,
    erased leads and suppressed addresses reported `suppressed`."""
    slugs = {item.channel for _i, item in fresh if item.channel}
    channel_ids = dict(Channel.objects.filter(slug__in=slugs).values_list("slug", "pk"))
    wanted_ids = sorted({item.lead for _i, item in fresh if item.lead is not None})
    known_ids, erased_ids = set(), set()
    for start in range(0, len(wanted_ids), CHUNK):
        chunk = wanted_ids[start : start + CHUNK]
        for pk, erased_at in Lead.objects.filter(pk__in=in_values(chunk)).values_list(
            "pk", "erased_at"
        ):
            (erased_ids if erased_at else known_ids).add(pk)
    lead_of_email, email_errors, leads_created = _leads_for_emails(
        fresh, channel_ids, create_leads=create_leads, actor=actor, now=now
    )

    rows = []
    for index, item in fresh:
        if item.channel and item.channel not in channel_ids:
            outcomes[index] = ItemOutcome(
                index, "rejected", item.external_id, _error(index, "channel", _("Unknown channel."))
            )
            continue
        if item.lead is not None:
            lead_id = item.lead if item.lead in known_ids else None
            suppressed = item.lead in erased_ids
        else:
            lead_id = lead_of_email.get(normalize_email(item.email))
            suppressed = email_errors.get(normalize_email(item.email)) is SUPPRESSED
        if suppressed:
            outcomes[index] = ItemOutcome(index, "suppressed", item.external_id)
            continue
        if lead_id is None:
            if item.lead is not None:
                error = _error(index, "lead", _("No lead has this id."))
            else:
                error = _error(index, "email", email_errors[normalize_email(item.email)])
            outcomes[index] = ItemOutcome(index, "rejected", item.external_id, error)
            continue
        rows.append((index, item, lead_id, channel_ids.get(item.channel)))
    return rows, leads_created


def _leads_for_emails(fresh, channel_ids, *, create_leads: bool, actor, now: datetime):
    """Lead ids by normalized email, the reason an email has none (SUPPRESSED for an address on
    the suppression list), and how many were created.

    A created lead takes the channel of its first activity as the channel it came in by.
    """
    first_channel: dict[str, str | None] = {}
    for _index, item in fresh:
        if item.email is not None:
            channel = item.channel if item.channel in channel_ids else None
            first_channel.setdefault(normalize_email(item.email), channel)
    if not first_channel:
        return {}, {}, 0
    if not create_leads:
        # One query for the batch; store_leads asks it itself when it creates leads.
        suppressed = suppressed_emails(first_channel)
        found = {
            email: lead.pk
            for email, lead in leads_by_email(first_channel.keys() - suppressed).items()
        }
        missing = _("No lead has this email; send create_leads=true to create it.")
        errors = dict.fromkeys(first_channel.keys() - found.keys() - suppressed, missing)
        return found, {**errors, **dict.fromkeys(suppressed, SUPPRESSED)}, 0
    emails = sorted(first_channel)
    rows = [{"email": email, "channel": first_channel[email]} for email in emails]
    result = store_leads(rows, source=Source.API, actor=actor, now=now)
    found, errors = {}, {}
    for email, outcome in zip(emails, result.outcomes, strict=True):
        if outcome.status == "suppressed":
            errors[email] = SUPPRESSED
        elif outcome.status == "rejected":
            errors[email] = " ".join(outcome.errors.get("email", [])) or _("Invalid lead.")
        else:
            found[email] = outcome.lead_id
    return found, errors, result.count("created")


def _insert(rows, *, source: str, now: datetime) -> set[str]:
    """Store the rows that are new for `source`; the external ids actually stored."""
    return store_activities(
        [
            NewActivity(
                lead_id, item.kind, item.occurred_at, channel_id, item.properties, item.external_id
            )
            for _index, item, lead_id, channel_id in rows
        ],
        source=source,
        now=now,
    )


ENGAGEMENT_SQL = """
UPDATE {table} AS lead SET last_engaged_at = engaged.at
FROM unnest(%b::bigint[], %b::timestamptz[]) AS engaged(id, at)
WHERE lead.id = engaged.id AND (lead.last_engaged_at IS NULL OR lead.last_engaged_at < engaged.at)
"""
LOCK_SQL = "SELECT id FROM {table} WHERE id = ANY(%b) ORDER BY id FOR UPDATE"


def _record_engagement(latest: dict[int, datetime | None], *, now: datetime) -> None:
    """Lead.last_engaged_at = the latest activity that has happened, unsubscribes aside.

    `latest` is that moment among the new activities, per lead (None: none of them counts).
    """
    if connection.vendor == "postgresql":
        _record_engagement_postgresql(latest)
    else:
        _record_engagement_portable(sorted(latest), now=now)


def _record_engagement_postgresql(latest: dict[int, datetime | None]) -> None:
    """Locks the rows in id order first, so two batches touching the same leads cannot
    deadlock, then moves each one's last engagement forward in one statement."""
    lead_ids = sorted(lead_id for lead_id, at in latest.items() if at is not None)
    if not lead_ids:
        return
    table = Lead._meta.db_table
    with postgresql_cursor() as cursor:
        cursor.execute(LOCK_SQL.format(table=table), [lead_ids])
        cursor.execute(
            ENGAGEMENT_SQL.format(table=table), [lead_ids, [latest[i] for i in lead_ids]]
        )


def _record_engagement_portable(lead_ids: list[int], *, now: datetime) -> None:
    """For SQLite, whose writers take turns: recomputed from the activities, one query."""
    for start in range(0, len(lead_ids), CHUNK):
        chunk = lead_ids[start : start + CHUNK]
        newest = (
            Activity.objects.filter(lead=OuterRef("pk"), occurred_at__lte=now)
            .exclude(kind=ActivityKind.UNSUBSCRIBE)
            .order_by("-occurred_at")
            .values("occurred_at")[:1]
        )
        Lead.objects.filter(pk__in=in_values(chunk)).update(
            last_engaged_at=Coalesce(Subquery(newest), F("last_engaged_at"))
        )
