"""The MQL agreement as data: profile facts, activities, the four kinds of rules and one version
of the agreement, each validated as it is built (a refusal is a RuleError code)."""

import dataclasses
import math
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta
from operator import attrgetter

from scoring import normal
from scoring.engine.errors import RuleError
from scoring.engine.operators import Test, compile_test

type RuleId = str | int

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

GATE, POINTS = "gate", "points"
ACCEPTED, CONDITIONAL, NOT_ACCEPTED = "accepted", "conditional", "not_accepted"
DISQUALIFY = "disqualify"

_WEEK = timedelta(weeks=1)


def _lead_reader(field: str) -> Callable[["LeadFacts"], object]:
    if field.startswith(ATTRIBUTE_PREFIX) and len(field) > len(ATTRIBUTE_PREFIX):
        key = field.removeprefix(ATTRIBUTE_PREFIX)
        return lambda lead: lead.attributes.get(key)
    if field not in PROFILE_FIELDS:
        raise RuleError("field_unknown", field=field)
    return attrgetter(field)


def _lead_test(field: str, operator: str, value: object) -> Callable[["LeadFacts"], bool]:
    read, test = _lead_reader(field), compile_test(operator, value)
    if field == "company_size":
        # A size range holds a rule when both its ends do (normal.size_bounds says why).
        def both_ends(lead: "LeadFacts") -> bool:
            low, high = normal.size_bounds(lead.company_size, lead.company_size_max)
            return test(low) and test(high)

        return both_ends
    if field == "email_domain" and operator in DOMAIN_OPERATORS:
        if operator == "not_one_of":
            return lambda lead: all(test(domain) for domain in _domain_and_parents(read(lead)))
        return lambda lead: any(test(domain) for domain in _domain_and_parents(read(lead)))
    return lambda lead: test(read(lead))


# A domain names its subdomains too: a rule on qq.com holds for vip.qq.com, as mail providers
# and companies hand out addresses on subdomains of the domain a marketer knows.
DOMAIN_OPERATORS = frozenset({"equals", "one_of", "not_one_of"})


def _domain_and_parents(domain: str) -> list[str]:
    """ "vip.qq.com" → ["vip.qq.com", "qq.com", "com"]; an empty domain stays one empty value."""
    labels = domain.split(".")
    return [".".join(labels[index:]) for index in range(len(labels))]


def _freeze(rule: object, name: str) -> None:
    """Lists become tuples so that rules stay hashable and cannot change after compiling."""
    value = getattr(rule, name)
    if isinstance(value, list):
        object.__setattr__(rule, name, tuple(value))


def _check_activity_kind(kind: str) -> None:
    if kind not in ACTIVITY_KINDS:
        raise RuleError("activity_kind_unknown", kind=kind)


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
    company_size_max: int | None = None  # the upper end of a size range; None when exact
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
        object.__setattr__(self, "_test", compile_test(self.operator, self.value))

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
            raise RuleError("mode_unknown", mode=self.mode)
        if self.mode == GATE and self.points:
            raise RuleError("gate_with_points")
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
            raise RuleError("channel_slug_or_kind")
        if self.channel_kind is not None and self.channel_kind not in CHANNEL_KINDS:
            raise RuleError("channel_kind_unknown", kind=self.channel_kind)
        if self.policy not in (ACCEPTED, CONDITIONAL, NOT_ACCEPTED):
            raise RuleError("channel_policy_unknown", policy=self.policy)
        has_conditions = bool(self.required_activity_kinds) or self.min_score is not None
        if has_conditions != (self.policy == CONDITIONAL):
            raise RuleError("channel_conditions_mismatch")
        for kind in self.required_activity_kinds:
            _check_activity_kind(kind)
        if UNSUBSCRIBE in self.required_activity_kinds:
            raise RuleError("channel_requires_unsubscribe")

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
            raise RuleError("action_on_unsubscribe")
        # Negative engagement would make decay raise scores; negatives are NegativeRules.
        if self.points < 0:
            raise RuleError("action_points_negative")
        if self.cap is not None and self.cap < 1:
            raise RuleError("cap_below_one")
        if self.window_days is not None and self.window_days < 1:
            raise RuleError("window_below_one")

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
            raise RuleError("negative_field_or_activity")
        if self.field is not None and self.conditions:
            raise RuleError("negative_conditions_on_field")
        if self.effect not in (DISQUALIFY, POINTS):
            raise RuleError("negative_effect_unknown", effect=self.effect)
        if self.effect == DISQUALIFY and self.points:
            raise RuleError("disqualify_with_points")
        if self.effect == POINTS and self.points >= 0:
            raise RuleError("negative_points_not_below_zero")
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
            raise RuleError("version_below_one")
        if self.threshold < 0:
            raise RuleError("threshold_negative")
        if self.decay_after_days < 0:
            raise RuleError("decay_after_negative")
        if not 0 <= self.decay_percent_per_week <= 100:
            raise RuleError("decay_percent_out_of_range")
        ids = [rule.id for rule in self.rules]
        if len(ids) != len(set(ids)):
            raise RuleError("rule_ids_not_unique")
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
