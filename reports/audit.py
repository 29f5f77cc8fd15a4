"""Reading the audit trail: the filters the page and the API share, and each row as people read
it (field and object type in the reader's language, values as text, the actor's current name).

It lives in `reports` rather than in `audit` because it names people the way Accord does
(accounts.people) and links to the pages of apps above `audit`.
"""

import json

import django_filters
from django import forms
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from drf_spectacular.utils import extend_schema_field

from accounts.people import person_name
from audit.models import AuditEntry, Source
from audit.services import history_of
from core.api import MAX_ID
from core.filters import ID_SCHEMA, AnyIdFilter

# The kinds of object the trail records, as the object type filter offers them.
OBJECT_TYPES = (
    "leads.lead",
    "scoring.agreement",
    "sla.slapolicy",
    "sla.teamcalendar",
    "teams.team",
    "teams.teammember",
    "handoff.returnreason",
    "handoff.qualificationpolicy",
    "webhooks.subscription",
    "accounts.apitoken",
    "auth.user",
)


def object_type_name(label: str) -> str:
    """The model's name in the reader's language (lazy until shown)."""
    try:
        return capfirst(apps.get_model(label)._meta.verbose_name)
    except LookupError:
        return label


def people():
    return get_user_model().objects.order_by("first_name", "last_name", "username")


@extend_schema_field(ID_SCHEMA)
class ObjectIdFilter(django_filters.Filter):
    """An object's id, as the schema's other ids: a whole number from 1 to the largest id."""

    field_class = forms.IntegerField


class AuditFilter(django_filters.FilterSet):
    """The page's and the API's filters: who, what kind of object (one object by id), when (days
    in the reader's time zone, both ends included)."""

    actor = AnyIdFilter(label=_("Who"), queryset=people(), empty_label=_("Everyone"))
    object_type = django_filters.ChoiceFilter(
        label=_("Object type"),
        choices=[(label, object_type_name(label)) for label in OBJECT_TYPES],
        empty_label=_("All objects"),
    )
    object_id = ObjectIdFilter(label=_("Object id"), min_value=1, max_value=MAX_ID)
    source = django_filters.ChoiceFilter(
        label=_("Source"), choices=Source.choices, empty_label=_("All sources")
    )
    date_from = django_filters.DateFilter(label=_("From"), field_name="at", lookup_expr="date__gte")
    date_to = django_filters.DateFilter(label=_("To"), field_name="at", lookup_expr="date__lte")

    class Meta:
        model = AuditEntry
        fields = ["actor", "object_type", "object_id", "source", "date_from", "date_to"]


def audit_entries():
    """Every row, newest first, with its actor (one query a page)."""
    return AuditEntry.objects.select_related("actor").order_by("-at", "-id")


# How many of a lead's latest changes its page shows; the audit page has the rest.
LEAD_HISTORY_SHOWN = 20


# What a value of an erased person reads as (audit.services.redact).
ERASED_VALUE = pgettext_lazy("a value on the audit trail", "(erased)")


def readable(entry: AuditEntry) -> dict:
    """One row as the page and a lead's history show it."""
    return {
        "entry": entry,
        "actor": actor_name(entry),
        "object_type": object_type_name(entry.object_type),
        "field": field_name(entry),
        "before": recorded_value(entry, entry.before),
        "after": recorded_value(entry, entry.after),
    }


def lead_field_history(lead) -> dict:
    """A lead's latest recorded changes, newest first, and whether there are more (one query)."""
    entries = list(
        history_of(type(lead), lead.pk).select_related("actor")[: LEAD_HISTORY_SHOWN + 1]
    )
    return {
        "rows": [readable(entry) for entry in entries[:LEAD_HISTORY_SHOWN]],
        "more": len(entries) > LEAD_HISTORY_SHOWN,
    }


def actor_name(entry: AuditEntry) -> str:
    """Who acted: their name now, the name they had if their account is gone, else the door."""
    if entry.actor is not None:
        return person_name(entry.actor)
    return entry.actor_label or str(entry.get_source_display())


def field_name(entry: AuditEntry) -> str:
    """The field in the reader's language where the model has it (a rule key, a weekday's hours
    and other snapshot keys stay as recorded)."""
    if not entry.field:
        return ""
    try:
        field = apps.get_model(entry.object_type)._meta.get_field(entry.field)
    except (LookupError, FieldDoesNotExist):
        return entry.field
    # A relation seen from its other side (a team's members) has no name of its own here.
    name = getattr(field, "verbose_name", None) or field.related_model._meta.verbose_name_plural
    return capfirst(name)


def recorded_value(entry: AuditEntry, value) -> str:
    """A before or after value as the page and the CSV show it; "(erased)" once redacted."""
    return str(ERASED_VALUE) if entry.redacted else value_text(value)


def value_text(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def csv_header():
    return [
        _("When (UTC)"), _("Who"), _("Source"), _("Object type"), _("Object id"), _("Object"),
        _("Action"), _("Field"), _("Before"), _("After"), _("Change set"),
    ]  # fmt: skip


def csv_rows(entries):
    """The export's rows, read in chunks so a long trail is never held in memory at once."""
    for entry in entries.iterator(chunk_size=2000):
        row = readable(entry)
        yield [
            entry.at.isoformat(),
            row["actor"],
            entry.get_source_display(),
            row["object_type"],
            entry.object_id,
            entry.object_label,
            entry.get_action_display(),
            row["field"],
            row["before"],
            row["after"],
            entry.change_set,
        ]
