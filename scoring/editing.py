"""Changing a draft one rule at a time; every change goes through versions.edit_draft."""

from django.db.models import Max
from django.utils.text import slugify

from scoring.convert import RULE_MODELS, rules_of
from scoring.models import Agreement
from scoring.versions import edit_draft


def _key_base(kind: str, rule) -> str:
    match kind:
        case "profile":
            return rule.field
        case "channel":
            return f"channel_{rule.channel_slug or rule.channel_kind}"
        case "action":
            return rule.kind
    return f"not_{rule.field or rule.activity_kind}"


def _free_key(agreement: Agreement, base: str) -> str:
    """A key no other rule of this version uses (keys are rule ids across all four kinds)."""
    taken = {row.key for rows in rules_of(agreement).values() for row in rows}
    base = slugify(base.replace(".", "_")).replace("-", "_")[:70] or "rule"
    key, number = base, 2
    while key in taken:
        key, number = f"{base}_{number}", number + 1
    return key


def add_rule(*, agreement: Agreement, user, revision: int, kind: str, rule) -> Agreement:
    """Append `rule` (an unsaved row built by the editor's form) to the draft."""

    def append(locked: Agreement):
        model = RULE_MODELS[kind]
        rule.agreement = locked
        rule.key = _free_key(locked, _key_base(kind, rule))
        last = model.objects.filter(agreement=locked).aggregate(last=Max("position"))["last"]
        rule.position = 0 if last is None else last + 1
        rule.save()

    return edit_draft(agreement=agreement, user=user, revision=revision, change=append)[0]


def change_rule(*, agreement: Agreement, user, revision: int, rule) -> Agreement:
    """Save an edited rule row of the draft (its key stays, so the diff shows it as changed)."""
    return edit_draft(
        agreement=agreement, user=user, revision=revision, change=lambda locked: rule.save()
    )[0]


def remove_rule(*, agreement: Agreement, user, revision: int, rule) -> Agreement:
    return edit_draft(
        agreement=agreement, user=user, revision=revision, change=lambda locked: rule.delete()
    )[0]


def move_rule(*, agreement: Agreement, user, revision: int, rule, up: bool) -> Agreement:
    """Swap the rule with its neighbour above or below; at either end nothing changes."""

    def swap(locked: Agreement):
        rows = list(type(rule).objects.filter(agreement=locked))
        index = next(i for i, row in enumerate(rows) if row.pk == rule.pk)
        other = index - 1 if up else index + 1
        if 0 <= other < len(rows):
            rows[index], rows[other] = rows[other], rows[index]
        for position, row in enumerate(rows):
            if row.position != position:
                row.position = position
                row.save(update_fields=["position"])

    return edit_draft(agreement=agreement, user=user, revision=revision, change=swap)[0]


def update_settings(*, agreement: Agreement, user, revision: int, values: dict) -> Agreement:
    """Name, narrative, threshold and decay of the draft."""

    def apply(locked: Agreement):
        for name, value in values.items():
            setattr(locked, name, value)

    return edit_draft(agreement=agreement, user=user, revision=revision, change=apply)[0]
