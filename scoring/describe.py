"""The MQL agreement in plain words: each rule as one sentence, a score's explanation, why a
lead is not an MQL, and why the engine refuses a rule.

Marketing and sales read these sentences in the agreement and in every score explanation, in
their own language, so each sentence is one whole template that translators may reorder.
"""

import functools

from django.utils.text import capfirst
from django.utils.translation import get_language, gettext_lazy, ngettext, pgettext
from django.utils.translation import gettext as _

from scoring.engine import (
    ATTRIBUTE_PREFIX,
    CONDITIONAL,
    GATE,
    NOT_ACCEPTED,
    ActionRule,
    ChannelRule,
    NegativeRule,
    ProfileRule,
    PropertyCondition,
    Rule,
    RuleError,
    ScoreResult,
)

FIELD_LABELS = {
    "first_name": gettext_lazy("first name"),
    "last_name": gettext_lazy("last name"),
    "title": gettext_lazy("title"),
    "organization": gettext_lazy("organization"),
    "email": gettext_lazy("email"),
    "email_domain": gettext_lazy("email domain"),
    "phone": gettext_lazy("phone"),
    "company_size": gettext_lazy("company size"),
    "industry": gettext_lazy("industry"),
    "country": gettext_lazy("country"),
    "city": gettext_lazy("city"),
    "social_handles": gettext_lazy("social handles"),
}

# Activities as nouns, to follow "for each" and "any".
ACTIVITY_LABELS = {
    "page_view": gettext_lazy("page view"),
    "email_open": gettext_lazy("email open"),
    "email_click": gettext_lazy("email click"),
    "form_submit": gettext_lazy("form submission"),
    "content_download": gettext_lazy("content download"),
    "webinar_registered": gettext_lazy("webinar registration"),
    "webinar_attended": gettext_lazy("webinar attendance"),
    "event_attended": gettext_lazy("event attendance"),
    "trade_show_conversation": gettext_lazy("trade-show conversation"),
    "demo_request": gettext_lazy("demo request"),
    "contact_request": gettext_lazy("contact request"),
    "pricing_view": gettext_lazy("pricing page view"),
    "unsubscribe": gettext_lazy("unsubscribe"),
}

CHANNEL_KIND_LABELS = {
    "inbound_form": gettext_lazy("inbound form"),
    "event": gettext_lazy("event"),
    "interaction": gettext_lazy("interaction"),
    "referral": gettext_lazy("referral"),
    "paid": gettext_lazy("paid"),
    "outbound_list": gettext_lazy("outbound list"),
}

# Translators: a condition on a lead's field or an activity's property, e.g. "title is CEO".
STATEMENTS = {
    "present": gettext_lazy("%(field)s is present"),
    "equals": gettext_lazy("%(field)s is %(value)s"),
    "one_of": gettext_lazy("%(field)s is one of %(value)s"),
    "not_one_of": gettext_lazy("%(field)s is not one of %(value)s"),
    "contains": gettext_lazy("%(field)s contains %(value)s"),
    "matches": gettext_lazy("%(field)s matches the pattern %(value)s"),
    "at_least": gettext_lazy("%(field)s is at least %(value)s"),
    "at_most": gettext_lazy("%(field)s is at most %(value)s"),
}

# Translators: a gate, a condition a lead must meet to become an MQL, e.g. "title must be present".
REQUIREMENTS = {
    "present": gettext_lazy("%(field)s must be present"),
    "equals": gettext_lazy("%(field)s must be %(value)s"),
    "one_of": gettext_lazy("%(field)s must be one of %(value)s"),
    "not_one_of": gettext_lazy("%(field)s must not be one of %(value)s"),
    "contains": gettext_lazy("%(field)s must contain %(value)s"),
    "matches": gettext_lazy("%(field)s must match the pattern %(value)s"),
    "at_least": gettext_lazy("%(field)s must be at least %(value)s"),
    "at_most": gettext_lazy("%(field)s must be at most %(value)s"),
}


def describe(rule: Rule) -> str:
    """One rule as a sentence in the active language."""
    return _described(rule, get_language())


# Explanations repeat the same few rules for every lead, so each is worded once per language.
@functools.lru_cache(maxsize=4096)
def _described(rule: Rule, language: str | None) -> str:
    match rule:
        case ProfileRule():
            return _profile_rule(rule)
        case ChannelRule():
            return _channel_rule(rule)
        case ActionRule():
            return _action_rule(rule)
        case NegativeRule():
            return _negative_rule(rule)
    raise TypeError(f"not a rule: {rule!r}")


def reasons_not(result: ScoreResult) -> list[str]:
    """Why a lead is not an MQL, one sentence per reason; empty when it is."""
    reasons = [
        _("Gate not met: %(rule)s") % {"rule": describe(rule)} for rule in result.gates_unmet
    ]
    reasons += [
        _("Negative hit: %(rule)s") % {"rule": describe(rule)}
        for rule in result.negatives_hit
        if rule.disqualifies
    ]
    channel = result.channel
    if not channel.accepted:
        if channel.rule.policy == CONDITIONAL:
            reason = _("Channel condition not met: %(rule)s")
        else:
            reason = _("Channel not accepted: %(rule)s")
        reasons.append(reason % {"rule": describe(channel.rule)})
    if result.total < result.threshold:
        reasons.append(
            _("Score %(score)s is below the threshold %(threshold)s")
            % {"score": result.total, "threshold": result.threshold}
        )
    return reasons


def explanation(result: ScoreResult) -> dict:
    """A score as JSON, worded in the active language: what Lead.score_explanation and an MQL
    StageChange keep (rule ids with the words of the moment) and the API shows."""
    channel = result.channel
    return {
        "version": result.version,
        "qualifies": result.qualifies,
        "total": result.total,
        "threshold": result.threshold,
        "fit": result.fit,
        "engagement": result.engagement,
        "decay_points": result.decay_points,
        "negative_points": result.negative_points,
        "lines": [
            {"id": line.rule.id, "rule": describe(line.rule), "points": line.points}
            for line in result.lines
        ],
        "gates_met": [_named(rule) for rule in result.gates_met],
        "gates_unmet": [_named(rule) for rule in result.gates_unmet],
        "negatives": [
            {**_named(rule), "disqualifies": rule.disqualifies, "points": rule.points}
            for rule in result.negatives_hit
        ],
        "channel": None
        if channel.rule is None
        else {**_named(channel.rule), "accepted": channel.accepted},
        "reasons_not": reasons_not(result),
    }


def _named(rule: Rule) -> dict:
    return {"id": rule.id, "rule": describe(rule)}


OPERATOR_LABELS = {
    "present": gettext_lazy("is present"),
    "equals": gettext_lazy("equals"),
    "one_of": gettext_lazy("is one of"),
    "not_one_of": gettext_lazy("is not one of"),
    "contains": gettext_lazy("contains"),
    "matches": gettext_lazy("matches the pattern"),
    "at_least": gettext_lazy("is at least"),
    "at_most": gettext_lazy("is at most"),
}

# Translators: why a rule cannot be saved; %(operator)s is e.g. "is at least".
ERRORS = {
    "value_not_scalar": gettext_lazy("“%(operator)s” needs a text or a number, not %(value)s."),
    "value_not_list": gettext_lazy("“%(operator)s” needs a list of values, not %(value)s."),
    "value_not_allowed": gettext_lazy("“%(operator)s” takes no value, not %(value)s."),
    "value_not_number": gettext_lazy("“%(operator)s” needs a number, not %(value)s."),
    "pattern_not_text": gettext_lazy("A pattern is text, not %(value)s."),
    "pattern_invalid": gettext_lazy(
        "Not a valid pattern: %(reason)s. Accord reads patterns as RE2, which has no "
        "look-arounds and no back-references."
    ),
    "pattern_too_long": gettext_lazy("A pattern has at most %(max_length)s characters."),
    "operator_unknown": gettext_lazy("Unknown operator %(operator)s."),
    "field_unknown": gettext_lazy(
        "Unknown field %(field)s. Use a lead field such as title, or attributes.<key>."
    ),
    "activity_kind_unknown": gettext_lazy("Unknown activity %(kind)s."),
    "mode_unknown": gettext_lazy("Unknown mode %(mode)s."),
    "gate_with_points": gettext_lazy("A gate must hold; it earns no points."),
    "channel_slug_or_kind": gettext_lazy("Pick either one channel or a kind of channel."),
    "channel_kind_unknown": gettext_lazy("Unknown kind of channel %(kind)s."),
    "channel_policy_unknown": gettext_lazy("Unknown channel policy %(policy)s."),
    "channel_conditions_mismatch": gettext_lazy(
        "Only a channel accepted with conditions has conditions, and it needs at least one."
    ),
    "channel_requires_unsubscribe": gettext_lazy(
        "An unsubscribe cannot be what makes a channel acceptable."
    ),
    "action_on_unsubscribe": gettext_lazy("An unsubscribe earns no points; make it a negative."),
    "action_points_negative": gettext_lazy("Action points cannot be below zero."),
    "cap_below_one": gettext_lazy("A cap counts at least one activity."),
    "window_below_one": gettext_lazy("A window is at least one day."),
    "negative_field_or_activity": gettext_lazy("Pick either a lead field or an activity."),
    "negative_conditions_on_field": gettext_lazy(
        "Property conditions apply to negatives on an activity only."
    ),
    "negative_effect_unknown": gettext_lazy("Unknown effect %(effect)s."),
    "disqualify_with_points": gettext_lazy("A disqualifying negative takes no points."),
    "negative_points_not_below_zero": gettext_lazy(
        "A negative takes points away: enter a number below 0."
    ),
    "version_below_one": gettext_lazy("Versions start at 1."),
    "threshold_negative": gettext_lazy("The threshold cannot be below zero."),
    "decay_after_negative": gettext_lazy("Decay cannot start before the last engagement."),
    "decay_percent_out_of_range": gettext_lazy("Decay is a percentage from 0 to 100."),
    "rule_ids_not_unique": gettext_lazy("Two rules of this version have the same key."),
}


def error_message(error: RuleError) -> str:
    """Why the engine refused a rule, in the active language."""
    params = {
        name: OPERATOR_LABELS.get(value, value) if name == "operator" else value
        for name, value in error.params.items()
    }
    if "value" in params:
        params["value"] = _quoted(params["value"])
    return str(ERRORS[error.code]) % params


def _quoted(value: object) -> str:
    if value is None:
        return _("nothing")
    if isinstance(value, list | tuple):
        return _list(value) or "[]"
    return f"“{_shown(value)}”"


def _profile_rule(rule: ProfileRule) -> str:
    if rule.mode == GATE:
        requirement = _sentence(REQUIREMENTS, _field_label(rule.field), rule.operator, rule.value)
        return capfirst(requirement)
    return _points_if(rule.points, _statement(rule))


def _negative_rule(rule: NegativeRule) -> str:
    if rule.on_activity:
        activity = _activity(rule.activity_kind, rule.conditions)
        if rule.disqualifies:
            # Translators: a lead with such an activity cannot be an MQL, e.g. "any unsubscribe".
            return _("Disqualify: any %(activity)s") % {"activity": activity}
        # Translators: points taken away, e.g. "-5 for any email open".
        return _("%(points)s for any %(activity)s") % {
            "points": _signed(rule.points),
            "activity": activity,
        }
    if rule.disqualifies:
        # Translators: a lead matching the condition cannot be an MQL.
        return _("Disqualify: %(condition)s") % {"condition": _statement(rule)}
    return _points_if(rule.points, _statement(rule))


def _action_rule(rule: ActionRule) -> str:
    params = {
        "points": _signed(rule.points),
        "activity": _activity(rule.kind, rule.conditions),
        "cap": rule.cap,
        "days": rule.window_days,
    }
    if rule.window_days is None:
        if rule.cap is None:
            return _("%(points)s for each %(activity)s") % params
        # Translators: "cap" is how many activities count at most, e.g. "+5 for each ebook
        # download, at most 3".
        return _("%(points)s for each %(activity)s, at most %(cap)s") % params
    if rule.cap is None:
        return (
            ngettext(
                "%(points)s for each %(activity)s in the last %(days)s day",
                "%(points)s for each %(activity)s in the last %(days)s days",
                rule.window_days,
            )
            % params
        )
    return (
        ngettext(
            "%(points)s for each %(activity)s, at most %(cap)s, in the last %(days)s day",
            "%(points)s for each %(activity)s, at most %(cap)s, in the last %(days)s days",
            rule.window_days,
        )
        % params
    )


def _channel_rule(rule: ChannelRule) -> str:
    if rule.channel_slug is not None:
        source = _("the %(channel)s channel") % {"channel": rule.channel_slug}
    else:
        # Translators: e.g. "event channels", a group of channels by kind.
        source = _("%(kind)s channels") % {"kind": CHANNEL_KIND_LABELS[rule.channel_kind]}
    params = {
        "source": source,
        "activities": _any_of([ACTIVITY_LABELS[kind] for kind in rule.required_activity_kinds]),
        "score": rule.min_score,
    }
    if rule.policy == NOT_ACCEPTED:
        return _("Leads from %(source)s are not accepted") % params
    if rule.policy != CONDITIONAL:
        return _("Leads from %(source)s are accepted") % params
    if not rule.required_activity_kinds:
        return (
            _("Leads from %(source)s are accepted only with a score of at least %(score)s") % params
        )
    if rule.min_score is None:
        return _("Leads from %(source)s are accepted only after %(activities)s") % params
    return (
        _(
            "Leads from %(source)s are accepted only after %(activities)s "
            "and with a score of at least %(score)s"
        )
        % params
    )


def _statement(rule: ProfileRule | NegativeRule | PropertyCondition) -> str:
    if isinstance(rule, PropertyCondition):
        return _sentence(STATEMENTS, _humanized(rule.key), rule.operator, rule.value)
    return _sentence(STATEMENTS, _field_label(rule.field), rule.operator, rule.value)


def _sentence(templates: dict, field: str, operator: str, value: object) -> str:
    if operator == "contains":
        shown = _any_of(value if isinstance(value, tuple) else (value,))
    elif isinstance(value, tuple):
        shown = _list(value)
    else:
        shown = _shown(value)
    return str(templates[operator]) % {"field": field, "value": shown}


def _points_if(points: int, condition: str) -> str:
    # Translators: points a lead earns or loses when it meets a condition, e.g. "+10 if company
    # size is at least 50".
    return _("%(points)s if %(condition)s") % {"points": _signed(points), "condition": condition}


def _activity(kind: str, conditions: tuple[PropertyCondition, ...]) -> str:
    label = str(ACTIVITY_LABELS[kind])
    if not conditions:
        return label
    # Translators: an activity with conditions on it, e.g. "content download where asset type
    # is ebook".
    return _("%(activity)s where %(conditions)s") % {
        "activity": label,
        "conditions": _all_of([_statement(condition) for condition in conditions]),
    }


def _field_label(field: str) -> str:
    if field.startswith(ATTRIBUTE_PREFIX):
        return _humanized(field.removeprefix(ATTRIBUTE_PREFIX))
    return str(FIELD_LABELS[field])


def _humanized(key: str) -> str:
    return key.replace("_", " ")


def _signed(points: int) -> str:
    return f"{points:+d}"


def _shown(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def _list(values) -> str:
    return pgettext("list separator", ", ").join(_shown(value) for value in values)


def _any_of(values) -> str:
    # Translators: the last choice of a list, e.g. "procurement, purchasing or student".
    return _joined([_shown(value) for value in values], _("%(items)s or %(last)s"))


def _all_of(values) -> str:
    # Translators: the last condition of a list, e.g. "minutes is at least 30 and language is th".
    return _joined(values, _("%(items)s and %(last)s"))


def _joined(values: list[str], last: str) -> str:
    if len(values) < 2:
        return "".join(values)
    return last % {"items": _list(values[:-1]), "last": values[-1]}
