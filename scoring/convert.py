"""Between agreement rows and the engine's AgreementSpec, both ways, in one place.

The engine validates every rule as it is built, so building the spec is also how the editor and
the services check that what a marketer wrote can be scored at all.
"""

from scoring import engine
from scoring.models import ActionRule, Agreement, ChannelRule, NegativeRule, ProfileRule

RULE_MODELS = {
    "profile": ProfileRule,
    "channel": ChannelRule,
    "action": ActionRule,
    "negative": NegativeRule,
}


def conditions_of(rows: list[dict]) -> tuple[engine.PropertyCondition, ...]:
    return tuple(
        engine.PropertyCondition(
            key=row["key"], operator=row.get("operator", "present"), value=row.get("value")
        )
        for row in rows
    )


def engine_rule(kind: str, row) -> engine.Rule:
    """One rule row (a model instance) as an engine rule; raises ValueError when it is invalid."""
    match kind:
        case "profile":
            return engine.ProfileRule(
                id=row.key,
                field=row.field,
                operator=row.operator,
                value=row.value,
                mode=row.mode,
                points=row.points,
            )
        case "channel":
            return engine.ChannelRule(
                id=row.key,
                policy=row.policy,
                channel_slug=row.channel_slug or None,
                channel_kind=row.channel_kind or None,
                required_activity_kinds=tuple(row.required_activity_kinds or ()),
                min_score=row.min_score,
            )
        case "action":
            return engine.ActionRule(
                id=row.key,
                kind=row.kind,
                points=row.points,
                conditions=conditions_of(row.conditions or []),
                cap=row.cap,
                window_days=row.window_days,
            )
        case "negative":
            return engine.NegativeRule(
                id=row.key,
                effect=row.effect,
                points=row.points,
                field=row.field or None,
                operator=row.operator,
                value=row.value,
                activity_kind=row.activity_kind or None,
                conditions=conditions_of(row.conditions or []),
            )
    raise ValueError(f"unknown rule kind {kind!r}")


def rules_of(agreement: Agreement) -> dict[str, list]:
    """The agreement's rule rows by kind, in their order (4 queries, or none when prefetched)."""
    return {
        kind: list(getattr(agreement, f"{model._meta.model_name}s").all())
        for kind, model in RULE_MODELS.items()
    }


def spec_from_rows(agreement: Agreement, rules: dict[str, list] | None = None):
    """The engine's view of one agreement version; raises ValueError when a rule is invalid."""
    rules = rules_of(agreement) if rules is None else rules
    built = {kind: tuple(engine_rule(kind, row) for row in rows) for kind, rows in rules.items()}
    return engine.AgreementSpec(
        version=agreement.version,
        threshold=agreement.threshold,
        decay_after_days=agreement.decay_after_days,
        decay_percent_per_week=agreement.decay_percent_per_week,
        profile_rules=built["profile"],
        channel_rules=built["channel"],
        action_rules=built["action"],
        negative_rules=built["negative"],
    )


def _conditions_rows(conditions) -> list[dict]:
    return [{"key": c.key, "operator": c.operator, "value": _plain(c.value)} for c in conditions]


def _plain(value):
    """Tuples become lists so the value round-trips through JSON unchanged."""
    return list(value) if isinstance(value, tuple) else value


def rows_from_spec(spec: engine.AgreementSpec) -> dict[str, list[dict]]:
    """Field values for the rule rows of `spec`, by kind; used to install the starter version."""
    return {
        "profile": [
            {
                "key": rule.id,
                "field": rule.field,
                "operator": rule.operator,
                "value": _plain(rule.value),
                "mode": rule.mode,
                "points": rule.points,
            }
            for rule in spec.profile_rules
        ],
        "channel": [
            {
                "key": rule.id,
                "channel_slug": rule.channel_slug or "",
                "channel_kind": rule.channel_kind or "",
                "policy": rule.policy,
                "required_activity_kinds": list(rule.required_activity_kinds),
                "min_score": rule.min_score,
            }
            for rule in spec.channel_rules
        ],
        "action": [
            {
                "key": rule.id,
                "kind": rule.kind,
                "points": rule.points,
                "conditions": _conditions_rows(rule.conditions),
                "cap": rule.cap,
                "window_days": rule.window_days,
            }
            for rule in spec.action_rules
        ],
        "negative": [
            {
                "key": rule.id,
                "effect": rule.effect,
                "points": rule.points,
                "field": rule.field or "",
                "operator": rule.operator,
                "value": _plain(rule.value),
                "activity_kind": rule.activity_kind or "",
                "conditions": _conditions_rows(rule.conditions),
            }
            for rule in spec.negative_rules
        ],
    }
