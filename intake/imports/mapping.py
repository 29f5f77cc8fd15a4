"""Which column is which lead field, and whether one row makes an acceptable lead.

Both are pure functions: the dry run and the real import call the same `validate_row`, so what
the dry run promises is what the import does.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from intake.imports import values
from intake.imports.headers import FALLBACK, PREFERRED, header_key
from intake.imports.names import split_full_name
from leads.models import Channel, LeadStatus
from leads.services import clean_lead_data

IGNORE = ""
ATTRIBUTE = "attribute"

TARGET_LABELS = {
    IGNORE: gettext_lazy("— ignore —"),
    "email": gettext_lazy("Email"),
    "full_name": gettext_lazy("Full name (split into first and last name)"),
    "first_name": gettext_lazy("First name"),
    "last_name": gettext_lazy("Last name"),
    "middle_name": gettext_lazy("Middle name / patronymic"),
    "title": gettext_lazy("Job title"),
    "organization": gettext_lazy("Organization"),
    "phone": gettext_lazy("Phone"),
    "company_size": gettext_lazy("Company size"),
    "industry": gettext_lazy("Industry"),
    "country": gettext_lazy("Country"),
    "city": gettext_lazy("City"),
    "channel": gettext_lazy("Channel"),
    "source_detail": gettext_lazy("Source / campaign"),
    "status": gettext_lazy("Lead status"),
    ATTRIBUTE: gettext_lazy("Keep as an extra attribute"),
}
FIELD_LABELS = {**TARGET_LABELS, "attributes": TARGET_LABELS[ATTRIBUTE]}
# Header key -> (field, rank): rank 0 for a preferred spelling, 1 for a fallback.
ALIAS_INDEX = {
    header_key(alias): (target, rank)
    for rank, table in enumerate((PREFERRED, FALLBACK))
    for target, names in table.items()
    for alias in names
}


def guess_mapping(headers: list[str], saved: dict[str, str] | None = None) -> dict[str, str]:
    """Column index -> field: a saved mapping for the source first, then the known spellings.

    A field comes from one column: the first with the best-ranked spelling ("Рабочий e-mail"
    over "Личный e-mail", whichever comes first); the other columns are kept as attributes.
    """
    saved_by_key = {header_key(header): target for header, target in (saved or {}).items()}
    guesses = {}
    for index, header in enumerate(headers):
        key = header_key(header)
        if key in saved_by_key:
            guesses[index] = (saved_by_key[key], -1)
        else:
            guesses[index] = ALIAS_INDEX.get(key, (ATTRIBUTE if header else IGNORE, 0))
    best: dict[str, int] = {}
    for index, (target, rank) in guesses.items():
        if target not in (IGNORE, ATTRIBUTE) and (
            target not in best or rank < guesses[best[target]][1]
        ):
            best[target] = index
    return {
        str(index): target if target in (IGNORE, ATTRIBUTE) or best[target] == index else ATTRIBUTE
        for index, (target, _rank) in guesses.items()
    }


def check_mapping(mapping: dict[str, str]) -> str:
    """The reason a mapping cannot be used, or "" when it can."""
    targets = [target for target in mapping.values() if target not in (IGNORE, ATTRIBUTE)]
    if "email" not in targets:
        return _("Choose the column that holds the email address: leads are matched by email.")
    if len(targets) != len(set(targets)):
        return _("Each lead field can come from one column only.")
    return ""


@dataclass(frozen=True)
class RowRules:
    """What checking a row needs besides the row: headers, mapping, the known channels."""

    headers: list[str]
    mapping: dict[str, str]
    channels: dict[str, Channel]  # by slug, as leads.services expects
    channel_names: dict[str, str]  # case-folded slug or name -> slug, as people type them
    default_channel: str
    source: str

    @classmethod
    def build(cls, *, headers, mapping, default_channel: Channel | None = None, source=""):
        channels = {channel.slug: channel for channel in Channel.objects.all()}
        names = {}
        for channel in channels.values():
            names[channel.slug.casefold()] = channel.slug
            names[channel.name.casefold()] = channel.slug
        default = default_channel.slug if default_channel else ""
        return cls(list(headers), dict(mapping), channels, names, default, source)


def validate_row(values: list[str], rules: RowRules) -> tuple[dict | None, str]:
    """Lead data for one row, or None and why not: what the import will do with it.

    The checks are the ones every door into Accord uses (leads.services.clean_lead_data, which
    store_leads runs again when it writes), so the dry run promises exactly what the import does.
    """
    data, reason = row_data(values, rules)
    if data is None:
        return None, reason
    _cleaned, errors = clean_lead_data(data, channels=rules.channels)
    if errors:
        return None, describe_errors(errors)
    return data, ""


def row_data(values: list[str], rules: RowRules) -> tuple[dict | None, str]:
    """The row as raw lead data (as leads.services.store_leads takes it), not yet validated.

    Cells stay the text they are: "=SUM(A1)" is stored as those characters, never evaluated,
    and only neutralized when written back out to a spreadsheet.
    """
    if len(values) > len(rules.headers) and any(v.strip() for v in values[len(rules.headers) :]):
        return None, _("Expected %(expected)d columns, found %(found)d.") % {
            "expected": len(rules.headers),
            "found": len(values),
        }
    data: dict = {}
    attributes = {}
    for index, target in rules.mapping.items():
        position = int(index)
        value = values[position].strip() if position < len(values) else ""
        if target == ATTRIBUTE:
            if value:
                attributes[rules.headers[position]] = value
        elif target != IGNORE and value:
            data[target] = value
    data.setdefault("email", "")
    reason = read_crm_words(data, attributes)
    if reason:
        return None, reason
    if attributes:
        data["attributes"] = attributes
    if "channel" in data:
        data["channel"] = rules.channel_names.get(data["channel"].casefold(), data["channel"])
    elif rules.default_channel:
        data["channel"] = rules.default_channel
    if rules.source:
        data.setdefault("source_detail", rules.source[:200])
    return data, ""


def read_crm_words(data: dict, attributes: dict) -> str:
    """Turn the cells written in a CRM's own words into lead fields, in place: the full name into
    first, middle (a patronymic) and last name, the status word into a status,
    a size range into its two ends. The reason the row is refused, or "".

    A status or size that cannot be read refuses the row, as an unknown channel does: storing the
    lead without it would hide the problem, and the rejected-rows file lets it be fixed and
    imported again (or the column kept as an attribute instead).
    """
    full_name = data.pop("full_name", "")
    if full_name:
        parts = split_full_name(full_name)
        data.setdefault("first_name", parts.first)
        data.setdefault("last_name", parts.last)
        if parts.middle:
            data.setdefault("middle_name", parts.middle)
    if "status" in data:
        status = values.read_status(data["status"])
        if status is None:
            return _(
                "Lead status: “%(value)s” is not a status Accord knows; map the column to an "
                "attribute to keep it, or use one of: %(choices)s."
            ) % {"value": data["status"][:100], "choices": ", ".join(map(str, LeadStatus.labels))}
        data["status"] = status
    if "company_size" in data:
        size = values.read_size(data["company_size"])
        if size is None:
            return _(
                "Company size: “%(value)s” is not a whole number of employees or a range such "
                "as 51-200."
            ) % {"value": data["company_size"][:100]}
        data["company_size"], upper = size
        if upper is not None:
            data["company_size_max"] = upper
    return ""


def describe_errors(errors: dict[str, list[str]]) -> str:
    """Field errors as one sentence for the rejected-rows table: "Email: Enter a valid…"."""
    return " ".join(
        f"{FIELD_LABELS.get(field, field)}: {' '.join(messages)}"
        for field, messages in errors.items()
    )
