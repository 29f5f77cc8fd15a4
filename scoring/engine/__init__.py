"""The MQL agreement as data, and the pure scoring that applies it to one lead.

Nothing here touches the database, the clock or a language: callers pass the lead's profile, its
activities (or aggregates of them computed in bulk) and `now`, so the same inputs always give the
same result and a preview can score many leads without queries. Refusals are RuleError codes
that scoring/describe.py words; explanations of results are worded there too.
"""

from scoring.engine.errors import RuleError
from scoring.engine.operators import OPERATORS, Test, compile_test
from scoring.engine.results import (
    ChannelVerdict,
    EngagementFacts,
    ScoreLine,
    ScoreResult,
    aggregate,
    evaluate,
    qualifies,
    score,
)
from scoring.engine.rules import (
    ACCEPTED,
    ACTIVITY_KINDS,
    ATTRIBUTE_PREFIX,
    CHANNEL_KINDS,
    CONDITIONAL,
    DISQUALIFY,
    GATE,
    NOT_ACCEPTED,
    POINTS,
    PROFILE_FIELDS,
    UNSUBSCRIBE,
    ActionRule,
    ActivityFact,
    AgreementSpec,
    ChannelRule,
    LeadFacts,
    NegativeRule,
    ProfileRule,
    PropertyCondition,
    Rule,
    RuleId,
)

__all__ = [
    "ACCEPTED",
    "ACTIVITY_KINDS",
    "ATTRIBUTE_PREFIX",
    "CHANNEL_KINDS",
    "CONDITIONAL",
    "DISQUALIFY",
    "GATE",
    "NOT_ACCEPTED",
    "OPERATORS",
    "POINTS",
    "PROFILE_FIELDS",
    "UNSUBSCRIBE",
    "ActionRule",
    "ActivityFact",
    "AgreementSpec",
    "ChannelRule",
    "ChannelVerdict",
    "EngagementFacts",
    "LeadFacts",
    "NegativeRule",
    "ProfileRule",
    "PropertyCondition",
    "Rule",
    "RuleError",
    "RuleId",
    "ScoreLine",
    "ScoreResult",
    "Test",
    "aggregate",
    "compile_test",
    "evaluate",
    "qualifies",
    "score",
]
