import dataclasses
import json
from datetime import datetime, timedelta
from fractions import Fraction

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from leads.models import ActivityKind, ChannelKind
from scoring.describe import explanation, reasons_not
from scoring.engine import (
    ACTIVITY_KINDS,
    CHANNEL_KINDS,
    ActionRule,
    ActivityFact,
    AgreementSpec,
    ChannelRule,
    EngagementFacts,
    LeadFacts,
    NegativeRule,
    ProfileRule,
    PropertyCondition,
    aggregate,
    evaluate,
    qualifies,
    score,
)
from scoring.starter import FREE_MAIL_DOMAINS, starter_agreement
from tests.scoring.strategies import (
    ACTIVITIES,
    FIELDS,
    NOW,
    PAST_ACTIVITIES,
    agreements,
    leads,
    negative_rules,
    profile_rules,
)

STARTER = starter_agreement()
PROPERTY_TESTS = settings(max_examples=100, deadline=None)


def days_ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


def corporate_lead(**changes) -> LeadFacts:
    profile = {
        "email": "ana.lima@northwind.io",
        "first_name": "Ana",
        "last_name": "Lima",
        "title": "Head of Marketing Operations",
        "organization": "Northwind",
    }
    return LeadFacts(**(profile | changes))


def ebook(days: float = 2) -> ActivityFact:
    return ActivityFact("content_download", days_ago(days), {"asset_type": "ebook"})


def contact_request(days: float = 1) -> ActivityFact:
    return ActivityFact("contact_request", days_ago(days))


def ids(rules) -> list:
    return [rule.id for rule in rules]


# Worked examples on the starter agreement


def test_a_complete_corporate_profile_with_an_ebook_and_a_contact_request_is_an_mql():
    result = evaluate(corporate_lead(), [ebook(), contact_request()], STARTER, NOW)

    assert result.qualifies
    assert (result.total, result.fit, result.engagement) == (15, 0, 15)
    assert [(line.rule.id, line.points) for line in result.lines] == [
        ("ebook_download", 5),
        ("contact_request", 10),
    ]
    assert ids(result.gates_met) == ["first_name", "last_name", "title", "organization"]
    assert reasons_not(result) == []


def test_a_free_mail_address_disqualifies_and_names_the_negative():
    lead = corporate_lead(email="Ana.Lima@GMail.com")

    result = evaluate(lead, [ebook(), contact_request()], STARTER, NOW)

    assert not result.qualifies
    assert result.total == 15
    assert ids(result.negatives_hit) == ["free_mail"]
    [reason] = reasons_not(result)
    assert reason.startswith("Negative hit: Disqualify: email domain is one of gmail.com")


@pytest.mark.parametrize(
    "title",
    [
        "Head of Procurement",
        "purchasing manager",
        "MBA STUDENT",
        "ผู้จัดการฝ่ายจัดซื้อ",
        "นักศึกษาปริญญาโท",
        "采购经理",
        "採購經理",  # Traditional characters
        "研究生学生",
        "Менеджер по закупкам",
        "Руководитель отдела снабжения",
        "Студентка",
        "مدير المشتريات",
        "مدير المُشتريات",  # with a damma
        "طالبة ماجستير",
    ],
)
def test_an_excluded_title_disqualifies_in_every_language(title):
    result = evaluate(corporate_lead(title=title), [ebook(), contact_request()], STARTER, NOW)

    assert not result.qualifies
    assert ids(result.negatives_hit) == ["excluded_title"]
    [reason] = reasons_not(result)
    assert reason.startswith("Negative hit: Disqualify: title contains procurement, purchasing")


@pytest.mark.parametrize(
    "email",
    [
        "wang@126.com",
        "li@vip.qq.com",
        "zhang@foxmail.com",
        "ivan@bk.ru",
        "olga@ya.ru",
        "petr@rambler.ru",
        "somchai@yahoo.co.th",
        "malee@hotmail.co.th",
    ],
)
def test_these_markets_free_mail_addresses_disqualify(email):
    result = evaluate(corporate_lead(email=email), [ebook(), contact_request()], STARTER, NOW)

    assert not result.qualifies
    assert ids(result.negatives_hit) == ["free_mail"]


@pytest.mark.parametrize("email", ["ana@acme.com", "ana@qq.com.example.com", "ana@myqq.com"])
def test_a_domain_rule_holds_for_subdomains_only(email):
    result = evaluate(corporate_lead(email=email), [ebook(), contact_request()], STARTER, NOW)

    assert ids(result.negatives_hit) == []


def test_not_one_of_a_domain_excludes_its_subdomains():
    rule = ProfileRule(
        id="company", field="email_domain", operator="not_one_of", value=("gmail.com",)
    )
    assert rule.holds(corporate_lead(email="a@acme.com"))
    assert not rule.holds(corporate_lead(email="a@gmail.com"))
    assert not rule.holds(corporate_lead(email="a@mail.gmail.com"))


def test_a_missing_title_fails_its_gate_and_says_so():
    result = evaluate(corporate_lead(title="  "), [ebook(), contact_request()], STARTER, NOW)

    assert not result.qualifies
    assert ids(result.gates_unmet) == ["title"]
    assert reasons_not(result) == ["Gate not met: Title must be present"]


def test_an_ebook_alone_is_below_the_threshold():
    result = evaluate(corporate_lead(), [ebook()], STARTER, NOW)

    assert not result.qualifies
    assert result.total == 5
    assert reasons_not(result) == ["Score 5 is below the threshold 15"]


def test_an_unsubscribe_disqualifies():
    unsubscribe = ActivityFact("unsubscribe", days_ago(3))

    result = evaluate(corporate_lead(), [ebook(), contact_request(), unsubscribe], STARTER, NOW)

    assert not result.qualifies
    assert ids(result.negatives_hit) == ["unsubscribed"]
    assert reasons_not(result) == ["Negative hit: Disqualify: any unsubscribe"]


def test_points_older_than_their_window_do_not_count():
    pricing_views = [ActivityFact("pricing_view", days_ago(days)) for days in (29, 30, 31)]
    # A recent page view keeps decay out of the picture.
    activities = [ebook(days=90), ebook(days=91), *pricing_views, ActivityFact("page_view", NOW)]

    facts = aggregate(activities, STARTER, NOW)

    assert facts.action_counts == {"ebook_download": 1, "pricing_view": 2}
    assert evaluate(corporate_lead(), activities, STARTER, NOW).engagement == 5 + 2 * 3


def test_a_rule_without_a_window_counts_old_activities():
    result = evaluate(corporate_lead(), [contact_request(days=400)], STARTER, days_ago(400))

    assert result.engagement == 10


@pytest.mark.parametrize(
    ("idle_days", "expected"),
    [
        (0, 30),
        (14, 30),
        (20.9, 30),
        # 21 idle days: one full week past the 14 quiet days keeps 75%: 30 * 0.75 = 22.5 -> 22.
        (21, 22),
        # Two weeks compound: 30 * 0.75 * 0.75 = 16.875 -> 16.
        (28, 16),
    ],
)
def test_inactivity_decays_engagement_points(idle_days, expected):
    last = NOW - timedelta(days=30)
    activities = [
        ActivityFact("content_download", last, {"asset_type": "ebook"}),
        ActivityFact("contact_request", last),
        ActivityFact("demo_request", last),
    ]

    result = evaluate(corporate_lead(), activities, STARTER, last + timedelta(days=idle_days))

    assert result.engagement == expected
    assert result.decay_points == 30 - expected
    assert result.total == expected


def test_decay_leaves_fit_and_negatives_alone():
    agreement = AgreementSpec(
        version=1,
        threshold=0,
        decay_after_days=0,
        decay_percent_per_week=50,
        profile_rules=(
            ProfileRule(
                id="size",
                field="company_size",
                operator="at_least",
                value=50,
                mode="points",
                points=10,
            ),
        ),
        action_rules=(ActionRule(id="demo", kind="demo_request", points=20),),
        negative_rules=(
            NegativeRule(
                id="edu",
                field="industry",
                operator="equals",
                value="Education",
                effect="points",
                points=-5,
            ),
        ),
    )
    lead = corporate_lead(company_size=200, industry="education")

    result = evaluate(lead, [ActivityFact("demo_request", days_ago(14))], agreement, NOW)

    assert (result.fit, result.engagement, result.negative_points) == (10, 5, -5)
    assert result.total == 10


def test_an_unsubscribe_is_not_engagement():
    facts = aggregate(
        [contact_request(days=30), ActivityFact("unsubscribe", days_ago(1))], STARTER, NOW
    )

    assert facts.last_engaged_at == days_ago(30)
    assert facts.kinds_seen == {"contact_request", "unsubscribe"}


def test_caps_limit_how_many_activities_count():
    clicks = [ActivityFact("email_click", days_ago(day)) for day in range(7)]

    result = evaluate(
        corporate_lead(), [ebook(days) for days in range(1, 6)] + clicks, STARTER, NOW
    )

    assert aggregate(clicks, STARTER, NOW).action_counts == {"email_click": 7}
    assert [(line.rule.id, line.points) for line in result.lines] == [
        ("ebook_download", 15),
        ("email_click", 5),
    ]


def test_activities_after_now_are_ignored():
    later = NOW + timedelta(minutes=1)
    activities = [
        ebook(),
        ActivityFact("demo_request", later),
        ActivityFact("unsubscribe", later),
    ]

    facts = aggregate(activities, STARTER, NOW)
    result = score(corporate_lead(), facts, STARTER, NOW)

    assert facts.action_counts == {"ebook_download": 1}
    assert facts.last_engaged_at == days_ago(2)
    assert facts.kinds_seen == {"content_download"}
    assert result.negatives_hit == ()
    assert result.total == 5


def test_a_webinar_counts_from_thirty_minutes():
    webinars = [
        ActivityFact("webinar_attended", days_ago(1), {"minutes": minutes})
        for minutes in (29, 30, "45", "most of it")
    ]
    webinars.append(ActivityFact("webinar_attended", days_ago(1)))

    assert aggregate(webinars, STARTER, NOW).action_counts == {"webinar_attended_30min": 2}


def test_the_explanation_is_json_with_the_api_keys():
    result = evaluate(corporate_lead(email="ana@qq.com"), [ebook()], STARTER, NOW)

    explained = json.loads(json.dumps(explanation(result)))

    assert {"qualifies", "lines", "gates_unmet", "negatives"} <= explained.keys()
    assert explained["qualifies"] is False
    assert explained["lines"] == [
        {
            "id": "ebook_download",
            "rule": "+5 for each content download where asset type is ebook, at most 3, "
            "in the last 90 days",
            "points": 5,
        }
    ]
    assert explained["gates_unmet"] == []
    assert [negative["id"] for negative in explained["negatives"]] == ["free_mail"]
    assert explained["version"] == 1
    assert explained["reasons_not"] == reasons_not(result)


@pytest.mark.parametrize(
    ("email", "domain"),
    [("Ana@Mail.RU ", "mail.ru"), ("ana@team@acme.co.th", "acme.co.th"), ("ana", ""), ("", "")],
)
def test_the_email_domain_is_the_lowercased_part_after_the_at(email, domain):
    assert LeadFacts(email=email).email_domain == domain


def test_the_starter_agreement_refuses_free_mail_in_any_case():
    for domain in FREE_MAIL_DOMAINS:
        lead = corporate_lead(email=f"ana@{domain.upper()}")
        result = evaluate(
            lead, [contact_request(), ActivityFact("demo_request", NOW)], STARTER, NOW
        )
        assert ids(result.negatives_hit) == ["free_mail"], domain


# Channels

EVENT_LEAD = {"channel_slug": "spring-summit", "channel_kind": "event"}


def agreement_with(*channel_rules: ChannelRule, threshold: int = 15) -> AgreementSpec:
    return dataclasses.replace(STARTER, channel_rules=channel_rules, threshold=threshold)


def test_no_channel_rule_means_accepted():
    result = evaluate(corporate_lead(**EVENT_LEAD), [ebook(), contact_request()], STARTER, NOW)

    assert result.channel.rule is None
    assert result.channel.accepted and result.qualifies


def test_a_channel_that_is_not_accepted_blocks_mql():
    rule = ChannelRule(id="no-lists", channel_kind="outbound_list", policy="not_accepted")
    lead = corporate_lead(channel_slug="bought-list", channel_kind="outbound_list")

    result = evaluate(lead, [ebook(), contact_request()], agreement_with(rule), NOW)

    assert not result.qualifies
    assert reasons_not(result) == [
        "Channel not accepted: Leads from outbound list channels are not accepted"
    ]


def test_an_event_lead_needs_to_have_attended():
    rule = ChannelRule(
        id="events",
        channel_kind="event",
        policy="conditional",
        required_activity_kinds=("event_attended", "webinar_attended"),
    )
    agreement = agreement_with(rule)
    lead = corporate_lead(**EVENT_LEAD)
    registered = ActivityFact("webinar_registered", days_ago(5))
    attended = ActivityFact("event_attended", days_ago(4))

    before = evaluate(lead, [registered, ebook(), contact_request()], agreement, NOW)
    after = evaluate(lead, [registered, attended, ebook(), contact_request()], agreement, NOW)

    assert not before.qualifies
    assert reasons_not(before) == [
        "Channel condition not met: Leads from event channels are accepted only after "
        "event attendance or webinar attendance"
    ]
    assert after.qualifies


def test_an_interaction_lead_needs_a_higher_score():
    rule = ChannelRule(
        id="interactions", channel_kind="interaction", policy="conditional", min_score=25
    )
    lead = corporate_lead(channel_slug="chat", channel_kind="interaction")

    low = evaluate(lead, [ebook(), contact_request()], agreement_with(rule), NOW)
    high = evaluate(
        lead, [ebook(), contact_request(), ebook(3), ebook(4)], agreement_with(rule), NOW
    )

    assert (low.total, low.qualifies, low.channel.accepted) == (15, False, False)
    assert (high.total, high.qualifies) == (25, True)


def test_a_rule_for_the_channel_beats_a_rule_for_its_kind():
    by_kind = ChannelRule(id="events", channel_kind="event", policy="not_accepted")
    by_slug = ChannelRule(id="summit", channel_slug="spring-summit", policy="accepted")
    agreement = agreement_with(by_kind, by_slug)
    activities = [ebook(), contact_request()]

    summit = evaluate(corporate_lead(**EVENT_LEAD), activities, agreement, NOW)
    other_event = evaluate(
        corporate_lead(channel_slug="trade-fair", channel_kind="event"), activities, agreement, NOW
    )

    assert summit.channel.rule == by_slug and summit.qualifies
    assert other_event.channel.rule == by_kind and not other_event.qualifies


# Operators


@pytest.mark.parametrize(
    ("field", "operator", "value", "lead_value", "holds"),
    [
        ("title", "present", None, "CEO", True),
        ("title", "present", None, " ", False),
        ("company_size", "present", None, 0, True),
        ("company_size", "present", None, None, False),
        ("social_handles", "present", None, {}, False),
        ("social_handles", "present", None, {"linkedin": "ana"}, True),
        ("industry", "equals", "Software", " SOFTWARE ", True),
        ("industry", "equals", "Software", "Software services", False),
        ("title", "equals", "CEO", "\uff23\uff25\uff2f", True),
        ("country", "equals", "Россия", "РОССИЯ", True),
        ("company_size", "equals", 50, 50, True),
        ("company_size", "equals", 50.0, 50, True),
        ("country", "one_of", ["TH", "CN"], "th", True),
        ("country", "one_of", ["TH", "CN"], "RU", False),
        ("country", "one_of", ["TH", "CN"], "", False),
        ("country", "not_one_of", ["TH", "CN"], "RU", True),
        ("country", "not_one_of", ["TH", "CN"], "Cn", False),
        ("country", "not_one_of", ["TH", "CN"], "", False),
        ("title", "contains", "market", "Head of Marketing", True),
        ("title", "contains", ["sales", "revenue"], "Chief Revenue Officer", True),
        ("title", "contains", ["sales", "revenue"], "CTO", False),
        ("title", "contains", "ผู้จัดการ", "ผู้จัดการฝ่ายขาย", True),
        ("title", "matches", r"^(vp|head)\b", "VP Sales", True),
        ("title", "matches", r"^(vp|head)\b", "Deputy Head of Sales", False),
        ("phone", "matches", r"^\+66", "+66 2 123 4567", True),
        ("company_size", "at_least", 50, 50, True),
        ("company_size", "at_least", 50, 49, False),
        ("company_size", "at_least", 50, None, False),
        ("company_size", "at_most", 50, 50, True),
        ("company_size", "at_most", 50, 51, False),
        ("email", "contains", "@northwind", "ana@northwind.io", True),
    ],
)
def test_each_operator(field, operator, value, lead_value, holds):
    lead = LeadFacts(**{field: lead_value})
    rule = ProfileRule(id=1, field=field, operator=operator, value=value)

    assert rule.holds(lead) is holds


OPEN = 2_147_483_647


@pytest.mark.parametrize(
    ("operator", "value", "size", "holds"),
    [
        ("at_least", 50, (51, 200), True),
        ("at_least", 51, (51, 200), True),
        ("at_least", 50, (11, 50), False),
        ("at_least", 100, (51, 200), False),
        ("at_least", 10_000, (10_000, OPEN), True),
        ("at_most", 200, (51, 200), True),
        ("at_most", 100, (51, 200), False),
        ("at_most", 1_000_000, (10_000, OPEN), False),
        ("equals", 100, (51, 200), False),
        ("equals", 51, (51, 200), False),
        ("one_of", [51, 200], (51, 200), True),
        ("not_one_of", [100], (51, 200), True),
        ("present", None, (51, 200), True),
        ("present", None, (None, None), False),
    ],
)
def test_a_size_range_holds_a_rule_when_both_of_its_ends_do(operator, value, size, holds):
    lead = LeadFacts(company_size=size[0], company_size_max=size[1])
    rule = ProfileRule(id=1, field="company_size", operator=operator, value=value)

    assert rule.holds(lead) is holds


@given(
    low=st.integers(0, 5000),
    width=st.integers(1, 5000),
    bound=st.integers(0, 12_000),
    operator=st.sampled_from(["at_least", "at_most"]),
)
def test_at_least_and_at_most_hold_for_a_range_when_they_hold_for_every_size_in_it(
    low, width, bound, operator
):
    lead = LeadFacts(company_size=low, company_size_max=low + width)
    rule = ProfileRule(id=1, field="company_size", operator=operator, value=bound)

    every_size = all(
        rule.holds(LeadFacts(company_size=size))
        for size in (low, low + width, *(range(low, low + width + 1, max(1, width // 7))))
    )
    assert rule.holds(lead) is every_size


@pytest.mark.parametrize(
    ("operator", "value", "budget", "holds"),
    [
        ("at_least", 10_000, "25000", True),
        ("at_least", 10_000, 9_999.5, False),
        ("at_least", 10_000, "a lot", False),
        ("at_least", 10_000, True, False),
        ("at_most", 10_000, "9000", True),
        ("equals", "Q3", "q3", True),
        ("present", None, None, False),
    ],
)
def test_a_rule_reads_an_extra_attribute(operator, value, budget, holds):
    rule = ProfileRule(
        id="budget",
        field="attributes.budget",
        operator=operator,
        value=value,
        mode="points",
        points=10,
    )
    lead = corporate_lead(attributes={} if budget is None else {"budget": budget})

    result = score(
        lead, EngagementFacts(), AgreementSpec(version=1, threshold=0, profile_rules=(rule,)), NOW
    )

    assert rule.holds(lead) is holds
    assert result.fit == (10 if holds else 0)


@pytest.mark.parametrize(
    ("key", "operator", "value", "properties", "holds"),
    [
        ("asset_type", "present", None, {"asset_type": "ebook"}, True),
        ("asset_type", "present", None, {}, False),
        ("asset_type", "equals", "ebook", {"asset_type": "EBook"}, True),
        ("asset_type", "one_of", ["ebook", "whitepaper"], {"asset_type": "Whitepaper"}, True),
        ("asset_type", "contains", "book", {"asset_type": "ebook"}, True),
        ("minutes", "at_least", 30, {"minutes": 31}, True),
        ("minutes", "at_most", 30, {"minutes": 31}, False),
        # Numbers sent as text count when they are plain decimals, whitespace aside.
        ("minutes", "at_least", 30, {"minutes": "45"}, True),
        ("minutes", "at_least", 30, {"minutes": " 45\n"}, True),
        ("minutes", "at_least", 30, {"minutes": "+30.0"}, True),
        ("minutes", "at_most", 0, {"minutes": "-2.5"}, True),
        ("minutes", "at_most", 45, {"minutes": "45.00000000000000001"}, False),
        ("minutes", "at_least", 0.1, {"minutes": "0.1"}, True),
        ("minutes", "at_least", 30, {"minutes": "1e3"}, False),
        ("minutes", "at_least", 30, {"minutes": "nan"}, False),
        ("minutes", "at_least", 30, {"minutes": "inf"}, False),
        ("minutes", "at_least", 30, {"minutes": "0x1f"}, False),
        ("minutes", "at_least", 30, {"minutes": "1_000"}, False),
        ("minutes", "at_least", 30, {"minutes": "٤٥"}, False),
        ("minutes", "at_least", 0, {"minutes": True}, False),
        # Whitespace-only text is absent; text compares NFKC-normalised and case-folded.
        ("asset_type", "present", None, {"asset_type": " \t"}, False),
        ("asset_type", "not_one_of", ["video"], {"asset_type": "  "}, False),
        ("city", "equals", "straße", {"city": "STRASSE"}, True),
        ("city", "one_of", ["σίσυφος"], {"city": "ΣΊΣΥΦΟΣ"}, True),
        ("asset_type", "contains", "book", {"asset_type": "ＥＢＯＯＫ"}, True),
        ("minutes", "equals", "45", {"minutes": 45.0}, True),
        # Patterns are RE2, case-insensitive in every script.
        ("title", "matches", r"^\pL+ sales$", {"title": "VP SALES"}, True),
        ("title", "matches", "газпром", {"title": "ГАЗПРОМ"}, True),
        ("minutes", "matches", r"^\d+$", {"minutes": 45}, True),
    ],
)
def test_each_operator_on_activity_properties(key, operator, value, properties, holds):
    condition = PropertyCondition(key=key, operator=operator, value=value)

    assert condition.holds(properties) is holds


@pytest.mark.parametrize(
    "make",
    [
        lambda: ProfileRule(id=1, field="favourite_colour"),
        lambda: ProfileRule(id=1, field="title", operator="resembles", value="CEO"),
        lambda: ProfileRule(id=1, field="title", operator="matches", value="(unclosed"),
        lambda: ProfileRule(id=1, field="title", operator="matches", value=r"(a)\1"),
        lambda: ProfileRule(id=1, field="title", operator="matches", value="x" * 301),
        lambda: ProfileRule(id=1, field="title", operator="equals", value=""),
        lambda: ProfileRule(id=1, field="title", operator="one_of", value=[]),
        lambda: ProfileRule(id=1, field="company_size", operator="at_least", value="50"),
        lambda: ProfileRule(id=1, field="title", mode="gate", points=5),
        lambda: ActionRule(id=1, kind="unsubscribe", points=5),
        lambda: ActionRule(id=1, kind="demo_request", points=-5),
        lambda: ActionRule(id=1, kind="demo_request", points=5, cap=0),
        lambda: NegativeRule(id=1, field="title", activity_kind="unsubscribe"),
        lambda: NegativeRule(id=1, field="title", effect="points", points=5),
        lambda: NegativeRule(id=1, field="title", conditions=(PropertyCondition(key="minutes"),)),
        lambda: ChannelRule(id=1, channel_kind="event", policy="conditional"),
        lambda: ChannelRule(id=1, channel_kind="event", policy="accepted", min_score=5),
        lambda: ChannelRule(id=1, channel_kind="carrier pigeon", policy="accepted"),
        lambda: AgreementSpec(version=1, threshold=10, decay_percent_per_week=120),
        lambda: AgreementSpec(
            version=1,
            threshold=10,
            action_rules=(ActionRule(id="x", kind="demo_request", points=1),),
            negative_rules=(NegativeRule(id="x", activity_kind="unsubscribe"),),
        ),
    ],
)
def test_a_malformed_rule_is_refused(make):
    with pytest.raises(ValueError):
        make()


def test_now_must_be_timezone_aware():
    with pytest.raises(ValueError):
        aggregate([], STARTER, NOW.replace(tzinfo=None))


def test_the_engine_knows_every_kind_the_database_stores():
    assert tuple(ActivityKind.values) == ACTIVITY_KINDS
    assert tuple(ChannelKind.values) == CHANNEL_KINDS


# Property tests (strategies in tests/scoring/strategies.py)


@PROPERTY_TESTS
@given(lead=leads(), activities=ACTIVITIES, agreement=agreements())
def test_the_verdict_and_the_arithmetic_agree_with_their_parts(lead, activities, agreement):
    result = evaluate(lead, activities, agreement, NOW)

    disqualified = any(rule.disqualifies for rule in result.negatives_hit)
    assert result.qualifies == (
        not disqualified
        and not result.gates_unmet
        and result.channel.accepted
        and result.total >= agreement.threshold
    )
    assert sum(line.points for line in result.lines) - result.decay_points == result.total
    assert result.total == result.fit + result.engagement + result.negative_points
    assert result.engagement >= 0 and result.decay_points >= 0 and result.negative_points <= 0
    assert (reasons_not(result) == []) == result.qualifies
    assert json.loads(json.dumps(explanation(result)))["qualifies"] == result.qualifies


@PROPERTY_TESTS
@given(lead=leads(), activities=ACTIVITIES, agreement=agreements())
def test_the_quick_verdict_is_the_verdict_of_the_full_score(lead, activities, agreement):
    facts = aggregate(activities, agreement, NOW)

    assert qualifies(lead, facts, agreement, NOW) == score(lead, facts, agreement, NOW).qualifies


@PROPERTY_TESTS
@given(lead=leads(), activities=ACTIVITIES, agreement=agreements(), extra=ACTIVITIES)
def test_adding_positive_activities_never_lowers_the_score(lead, activities, agreement, extra):
    negatives = [rule for rule in agreement.negative_rules if rule.on_activity]
    assume(not any(rule.matches(activity) for rule in negatives for activity in extra))

    before = evaluate(lead, activities, agreement, NOW)
    after = evaluate(lead, activities + extra, agreement, NOW)

    assert after.total >= before.total
    assert after.qualifies >= before.qualifies


@PROPERTY_TESTS
@given(lead=leads(), activities=ACTIVITIES, agreement=agreements(), data=st.data())
def test_adding_a_negative_rule_never_raises_the_score(lead, activities, agreement, data):
    negative = data.draw(negative_rules("extra-negative"))
    stricter = dataclasses.replace(agreement, negative_rules=(*agreement.negative_rules, negative))

    before = evaluate(lead, activities, agreement, NOW)
    after = evaluate(lead, activities, stricter, NOW)

    assert after.total <= before.total
    assert after.qualifies <= before.qualifies


@PROPERTY_TESTS
@given(lead=leads(), activities=ACTIVITIES, agreement=agreements(), others=PAST_ACTIVITIES)
def test_unsubscribing_never_raises_the_score(lead, activities, agreement, others):
    unsubscribes = [dataclasses.replace(activity, kind="unsubscribe") for activity in others]

    before = evaluate(lead, activities, agreement, NOW)
    after = evaluate(lead, activities + unsubscribes, agreement, NOW)

    assert after.total <= before.total
    assert after.qualifies <= before.qualifies


@PROPERTY_TESTS
@given(lead=leads(), activities=ACTIVITIES, agreement=agreements())
def test_decay_never_raises_the_score(lead, activities, agreement):
    without_decay = dataclasses.replace(agreement, decay_percent_per_week=0)

    decaying = evaluate(lead, activities, agreement, NOW)
    steady = evaluate(lead, activities, without_decay, NOW)

    assert decaying.total <= steady.total
    assert decaying.total == steady.total - decaying.decay_points
    assert (decaying.fit, decaying.negative_points) == (steady.fit, steady.negative_points)


@PROPERTY_TESTS
@given(
    lead=leads(),
    activities=PAST_ACTIVITIES,
    agreement=agreements(),
    wait=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=800)),
)
def test_waiting_without_engagement_only_ever_decays(lead, activities, agreement, wait):
    # Without windows, nothing but decay can change as time passes with no new activity.
    timeless = dataclasses.replace(
        agreement,
        action_rules=tuple(
            dataclasses.replace(rule, window_days=None) for rule in agreement.action_rules
        ),
    )

    earlier = evaluate(lead, activities, timeless, NOW)
    later = evaluate(lead, activities, timeless, NOW + wait)

    assert later.total <= earlier.total
    assert later.decay_points >= earlier.decay_points
    assert later.engagement + later.decay_points == earlier.engagement + earlier.decay_points
    assert later.qualifies <= earlier.qualifies


@PROPERTY_TESTS
@given(
    lead=leads(),
    activities=PAST_ACTIVITIES,
    agreement=agreements(),
    wait=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=800)),
)
def test_waiting_never_raises_the_score_even_with_windows(lead, activities, agreement, wait):
    earlier = evaluate(lead, activities, agreement, NOW)
    later = evaluate(lead, activities, agreement, NOW + wait)

    assert later.total <= earlier.total


@PROPERTY_TESTS
@given(lead=leads(), activities=PAST_ACTIVITIES, agreement=agreements(), data=st.data())
def test_a_disqualifying_negative_that_hits_always_blocks_mql(lead, activities, agreement, data):
    present_fields = [field for field in FIELDS if ProfileRule(id=0, field=field).holds(lead)]
    hits = [NegativeRule(id="hit", field=field, operator="present") for field in present_fields] + [
        NegativeRule(id="hit", activity_kind=activity.kind) for activity in activities
    ]
    assume(hits)
    negative = data.draw(st.sampled_from(hits))
    stricter = dataclasses.replace(agreement, negative_rules=(*agreement.negative_rules, negative))

    result = evaluate(lead, activities, stricter, NOW)

    assert negative in result.negatives_hit
    assert not result.qualifies
    assert any(reason.startswith("Negative hit: Disqualify") for reason in reasons_not(result))


@PROPERTY_TESTS
@given(lead=leads(), activities=ACTIVITIES, agreement=agreements(), data=st.data())
def test_a_failed_gate_always_blocks_mql(lead, activities, agreement, data):
    gate = data.draw(profile_rules("extra-gate", mode="gate"))
    assume(not gate.holds(lead))
    stricter = dataclasses.replace(agreement, profile_rules=(*agreement.profile_rules, gate))

    result = evaluate(lead, activities, stricter, NOW)

    assert gate in result.gates_unmet
    assert not result.qualifies


@PROPERTY_TESTS
@given(lead=leads(), activities=ACTIVITIES, agreement=agreements(), order=st.randoms())
def test_the_same_inputs_give_the_same_result(lead, activities, agreement, order):
    shuffled = list(activities)
    order.shuffle(shuffled)

    first = evaluate(lead, activities, agreement, NOW)

    assert evaluate(lead, activities, agreement, NOW) == first
    assert evaluate(lead, shuffled, agreement, NOW) == first
    assert explanation(first) == explanation(evaluate(lead, shuffled, agreement, NOW))


@PROPERTY_TESTS
@given(
    points=st.integers(0, 10**6),
    idle=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=365 * 60)),
    after_days=st.integers(0, 60),
    percent=st.integers(0, 100),
)
def test_decay_rounds_down_the_exact_compounded_fraction(points, idle, after_days, percent):
    weeks = max(0, (idle - timedelta(days=after_days)) // timedelta(weeks=1))
    exact = Fraction(points) * Fraction(100 - percent, 100) ** weeks

    agreement = AgreementSpec(
        version=1, threshold=0, decay_after_days=after_days, decay_percent_per_week=percent
    )

    result = agreement.decayed(points, idle)

    assert result == int(exact)
