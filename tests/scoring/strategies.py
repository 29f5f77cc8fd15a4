"""Hypothesis strategies for agreements, leads and activity histories, shared by the engine's
property tests and the differential test of the database path against the engine.

Values are drawn from small pools so that generated rules often meet generated data, and the
pools hold what real sources send: numbers as text (with spaces, signs, decimals, and what is
not a plain number), whitespace-only text, case, full-width forms and several scripts.
"""

from datetime import UTC, datetime, timedelta

from hypothesis import strategies as st

from leads.models import OPEN_COMPANY_SIZE
from scoring.engine import (
    OPERATORS,
    PROFILE_FIELDS,
    ActionRule,
    ActivityFact,
    AgreementSpec,
    ChannelRule,
    LeadFacts,
    NegativeRule,
    ProfileRule,
    PropertyCondition,
)

NOW = datetime(2025, 6, 2, 9, 30, tzinfo=UTC)

TEXTS = [
    *("Ana", "ceo", "Head of Procurement", "VP Sales", "student", "Газпром", "ผู้จัดการ", "北京"),
    *("ebook", "ＥＢＯＯＫ", "Straße", "STRASSE", "ΣΊΣΥΦΟΣ", "σίσυφος", "45", " 45 ", "-2.5"),
]
PROFILE_TEXTS = st.sampled_from([*TEXTS, "", " "])
SCALARS = st.sampled_from(TEXTS) | st.integers(0, 5000) | st.sampled_from([44.5, -2.5])
# Near the minutes activities carry, so that bounds split them.
BOUNDS = st.integers(0, 120) | st.sampled_from([30, 45, 44.5, -2.5, 0.1, 1000])
PATTERNS = [r"^vp", r"head|chief", r"\d{2,}", r"^$", "ผู้", r"^\s*4\d\b", r"^[+-]?\d+(\.\d+)?$"]
PATTERNS += [r"\bebook\b", "straße", "σίσυφος", r"\pL{4}"]
# What webinar tools, forms and CSV files send for a number, and what only looks like one.
NUMBERS_AS_TEXT = [
    *("45", " 45 ", "+45", "45.0", "44.5", "-2.5", "0.1", "45.00000000000000001", "\t30\n"),
    *("1e3", "nan", "inf", "0x1f", "1_000", "٤٥", "４５", ".5", "n/a", "", "  "),
]
FIELDS = [*PROFILE_FIELDS, "attributes.budget", "attributes.plan"]
CHANNELS = [
    (None, None),
    ("spring-summit", "event"),
    ("trade-fair", "event"),
    ("chat", "interaction"),
    ("search-ads", "paid"),
    ("bought-list", "outbound_list"),
]
# A few kinds, so that generated activities often meet generated rules.
KINDS = ["content_download", "demo_request", "email_click", "event_attended", "unsubscribe"]
POSITIVE_KINDS = KINDS[:-1]
ASSET_TYPES = st.sampled_from(
    ["ebook", "EBOOK", " eBook ", "ＥＢＯＯＫ", "whitepaper", "Straße", "strasse", "", "  "]
) | st.sampled_from([None, True, 45, ["ebook"], {}])
MINUTES = (
    st.integers(-5, 120)
    | st.sampled_from(NUMBERS_AS_TEXT)
    | st.sampled_from([44.5, 45.0, 0.1, True, False, None, [45]])
)
PROPERTIES = st.fixed_dictionaries({}, optional={"asset_type": ASSET_TYPES, "minutes": MINUTES})


@st.composite
def leads(draw) -> LeadFacts:
    channel_slug, channel_kind = draw(st.sampled_from(CHANNELS))
    user, domain = (
        draw(st.sampled_from(["ana", "li"])),
        draw(st.sampled_from(["northwind.io", "GMail.com", "mail.ru", "acme.co.th"])),
    )
    size = draw(st.none() | st.integers(0, 5000))
    # A range ("51-200", "10,000+") as imports store it, or an exact size (no upper end).
    size_max = None
    if size is not None:
        size_max = draw(st.none() | st.integers(size + 1, size + 5000) | st.just(OPEN_COMPANY_SIZE))
    return LeadFacts(
        email=draw(st.sampled_from([f"{user}@{domain}", ""])),
        first_name=draw(PROFILE_TEXTS),
        last_name=draw(PROFILE_TEXTS),
        title=draw(PROFILE_TEXTS),
        organization=draw(PROFILE_TEXTS),
        phone=draw(st.sampled_from(["", "+66 2 123 4567"])),
        company_size=size,
        company_size_max=size_max,
        industry=draw(PROFILE_TEXTS),
        country=draw(st.sampled_from(["", "TH", "CN", "RU", "SA"])),
        city=draw(PROFILE_TEXTS),
        social_handles=draw(st.dictionaries(st.sampled_from(["linkedin", "x"]), st.just("@ana"))),
        attributes=draw(st.dictionaries(st.sampled_from(["budget", "plan"]), SCALARS)),
        channel_slug=channel_slug,
        channel_kind=channel_kind,
    )


@st.composite
def operators_and_values(draw) -> tuple[str, object]:
    operator = draw(st.sampled_from(OPERATORS))
    match operator:
        case "present":
            return operator, None
        case "equals":
            return operator, draw(SCALARS)
        case "one_of" | "not_one_of":
            return operator, draw(st.lists(SCALARS, min_size=1, max_size=3))
        case "contains":
            return operator, draw(SCALARS | st.lists(SCALARS, min_size=1, max_size=3))
        case "matches":
            return operator, draw(st.sampled_from(PATTERNS))
    return operator, draw(BOUNDS)


@st.composite
def conditions(draw) -> tuple[PropertyCondition, ...]:
    found = []
    for key in draw(st.lists(st.sampled_from(["asset_type", "minutes"]), max_size=2)):
        operator, value = draw(operators_and_values())
        found.append(PropertyCondition(key=key, operator=operator, value=value))
    return tuple(found)


@st.composite
def profile_rules(draw, rule_id, mode=None) -> ProfileRule:
    operator, value = draw(operators_and_values())
    mode = mode or draw(st.sampled_from(["gate", "points"]))
    return ProfileRule(
        id=rule_id,
        field=draw(st.sampled_from(FIELDS)),
        operator=operator,
        value=value,
        mode=mode,
        points=0 if mode == "gate" else draw(st.integers(-5, 20)),
    )


@st.composite
def action_rules(draw, rule_id) -> ActionRule:
    return ActionRule(
        id=rule_id,
        kind=draw(st.sampled_from(POSITIVE_KINDS)),
        conditions=draw(conditions()),
        points=draw(st.integers(0, 20)),
        cap=draw(st.none() | st.integers(1, 5)),
        window_days=draw(st.none() | st.integers(1, 120)),
    )


@st.composite
def negative_rules(draw, rule_id) -> NegativeRule:
    effect = draw(st.sampled_from(["disqualify", "points"]))
    points = 0 if effect == "disqualify" else draw(st.integers(-20, -1))
    if draw(st.booleans()):
        operator, value = draw(operators_and_values())
        return NegativeRule(
            id=rule_id,
            effect=effect,
            points=points,
            field=draw(st.sampled_from(FIELDS)),
            operator=operator,
            value=value,
        )
    return NegativeRule(
        id=rule_id,
        effect=effect,
        points=points,
        activity_kind=draw(st.sampled_from(KINDS)),
        conditions=draw(conditions()),
    )


@st.composite
def channel_rules(draw, rule_id) -> ChannelRule:
    slug, kind = draw(st.sampled_from(CHANNELS[1:]))
    policy = draw(st.sampled_from(["accepted", "conditional", "not_accepted"]))
    required, min_score = (), None
    if policy == "conditional":
        required = tuple(draw(st.lists(st.sampled_from(POSITIVE_KINDS), max_size=2)))
        min_score = draw(st.integers(0, 40)) if not required or draw(st.booleans()) else None
    by_slug = draw(st.booleans())
    return ChannelRule(
        id=rule_id,
        channel_slug=slug if by_slug else None,
        channel_kind=None if by_slug else kind,
        policy=policy,
        required_activity_kinds=required,
        min_score=min_score,
    )


def rule_lists(draw, rules, prefix: str, max_size: int) -> tuple:
    count = draw(st.integers(0, max_size))
    return tuple(draw(rules(f"{prefix}{index}")) for index in range(count))


@st.composite
def agreements(draw) -> AgreementSpec:
    return AgreementSpec(
        version=draw(st.integers(1, 9)),
        threshold=draw(st.integers(0, 60)),
        decay_after_days=draw(st.integers(0, 30)),
        decay_percent_per_week=draw(st.sampled_from([0, 100]) | st.integers(0, 100)),
        profile_rules=rule_lists(draw, profile_rules, "profile-", 3),
        channel_rules=rule_lists(draw, channel_rules, "channel-", 2),
        action_rules=rule_lists(draw, action_rules, "action-", 4),
        negative_rules=rule_lists(draw, negative_rules, "negative-", 3),
    )


def activities_at(kinds, latest: datetime = NOW + timedelta(days=10), properties=PROPERTIES):
    return st.builds(
        ActivityFact,
        kind=kinds,
        occurred_at=st.datetimes(
            min_value=datetime(2025, 2, 1),
            max_value=latest.replace(tzinfo=None),
            timezones=st.just(UTC),
        ),
        properties=properties,
    )


ACTIVITIES = st.lists(activities_at(st.sampled_from(KINDS)), max_size=12)
PAST_ACTIVITIES = st.lists(activities_at(st.sampled_from(KINDS), NOW), max_size=12)
