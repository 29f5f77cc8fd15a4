"""What changed between two versions, in the words both teams read: rules added, removed and
changed (matched by key, which copies keep), and the threshold, decay and wording."""

import dataclasses

from django.utils.translation import gettext_lazy as _

from scoring.convert import rules_of
from scoring.models import Agreement

KIND_LABELS = {
    "profile": _("Profile"),
    "channel": _("Channels"),
    "action": _("Actions"),
    "negative": _("Negatives"),
}
SETTINGS = {
    "name": _("Name"),
    "narrative": _("Narrative"),
    "threshold": _("Threshold"),
    "decay_after_days": _("Decay starts after (days)"),
    "decay_percent_per_week": _("Decay per week (%)"),
}


@dataclasses.dataclass(frozen=True)
class RuleChange:
    kind: str
    key: str
    before: str | None
    after: str | None

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])


@dataclasses.dataclass(frozen=True)
class VersionDiff:
    old: Agreement
    new: Agreement
    settings: list[tuple[str, object, object]]
    added: list[RuleChange]
    removed: list[RuleChange]
    changed: list[RuleChange]

    @property
    def is_empty(self) -> bool:
        return not (self.settings or self.added or self.removed or self.changed)


def diff_versions(old: Agreement, new: Agreement) -> VersionDiff:
    settings = [
        (str(label), getattr(old, name), getattr(new, name))
        for name, label in SETTINGS.items()
        if getattr(old, name) != getattr(new, name)
    ]
    added, removed, changed = [], [], []
    old_rules, new_rules = rules_of(old), rules_of(new)
    for kind in KIND_LABELS:
        before = {row.key: row.describe() for row in old_rules[kind]}
        after = {row.key: row.describe() for row in new_rules[kind]}
        for key, text in after.items():
            if key not in before:
                added.append(RuleChange(kind, key, None, text))
            elif before[key] != text:
                changed.append(RuleChange(kind, key, before[key], text))
        removed += [
            RuleChange(kind, key, text, None) for key, text in before.items() if key not in after
        ]
    return VersionDiff(old, new, settings, added, removed, changed)
