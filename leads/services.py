"""Writes of leads: upsert by email, one at a time or set-based, and edits.

The API, the CSV import and web-form capture all come through here, so a lead is validated,
normalized and rescored the same way whichever door it came in by. Input is a plain dict of raw
values (JSON from the API, strings from a CSV row); problems are reported per field, keyed by the
field's name, and nothing is written for a row that has any.
"""

import dataclasses
import math
from collections.abc import Iterable, Mapping
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import Role, has_role
from core.errors import PermissionDenied
from leads.models import Channel, Lead, LeadStatus, normalize_email, search_key
from scoring.services import rescore_leads

# Who may create and edit every field of a lead; sales roles may only set the work status.
LEAD_WRITERS = (Role.MARKETER, Role.MANAGER, Role.ADMIN)
STATUS_EDITORS = (Role.SDR, Role.ACCOUNT_EXECUTIVE, *LEAD_WRITERS)

TEXT_FIELDS = (
    "first_name",
    "last_name",
    "title",
    "organization",
    "phone",
    "industry",
    "country",
    "city",
    "source_detail",
)
DICT_FIELDS = ("social_handles", "attributes")
WRITABLE_FIELDS = frozenset(
    {"email", *TEXT_FIELDS, *DICT_FIELDS, "company_size", "status", "channel"}
)
# Where the lead first came from is kept when a later upsert names another channel.
FIRST_TOUCH_FIELDS = ("channel", "source_detail")
# PositiveIntegerField's range on every database Accord runs on.
MAX_COMPANY_SIZE = 2_147_483_647
MAX_JSON_DEPTH = 32
NOT_AN_OBJECT = gettext_lazy("Expected an object of lead fields.")
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
            elif field == "company_size":
                values[field] = _clean_company_size(raw)
            elif field == "status":
                values[field] = _clean_status(raw)
            elif field == "channel":
                values[field] = _clean_channel(raw, channels)
            else:
                raise ValidationError(_("Not a field that can be written; see the API schema."))
        except ValidationError as invalid:
            errors[str(field)[:100]] = invalid.messages
    return values, errors


@dataclasses.dataclass(frozen=True, slots=True)
class RowOutcome:
    """What became of one input row: `created`, `updated` or `rejected` (with `errors`)."""

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


def _apply(lead: Lead, values: Mapping, *, upsert: bool) -> set[str]:
    """Set `values` on `lead`; the names of the fields that changed.

    An upsert merges the keys of the JSON fields (other systems may own other keys) and keeps the
    first-touch channel; an edit replaces what it names.
    """
    changed = set()
    for field, value in values.items():
        current = getattr(lead, field)
        if upsert and field in DICT_FIELDS:
            value = {**current, **value}
        if upsert and field in FIRST_TOUCH_FIELDS and current:
            continue
        if value != current:
            setattr(lead, field, value)
            changed.add(field)
    return changed


def _lead_search_text(lead: Lead) -> str:
    return search_key(lead.first_name, lead.last_name, lead.email, lead.organization, lead.title)


def leads_by_email(emails: Iterable[str]) -> dict[str, Lead]:
    """Leads with these (normalized) emails, through the lower(email) unique index."""
    emails = list(emails)
    found = {}
    for start in range(0, len(emails), LOOKUP_CHUNK):
        chunk = emails[start : start + LOOKUP_CHUNK]
        query = Lead.objects.alias(email_key=Lower("email")).filter(email_key__in=chunk)
        found.update((lead.email, lead) for lead in query)
    return found


def _write_merged_rows(merged: dict[str, dict], now: datetime) -> dict[str, tuple[Lead, bool]]:
    """Insert the new emails and update the known ones: a fixed number of queries per field set."""
    existing = leads_by_email(merged)
    created = []
    updates: dict[frozenset[str], list[Lead]] = {}
    for email, values in merged.items():
        lead = existing.get(email)
        if lead is None:
            lead = Lead(**values)
            lead.search_text = _lead_search_text(lead)
            created.append(lead)
            continue
        changed = _apply(lead, values, upsert=True)
        if changed:
            lead.search_text = _lead_search_text(lead)
            lead.updated_at = now
            updates.setdefault(frozenset(changed), []).append(lead)
    Lead.objects.bulk_create(created)
    for fields, leads in updates.items():
        Lead.objects.bulk_update(leads, [*fields, "search_text", "updated_at"])
    written = {lead.email: (lead, True) for lead in created}
    written.update((email, (lead, False)) for email, lead in existing.items())
    return written


def store_leads(rows: list, *, now: datetime | None = None) -> BulkUpsertResult:
    """Validate and upsert `rows` without rescoring; for callers that rescore a larger set once.

    Rows naming the same email are merged in order (later values win) and report the same lead.
    A concurrent writer inserting one of the emails first makes the insert fail on the unique
    index; the rows are then read again and applied as updates.
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
        email_of_row[index] = values["email"]
        merged.setdefault(values["email"], {}).update(values)

    for attempt in range(3):
        try:
            with transaction.atomic():
                written = _write_merged_rows(merged, now)
            break
        except IntegrityError:
            if attempt == 2:
                raise

    outcomes = []
    first_row_of = {}
    for index in range(len(rows)):
        if index in rejected:
            outcomes.append(RowOutcome(index, "rejected", errors=rejected[index]))
            continue
        email = email_of_row[index]
        lead, created = written[email]
        first = first_row_of.setdefault(email, index) == index
        status = "created" if created and first else "updated"
        outcomes.append(RowOutcome(index, status, lead.pk))
    return BulkUpsertResult(outcomes)


def bulk_upsert_leads(rows: list, *, now: datetime | None = None) -> BulkUpsertResult:
    """Upsert many leads by email in a fixed number of queries, then rescore the touched ones.

    Each row is reported as created, updated or rejected (with errors by field); good rows are
    stored even when others are rejected.
    """
    result = store_leads(rows, now=now)
    rescore_leads(result.lead_ids, now=now)
    return result


def require_role(actor, roles) -> None:
    """403 unless `actor` holds one of `roles`; None is the system (an import, a web form)."""
    if actor is not None and not has_role(actor, *roles):
        raise PermissionDenied(_("Your role may not change leads."))


def upsert_lead(*, data: dict, actor=None) -> tuple[Lead, bool]:
    """Create the lead with this email, or update it; (lead, created). Raises ValidationError."""
    require_role(actor, LEAD_WRITERS)
    outcome = store_leads([data]).outcomes[0]
    if outcome.status == "rejected":
        raise ValidationError(outcome.errors)
    rescore_leads([outcome.lead_id])
    lead = Lead.objects.select_related("channel").get(pk=outcome.lead_id)
    return lead, outcome.status == "created"


def update_lead(*, lead_id: int, data: dict, actor) -> Lead:
    """Edit the fields `data` names. Sales roles may change the work status only.

    Raises ValidationError (bad input, or an email another lead has), PermissionDenied.
    """
    require_role(actor, STATUS_EDITORS)
    if not isinstance(data, Mapping):
        raise ValidationError({"non_field_errors": [NOT_AN_OBJECT]})
    if not has_role(actor, *LEAD_WRITERS) and set(data) - {"status"}:
        raise PermissionDenied(_("Your role may change the lead's status only."))
    values, errors = clean_lead_data(data, channels=channels_named_in([data]), partial=True)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            lead = Lead.objects.select_for_update().get(pk=lead_id)
            changed = _apply(lead, values, upsert=False)
            if changed:
                lead.save(update_fields=[*changed, "updated_at"])
    except IntegrityError:
        raise ValidationError({"email": [_("Another lead already has this email.")]}) from None
    if changed:
        rescore_leads([lead.pk])
    return Lead.objects.select_related("channel").get(pk=lead.pk)
