import re
from pathlib import Path

import pytest
from django.utils import translation

from scoring import engine
from scoring.describe import ERRORS, describe, error_message
from scoring.engine import (
    ActionRule,
    ChannelRule,
    NegativeRule,
    ProfileRule,
    PropertyCondition,
    RuleError,
)
from scoring.models import ProfileRule as ProfileRuleRow
from scoring.starter import starter_agreement


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_the_starter_agreement_reads_as_plain_words():
    assert [describe(rule) for rule in starter_agreement().rules] == [
        "First name must be present",
        "Last name must be present",
        "Title must be present",
        "Organization must be present",
        "+5 for each content download where asset type is ebook, at most 3, in the last 90 days",
        "+10 for each contact request",
        "+15 for each demo request",
        "+3 for each pricing page view, at most 3, in the last 30 days",
        "+8 for each webinar attendance where minutes is at least 30",
        "+8 for each trade-show conversation",
        "+1 for each email click, at most 5, in the last 30 days",
        "Disqualify: email domain is one of gmail.com, googlemail.com, yahoo.com, hotmail.com, "
        "outlook.com, live.com, icloud.com, proton.me, protonmail.com, qq.com, 163.com, 126.com, "
        "yeah.net, sina.com, sina.cn, sohu.com, foxmail.com, aliyun.com, 139.com, mail.ru, bk.ru, "
        "list.ru, inbox.ru, internet.ru, yandex.ru, yandex.com, ya.ru, rambler.ru, yahoo.co.th, "
        "hotmail.co.th",
        "Disqualify: title contains procurement, purchasing, student, จัดซื้อ, นักศึกษา, นักเรียน, "
        "采购, 学生, закуп, снабжен, студент, مشتريات or طالب",
        "Disqualify: any unsubscribe",
    ]


@pytest.mark.parametrize(
    ("field", "operator", "value", "gate", "points"),
    [
        ("phone", "present", None, "Phone must be present", "+3 if phone is present"),
        (
            "industry",
            "equals",
            "Software",
            "Industry must be Software",
            "+3 if industry is Software",
        ),
        (
            "country",
            "one_of",
            ["TH", "CN", "RU"],
            "Country must be one of TH, CN, RU",
            "+3 if country is one of TH, CN, RU",
        ),
        (
            "country",
            "not_one_of",
            ["US"],
            "Country must not be one of US",
            "+3 if country is not one of US",
        ),
        (
            "title",
            "contains",
            "market",
            "Title must contain market",
            "+3 if title contains market",
        ),
        (
            "title",
            "contains",
            ["sales", "revenue"],
            "Title must contain sales or revenue",
            "+3 if title contains sales or revenue",
        ),
        (
            "title",
            "matches",
            r"^(vp|head)\b",
            r"Title must match the pattern ^(vp|head)\b",
            r"+3 if title matches the pattern ^(vp|head)\b",
        ),
        (
            "company_size",
            "at_least",
            50,
            "Company size must be at least 50",
            "+3 if company size is at least 50",
        ),
        (
            "company_size",
            "at_most",
            1000.0,
            "Company size must be at most 1000",
            "+3 if company size is at most 1000",
        ),
        (
            "attributes.budget_band",
            "equals",
            "high",
            "Budget band must be high",
            "+3 if budget band is high",
        ),
    ],
)
def test_a_profile_rule_reads_as_a_gate_or_as_points(field, operator, value, gate, points):
    rule = {"id": 1, "field": field, "operator": operator, "value": value}

    assert describe(ProfileRule(**rule)) == gate
    assert describe(ProfileRule(**rule, mode="points", points=3)) == points


@pytest.mark.parametrize(
    ("rule", "text"),
    [
        (ActionRule(id=1, kind="demo_request", points=15), "+15 for each demo request"),
        (
            ActionRule(id=1, kind="email_click", points=1, cap=5),
            "+1 for each email click, at most 5",
        ),
        (
            ActionRule(id=1, kind="pricing_view", points=3, window_days=30),
            "+3 for each pricing page view in the last 30 days",
        ),
        (
            ActionRule(id=1, kind="page_view", points=1, window_days=1),
            "+1 for each page view in the last 1 day",
        ),
        (
            ActionRule(
                id=1,
                kind="webinar_attended",
                points=8,
                cap=2,
                window_days=60,
                conditions=(
                    PropertyCondition(key="minutes", operator="at_least", value=30),
                    PropertyCondition(key="language", operator="one_of", value=["th", "zh"]),
                ),
            ),
            "+8 for each webinar attendance where minutes is at least 30 and language is "
            "one of th, zh, at most 2, in the last 60 days",
        ),
    ],
)
def test_an_action_rule_reads_as_points_for_each_activity(rule, text):
    assert describe(rule) == text


@pytest.mark.parametrize(
    ("rule", "text"),
    [
        (
            NegativeRule(id=1, field="email_domain", operator="one_of", value=["gmail.com"]),
            "Disqualify: email domain is one of gmail.com",
        ),
        (
            NegativeRule(
                id=1,
                field="industry",
                operator="equals",
                value="Education",
                effect="points",
                points=-10,
            ),
            "-10 if industry is Education",
        ),
        (NegativeRule(id=1, activity_kind="unsubscribe"), "Disqualify: any unsubscribe"),
        (
            NegativeRule(
                id=1,
                activity_kind="content_download",
                conditions=(PropertyCondition(key="asset_type", operator="equals", value="job"),),
                effect="points",
                points=-5,
            ),
            "-5 for any content download where asset type is job",
        ),
    ],
)
def test_a_negative_reads_as_a_disqualifier_or_lost_points(rule, text):
    assert describe(rule) == text


@pytest.mark.parametrize(
    ("rule", "text"),
    [
        (
            ChannelRule(id=1, channel_kind="outbound_list", policy="not_accepted"),
            "Leads from outbound list channels are not accepted",
        ),
        (
            ChannelRule(id=1, channel_slug="partner-summit", policy="accepted"),
            "Leads from the partner-summit channel are accepted",
        ),
        (
            ChannelRule(
                id=1,
                channel_kind="event",
                policy="conditional",
                required_activity_kinds=("event_attended",),
            ),
            "Leads from event channels are accepted only after event attendance",
        ),
        (
            ChannelRule(id=1, channel_kind="interaction", policy="conditional", min_score=25),
            "Leads from interaction channels are accepted only with a score of at least 25",
        ),
        (
            ChannelRule(
                id=1,
                channel_slug="spring-webinar",
                policy="conditional",
                required_activity_kinds=("webinar_attended", "demo_request"),
                min_score=10,
            ),
            "Leads from the spring-webinar channel are accepted only after webinar attendance "
            "or demo request and with a score of at least 10",
        ),
    ],
)
def test_a_channel_rule_reads_as_who_is_accepted(rule, text):
    assert describe(rule) == text


def test_a_sentence_is_plain_text_in_any_language():
    rule = starter_agreement().action_rules[0]

    for language in ("th", "zh-hans", "ru", "ar"):
        with translation.override(language):
            assert type(describe(rule)) is str


@pytest.mark.parametrize(
    ("make", "code", "words"),
    [
        (
            lambda: ProfileRule(id=1, field="company_size", operator="at_least", value="50"),
            "value_not_number",
            "“is at least” needs a number, not “50”.",
        ),
        (
            lambda: ProfileRule(id=1, field="title", operator="matches", value="(?<=vp)"),
            "pattern_invalid",
            "Not a valid pattern: invalid perl operator: (?<=. Accord reads patterns as RE2, "
            "which has no look-arounds and no back-references.",
        ),
        (
            lambda: ProfileRule(id=1, field="favourite_colour"),
            "field_unknown",
            "Unknown field favourite_colour. Use a lead field such as title, or attributes.<key>.",
        ),
        (
            lambda: ActionRule(id=1, kind="demo_request", points=5, cap=0),
            "cap_below_one",
            "A cap counts at least one activity.",
        ),
    ],
)
def test_the_engine_refuses_with_a_code_that_describe_words(make, code, words):
    with pytest.raises(RuleError) as refused:
        make()

    assert refused.value.code == code
    assert error_message(refused.value) == words


def test_every_refusal_the_engine_can_raise_has_words():
    raised = set()
    for path in (Path(engine.__file__).parent).glob("*.py"):
        raised |= set(re.findall(r'RuleError\(\s*"(\w+)"', path.read_text()))

    assert raised and raised <= set(ERRORS)


def test_a_rule_row_the_engine_refuses_still_prints():
    row = ProfileRuleRow(key="colour", field="favourite_colour", operator="equals", value=None)

    assert str(row) == "profile rule colour"
    with pytest.raises(RuleError):
        row.describe()
