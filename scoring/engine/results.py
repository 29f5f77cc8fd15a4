"""Scoring one lead in two steps: `aggregate` (activities -> EngagementFacts) and `score`
(profile + facts -> ScoreResult); the database computes the same aggregates in bulk (facts.py).
"""

import dataclasses
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta

from scoring.engine.rules import (
    DISQUALIFY,
    UNSUBSCRIBE,
    ActionRule,
    ActivityFact,
    AgreementSpec,
    ChannelRule,
    LeadFacts,
    NegativeRule,
    ProfileRule,
    RuleId,
)


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
