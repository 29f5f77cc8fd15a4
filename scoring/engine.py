"""The MQL agreement as data, and the pure scoring that applies it to one lead.

Nothing here touches the database or the clock: callers pass the lead's profile, its activities
(or aggregates of them computed in bulk) and `now`, so the same inputs always give the same result
and a preview can score many leads without queries. Scoring runs in two steps, `aggregate`
(activities -> EngagementFacts) and `score` (profile + facts -> ScoreResult), because the database
can compute the aggregates for thousands of leads at once.
"""

import dataclasses
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta
from operator import attrgetter

type RuleId = str | int
type Test = Callable[[object], bool]

PROFILE_FIELDS = (
    "first_name",
    "last_name",
    "title",
    "organization",
    "email",
    "email_domain",
    "phone",
    "company_size",
    "industry",
    "country",
    "city",
    "social_handles",
)
ATTRIBUTE_PREFIX = "attributes."
CHANNEL_KINDS = ("inbound_form", "event", "interaction", "referral", "paid", "outbound_list")
ACTIVITY_KINDS = (
    "page_view",
    "email_open",
    "email_click",
    "form_submit",
    "content_download",
    "webinar_registered",
    "webinar_attended",
    "event_attended",
    "trade_show_conversation",
    "demo_request",
    "contact_request",
    "pricing_view",
    "unsubscribe",
)
# Leaving is not engagement: it neither earns points nor holds off decay.
UNSUBSCRIBE = "unsubscribe"

OPERATORS = (
    "present",
    "equals",
    "one_of",
    "not_one_of",
    "contains",
    "matches",
    "at_least",
    "at_most",
)
GATE, POINTS = "gate", "points"
ACCEPTED, CONDITIONAL, NOT_ACCEPTED = "accepted", "conditional", "not_accepted"
DISQUALIFY = "disqualify"

_WEEK = timedelta(weeks=1)


def _present(value: object) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, dict | list | tuple):
        return bool(value)
    return True


def _text(value: object) -> str:
    """One spelling per value: case, spacing and full-width forms do not count, in any script."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip().casefold()


def _number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return value
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def _scalar(operator: str, value: object) -> str | int | float:
    if not isinstance(value, str | int | float) or isinstance(value, bool) or not _text(value):
        raise ValueError(f"{operator} needs non-empty text or a number, not {value!r}")
    return value


def _scalars(operator: str, value: object) -> tuple[str | int | float, ...]:
    if not isinstance(value, list | tuple) or not value:
        raise ValueError(f"{operator} needs a list of values, not {value!r}")
    return tuple(_scalar(operator, item) for item in value)


def _compile_test(operator: str, value: object) -> Test:
    """Turn an operator and its value into a test of one field value, done once per agreement.

    Every operator but `present` needs a value: an absent field satisfies nothing, so a gate on it
    fails and a negative on it does not fire. `contains` takes one text or a list (any of them).
    """
    match operator:
        case "present":
            if value is not None:
                raise ValueError(f"present takes no value, not {value!r}")
            return _present
        case "equals":
            target = _text(_scalar(operator, value))
            return lambda v: _present(v) and _text(v) == target
        case "one_of":
            targets = frozenset(_text(item) for item in _scalars(operator, value))
            return lambda v: _present(v) and _text(v) in targets
        case "not_one_of":
            targets = frozenset(_text(item) for item in _scalars(operator, value))
            return lambda v: _present(v) and _text(v) not in targets
        case "contains":
            items = _scalars(operator, value) if isinstance(value, list | tuple) else (value,)
            needles = tuple(_text(_scalar(operator, item)) for item in items)

            def contains_any(v: object) -> bool:
                if _present(v):
                    text = _text(v)
                    for needle in needles:
                        if needle in text:
                            return True
                return False

            return contains_any
        case "matches":
            try:
                pattern = re.compile(value, re.IGNORECASE)
            except (re.error, TypeError) as error:
                raise ValueError(f"not a valid pattern: {value!r} ({error})") from None
            return lambda v: _present(v) and pattern.search(str(v)) is not None
        case "at_least" | "at_most":
            bound = None if isinstance(value, str) else _number(value)
            if bound is None:
                raise ValueError(f"{operator} needs a number, not {value!r}")
            if operator == "at_least":
                return lambda v: (n := _number(v)) is not None and n >= bound
            return lambda v: (n := _number(v)) is not None and n <= bound
    raise ValueError(f"unknown operator {operator!r}")


def _lead_reader(field: str) -> Callable[["LeadFacts"], object]:
    if field.startswith(ATTRIBUTE_PREFIX) and len(field) > len(ATTRIBUTE_PREFIX):
        key = field.removeprefix(ATTRIBUTE_PREFIX)
        return lambda lead: lead.attributes.get(key)
    if field not in PROFILE_FIELDS:
        raise ValueError(f"unknown profile field {field!r}")
    return attrgetter(field)


def _lead_test(field: str, operator: str, value: object) -> Callable[["LeadFacts"], bool]:
    read, test = _lead_reader(field), _compile_test(operator, value)
    return lambda lead: test(read(lead))


def _freeze(rule: object, name: str) -> None:
    """Lists become tuples so that rules stay hashable and cannot change after compiling."""
    value = getattr(rule, name)
    if isinstance(value, list):
        object.__setattr__(rule, name, tuple(value))


def _check_activity_kind(kind: str) -> None:
    if kind not in ACTIVITY_KINDS:
        raise ValueError(f"unknown activity kind {kind!r}")


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class LeadFacts:
    """A lead's profile as scoring sees it; `email_domain` is derived from `email`."""

    email: str = ""
    first_name: str = ""
    last_name: str = ""
    title: str = ""
    organization: str = ""
    phone: str = ""
    company_size: int | None = None
    industry: str = ""
    country: str = ""
    city: str = ""
    social_handles: Mapping[str, str] = dataclasses.field(default_factory=dict)
    attributes: Mapping[str, object] = dataclasses.field(default_factory=dict)
    channel_slug: str | None = None
    channel_kind: str | None = None
    email_domain: str = dataclasses.field(init=False)

    def __post_init__(self):
        _, at, domain = (self.email or "").rpartition("@")
        object.__setattr__(self, "email_domain", domain.strip().lower() if at else "")


@dataclasses.dataclass(frozen=True, slots=True)
class ActivityFact:
    kind: str
    occurred_at: datetime
    properties: Mapping[str, object] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class PropertyCondition:
    """A test on one property of an activity, e.g. asset_type equals ebook."""

    key: str
    operator: str = "present"
    value: object = None
    _test: Test = dataclasses.field(init=False, repr=False, compare=False)

    def __post_init__(self):
        _freeze(self, "value")
        object.__setattr__(self, "_test", _compile_test(self.operator, self.value))

    def holds(self, properties: Mapping[str, object]) -> bool:
        return self._test(properties.get(self.key))


def _conditions_hold(conditions: tuple[PropertyCondition, ...], activity: ActivityFact) -> bool:
    return all(condition.holds(activity.properties) for condition in conditions)


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class ProfileRule:
    """A profile field that must hold (a gate) or earns fit points when it holds."""

    id: RuleId
    field: str
    operator: str = "present"
    value: object = None
    mode: str = GATE
    points: int = 0
    _holds: Callable[[LeadFacts], bool] = dataclasses.field(init=False, repr=False, compare=False)

    def __post_init__(self):
        _freeze(self, "value")
        if self.mode not in (GATE, POINTS):
            raise ValueError(f"unknown mode {self.mode!r}")
        if self.mode == GATE and self.points:
            raise ValueError("a gate must hold; it earns no points")
        object.__setattr__(self, "_holds", _lead_test(self.field, self.operator, self.value))

    def holds(self, lead: LeadFacts) -> bool:
        return self._holds(lead)


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class ChannelRule:
    """How leads from one channel (by slug) or one kind of channel are taken.

    A conditional channel is accepted once the lead has done any one of `required_activity_kinds`
    and, when `min_score` is set, scores at least that much.
    """

    id: RuleId
    policy: str
    channel_slug: str | None = None
    channel_kind: str | None = None
    required_activity_kinds: tuple[str, ...] = ()
    min_score: int | None = None

    def __post_init__(self):
        _freeze(self, "required_activity_kinds")
        if (self.channel_slug is None) == (self.channel_kind is None):
            raise ValueError("a channel rule names either a channel slug or a channel kind")
        if self.channel_kind is not None and self.channel_kind not in CHANNEL_KINDS:
            raise ValueError(f"unknown channel kind {self.channel_kind!r}")
        if self.policy not in (ACCEPTED, CONDITIONAL, NOT_ACCEPTED):
            raise ValueError(f"unknown channel policy {self.policy!r}")
        has_conditions = bool(self.required_activity_kinds) or self.min_score is not None
        if has_conditions != (self.policy == CONDITIONAL):
            raise ValueError("conditions belong to, and are needed by, a conditional channel")
        for kind in self.required_activity_kinds:
            _check_activity_kind(kind)
        if UNSUBSCRIBE in self.required_activity_kinds:
            raise ValueError("an unsubscribe cannot be what makes a channel acceptable")

    def accepts(self, kinds_seen: frozenset[str], total: int) -> bool:
        if self.policy != CONDITIONAL:
            return self.policy == ACCEPTED
        if self.required_activity_kinds and kinds_seen.isdisjoint(self.required_activity_kinds):
            return False
        return self.min_score is None or total >= self.min_score


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class ActionRule:
    """Points for each activity of a kind that meets the conditions, counted at most `cap` times
    and only within the last `window_days` days."""

    id: RuleId
    kind: str
    points: int
    conditions: tuple[PropertyCondition, ...] = ()
    cap: int | None = None
    window_days: int | None = None

    def __post_init__(self):
        _freeze(self, "conditions")
        _check_activity_kind(self.kind)
        if self.kind == UNSUBSCRIBE:
            raise ValueError("an unsubscribe earns no points; make it a negative")
        # Negative engagement would make decay raise scores; negatives are NegativeRules.
        if self.points < 0:
            raise ValueError("action points cannot be negative")
        if self.cap is not None and self.cap < 1:
            raise ValueError("a cap counts at least one activity")
        if self.window_days is not None and self.window_days < 1:
            raise ValueError("a window is at least one day")

    def matches(self, activity: ActivityFact) -> bool:
        return activity.kind == self.kind and _conditions_hold(self.conditions, activity)


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class NegativeRule:
    """A profile field or an activity that disqualifies the lead or takes points away.

    On a profile field it reads like a ProfileRule (field, operator, value); on an activity it
    fires once if any activity of `activity_kind` meets the conditions.
    """

    id: RuleId
    effect: str = DISQUALIFY
    points: int = 0
    field: str | None = None
    operator: str = "present"
    value: object = None
    activity_kind: str | None = None
    conditions: tuple[PropertyCondition, ...] = ()
    _holds: Callable[[LeadFacts], bool] | None = dataclasses.field(
        init=False, repr=False, compare=False
    )

    def __post_init__(self):
        _freeze(self, "value")
        _freeze(self, "conditions")
        if (self.field is None) == (self.activity_kind is None):
            raise ValueError("a negative is on either a profile field or an activity kind")
        if self.field is not None and self.conditions:
            raise ValueError("property conditions apply to activity negatives only")
        if self.effect not in (DISQUALIFY, POINTS):
            raise ValueError(f"unknown negative effect {self.effect!r}")
        if self.effect == DISQUALIFY and self.points:
            raise ValueError("a disqualifying negative takes no points")
        if self.effect == POINTS and self.points >= 0:
            raise ValueError("a negative takes points away")
        if self.activity_kind is not None:
            _check_activity_kind(self.activity_kind)
        holds = None if self.field is None else _lead_test(self.field, self.operator, self.value)
        object.__setattr__(self, "_holds", holds)

    @property
    def on_activity(self) -> bool:
        return self.activity_kind is not None

    @property
    def disqualifies(self) -> bool:
        return self.effect == DISQUALIFY

    def matches(self, activity: ActivityFact) -> bool:
        return activity.kind == self.activity_kind and _conditions_hold(self.conditions, activity)


type Rule = ProfileRule | ChannelRule | ActionRule | NegativeRule


def _by_key(rules: Iterable, key: Callable) -> dict:
    index: dict = {}
    for rule in rules:
        index.setdefault(key(rule), []).append(rule)
    return {k: tuple(v) for k, v in index.items()}


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class AgreementSpec:
    """One version of the MQL agreement. Rules are compiled and indexed here, once, so scoring
    a lead does no parsing and no searching."""

    version: int
    threshold: int
    decay_after_days: int = 0
    decay_percent_per_week: int = 0
    profile_rules: tuple[ProfileRule, ...] = ()
    channel_rules: tuple[ChannelRule, ...] = ()
    action_rules: tuple[ActionRule, ...] = ()
    negative_rules: tuple[NegativeRule, ...] = ()
    _gates: tuple[ProfileRule, ...] = dataclasses.field(init=False, repr=False, compare=False)
    _fit_rules: tuple[ProfileRule, ...] = dataclasses.field(init=False, repr=False, compare=False)
    _actions_by_kind: dict = dataclasses.field(init=False, repr=False, compare=False)
    _negatives_by_kind: dict = dataclasses.field(init=False, repr=False, compare=False)
    _channels_by_slug: dict = dataclasses.field(init=False, repr=False, compare=False)
    _channels_by_kind: dict = dataclasses.field(init=False, repr=False, compare=False)
    _decay_grace: timedelta = dataclasses.field(init=False, repr=False, compare=False)

    def __post_init__(self):
        for name in ("profile_rules", "channel_rules", "action_rules", "negative_rules"):
            _freeze(self, name)
        if self.version < 1:
            raise ValueError("versions start at 1")
        if self.threshold < 0:
            raise ValueError("the threshold cannot be negative")
        if self.decay_after_days < 0:
            raise ValueError("decay cannot start before the last engagement")
        if not 0 <= self.decay_percent_per_week <= 100:
            raise ValueError("decay is a percentage from 0 to 100")
        ids = [rule.id for rule in self.rules]
        if len(ids) != len(set(ids)):
            raise ValueError("rule ids must be unique within an agreement")
        set_ = object.__setattr__
        set_(self, "_decay_grace", timedelta(days=self.decay_after_days))
        set_(self, "_gates", tuple(r for r in self.profile_rules if r.mode == GATE))
        set_(self, "_fit_rules", tuple(r for r in self.profile_rules if r.mode == POINTS))
        set_(self, "_actions_by_kind", _by_key(self.action_rules, attrgetter("kind")))
        activity_negatives = (r for r in self.negative_rules if r.on_activity)
        set_(self, "_negatives_by_kind", _by_key(activity_negatives, attrgetter("activity_kind")))
        # The first rule for a slug or kind wins; a slug rule beats a kind rule (see score()).
        set_(self, "_channels_by_slug", {})
        set_(self, "_channels_by_kind", {})
        for rule in self.channel_rules:
            if rule.channel_slug is not None:
                self._channels_by_slug.setdefault(rule.channel_slug, rule)
            else:
                self._channels_by_kind.setdefault(rule.channel_kind, rule)

    @property
    def rules(self) -> tuple[Rule, ...]:
        return self.profile_rules + self.channel_rules + self.action_rules + self.negative_rules

    def channel_rule_for(self, lead: LeadFacts) -> ChannelRule | None:
        rule = self._channels_by_slug.get(lead.channel_slug)
        return rule if rule is not None else self._channels_by_kind.get(lead.channel_kind)

    def decayed(self, points: int, idle: timedelta) -> int:
        """Engagement fades when a lead goes quiet.

        Once a lead has not engaged for more than `decay_after_days` days, each full week beyond
        them keeps (100 - decay_percent_per_week)% of the engagement points, compounding, rounded
        down at the end: after 14 days at 25%, 21 idle days keep 75% and 28 idle days 56.25%.
        """
        if points <= 0 or not self.decay_percent_per_week or idle < self._decay_grace + _WEEK:
            return points
        weeks = (idle - self._decay_grace) // _WEEK
        keep = 100 - self.decay_percent_per_week
        # Exact integers stay cheap only while some points survive; past that the answer is 0.
        if keep == 0 or weeks * math.log(100 / keep) > math.log(points) + 1:
            return 0
        return points * keep**weeks // 100**weeks


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class EngagementFacts:
    """What scoring needs from a lead's activities; the database may compute it in bulk.

    `action_counts` are per action rule id, inside the rule's window and not yet capped.
    """

    action_counts: Mapping[RuleId, int] = dataclasses.field(default_factory=dict)
    negatives_hit: frozenset[RuleId] = frozenset()
    kinds_seen: frozenset[str] = frozenset()
    last_engaged_at: datetime | None = None


def aggregate(
    activities: Iterable[ActivityFact], agreement: AgreementSpec, now: datetime
) -> EngagementFacts:
    """Reduce raw activities to EngagementFacts. Activities after `now` have not happened yet."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    window_starts = {
        rule.id: now - timedelta(days=rule.window_days)
        for rule in agreement.action_rules
        if rule.window_days is not None
    }
    counts: dict[RuleId, int] = {}
    negatives_hit: set[RuleId] = set()
    kinds_seen: set[str] = set()
    last_engaged_at = None
    for activity in activities:
        occurred_at, kind = activity.occurred_at, activity.kind
        if occurred_at > now:
            continue
        kinds_seen.add(kind)
        if kind != UNSUBSCRIBE and (last_engaged_at is None or occurred_at > last_engaged_at):
            last_engaged_at = occurred_at
        for rule in agreement._actions_by_kind.get(kind, ()):
            start = window_starts.get(rule.id)
            if (start is None or occurred_at >= start) and rule.matches(activity):
                counts[rule.id] = counts.get(rule.id, 0) + 1
        for rule in agreement._negatives_by_kind.get(kind, ()):
            if rule.matches(activity):
                negatives_hit.add(rule.id)
    return EngagementFacts(
        action_counts=counts,
        negatives_hit=frozenset(negatives_hit),
        kinds_seen=frozenset(kinds_seen),
        last_engaged_at=last_engaged_at,
    )


@dataclasses.dataclass(frozen=True, slots=True)
class ScoreLine:
    rule: ProfileRule | ActionRule | NegativeRule
    points: int

    @property
    def text(self) -> str:
        return _describe(self.rule)


@dataclasses.dataclass(frozen=True, slots=True)
class ChannelVerdict:
    """The channel rule that applied to the lead (None: no rule, accepted) and its outcome."""

    rule: ChannelRule | None
    accepted: bool


_NO_CHANNEL_RULE = ChannelVerdict(None, True)


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class ScoreResult:
    """A lead's score under one agreement version, and why it is or is not an MQL.

    The points of `lines` minus `decay_points` add up to `total`.
    """

    agreement: AgreementSpec = dataclasses.field(repr=False)
    total: int
    fit: int
    engagement: int
    decay_points: int
    negative_points: int
    lines: tuple[ScoreLine, ...]
    gates_unmet: tuple[ProfileRule, ...]
    negatives_hit: tuple[NegativeRule, ...]
    channel: ChannelVerdict
    qualifies: bool

    @property
    def version(self) -> int:
        return self.agreement.version

    @property
    def threshold(self) -> int:
        return self.agreement.threshold

    @property
    def gates_met(self) -> tuple[ProfileRule, ...]:
        return tuple(gate for gate in self.agreement._gates if gate not in self.gates_unmet)

    @property
    def reasons_not(self) -> list[str]:
        # describe.py reads the rule types defined here, so it is imported on first use.
        from scoring.describe import reasons_not

        return reasons_not(self)

    def as_dict(self) -> dict:
        """JSON-ready explanation, worded in the active language."""
        channel = self.channel
        return {
            "version": self.version,
            "qualifies": self.qualifies,
            "total": self.total,
            "threshold": self.threshold,
            "fit": self.fit,
            "engagement": self.engagement,
            "decay_points": self.decay_points,
            "negative_points": self.negative_points,
            "lines": [
                {"id": line.rule.id, "rule": line.text, "points": line.points}
                for line in self.lines
            ],
            "gates_met": [_named(rule) for rule in self.gates_met],
            "gates_unmet": [_named(rule) for rule in self.gates_unmet],
            "negatives": [
                {**_named(rule), "disqualifies": rule.disqualifies, "points": rule.points}
                for rule in self.negatives_hit
            ],
            "channel": None
            if channel.rule is None
            else {**_named(channel.rule), "accepted": channel.accepted},
            "reasons_not": self.reasons_not,
        }


def _describe(rule: Rule) -> str:
    # describe.py reads the rule types defined here, so it is imported on first use.
    from scoring.describe import describe

    return describe(rule)


def _named(rule: Rule) -> dict:
    return {"id": rule.id, "rule": _describe(rule)}


def score(
    lead: LeadFacts, facts: EngagementFacts, agreement: AgreementSpec, now: datetime
) -> ScoreResult:
    """Score one lead. Total = fit + engagement after decay + negative points (may be below 0)."""
    lines = []
    fit = 0
    for rule in agreement._fit_rules:
        if rule._holds(lead):
            fit += rule.points
            lines.append(ScoreLine(rule, rule.points))
    gates_unmet = [rule for rule in agreement._gates if not rule._holds(lead)]

    raw_engagement = 0
    counts = facts.action_counts
    for rule in agreement.action_rules:
        count = counts.get(rule.id)
        if count:
            if rule.cap is not None and count > rule.cap:
                count = rule.cap
            raw_engagement += count * rule.points
            lines.append(ScoreLine(rule, count * rule.points))
    engagement = raw_engagement
    if raw_engagement and facts.last_engaged_at is not None:
        engagement = agreement.decayed(raw_engagement, now - facts.last_engaged_at)

    negatives_hit = []
    negative_points = 0
    disqualified = False
    for rule in agreement.negative_rules:
        hit = rule.id in facts.negatives_hit if rule.on_activity else rule._holds(lead)
        if hit:
            negatives_hit.append(rule)
            if rule.effect == DISQUALIFY:
                disqualified = True
            else:
                negative_points += rule.points
                lines.append(ScoreLine(rule, rule.points))

    total = fit + engagement + negative_points
    channel_rule = agreement.channel_rule_for(lead)
    channel = (
        _NO_CHANNEL_RULE
        if channel_rule is None
        else ChannelVerdict(channel_rule, channel_rule.accepts(facts.kinds_seen, total))
    )
    return ScoreResult(
        agreement=agreement,
        total=total,
        fit=fit,
        engagement=engagement,
        decay_points=raw_engagement - engagement,
        negative_points=negative_points,
        lines=tuple(lines),
        gates_unmet=tuple(gates_unmet),
        negatives_hit=tuple(negatives_hit),
        channel=channel,
        qualifies=not disqualified
        and not gates_unmet
        and channel.accepted
        and total >= agreement.threshold,
    )


def qualifies(
    lead: LeadFacts, facts: EngagementFacts, agreement: AgreementSpec, now: datetime
) -> bool:
    """`score(...).qualifies` without the explanation, for callers that judge many leads at once
    (the impact preview): it stops at the first unmet gate or disqualifying negative and builds
    no lines, which halves the cost per lead."""
    for rule in agreement._gates:
        if not rule._holds(lead):
            return False
    negative_points = 0
    for rule in agreement.negative_rules:
        hit = rule.id in facts.negatives_hit if rule.on_activity else rule._holds(lead)
        if hit:
            if rule.effect == DISQUALIFY:
                return False
            negative_points += rule.points
    fit = 0
    for rule in agreement._fit_rules:
        if rule._holds(lead):
            fit += rule.points
    engagement = 0
    counts = facts.action_counts
    for rule in agreement.action_rules:
        count = counts.get(rule.id)
        if count:
            engagement += (count if rule.cap is None else min(count, rule.cap)) * rule.points
    if engagement and facts.last_engaged_at is not None:
        engagement = agreement.decayed(engagement, now - facts.last_engaged_at)
    total = fit + engagement + negative_points
    channel_rule = agreement.channel_rule_for(lead)
    accepted = channel_rule is None or channel_rule.accepts(facts.kinds_seen, total)
    return accepted and total >= agreement.threshold


def evaluate(
    lead: LeadFacts, activities: Iterable[ActivityFact], agreement: AgreementSpec, now: datetime
) -> ScoreResult:
    return score(lead, aggregate(activities, agreement, now), agreement, now)
