"""The narrative checked against the settings: figures it states that the agreement does not run
on are named, in any of Accord's languages and digit scripts."""

import pytest

from scoring.models import ActionRule
from scoring.narrative import AgreementFigures, agreement_mismatches, narrative_mismatches
from tests.scoring.factories import draft_copy

FIGURES = AgreementFigures(
    threshold=12,
    decay_after_days=14,
    decay_percent_per_week=25,
    rule_points=frozenset({15, 10, 30}),
    rule_days=frozenset({90}),
)


@pytest.mark.parametrize(
    "narrative",
    [
        "A lead is an MQL at at least 15 points.",
        "Leads with 15+ points go to sales.",
        "15 points or more make an MQL.",
        "The threshold is 15 points.",
        "ลีดที่ได้อย่างน้อย 15 คะแนนขึ้นไปคือ MQL",
        "至少15分的线索为MQL。",
        "MQL — лид, набравший не менее 15 баллов.",
        "العميل المؤهل تسويقيًا يحصل على ١٥ نقطة أو أكثر.",
    ],
)
def test_a_threshold_the_settings_do_not_have_is_named(narrative):
    assert narrative_mismatches(narrative, FIGURES) == [
        "The narrative says a lead qualifies at 15 points, but the threshold is 12."
    ]


@pytest.mark.parametrize(
    "narrative",
    [
        "A lead is an MQL at 12 points or more; a demo request gives 15 points.",
        "Leads need at least 12 points. Scores fade 25% a week after 14 days.",
        "Downloads in the last 90 days count; each gives 10 points, up to 30 points.",
        "ลีดต้องได้อย่างน้อย 12 คะแนน",
        "Зачитываем действия за 90 дней; от 12 баллов лид — MQL.",
        "Webinars at 15 minutes past the hour; call within 15分钟.",
        "Scores are 2.5 times higher for demo requests.",
        "",
    ],
)
def test_a_narrative_that_matches_the_settings_raises_nothing(narrative):
    assert narrative_mismatches(narrative, FIGURES) == []


def test_points_days_and_percent_no_setting_backs_are_each_named_once():
    narrative = "A pricing view gives 7 points. Scores fade 20% a week after 30 days. 7 points!"

    assert narrative_mismatches(narrative, FIGURES) == [
        "The narrative mentions 7 points, but neither the threshold (12) nor any rule uses 7.",
        "The narrative mentions 20%, but scores decay by 25% a week.",
        "The narrative mentions 30 days, but decay starts after 14 days and no rule looks back "
        "30 days.",
    ]


@pytest.mark.django_db
def test_an_agreement_s_rules_back_the_points_and_windows_they_use(marketer):
    draft = draft_copy(marketer)
    ActionRule.objects.create(agreement=draft, kind="pricing_view", points=7, cap=3, window_days=45)
    draft.threshold = 40
    draft.narrative = (
        "At least 40 points. A pricing view in the last 45 days gives 7 points, 21 points at "
        "most; 37 points for a webinar."
    )

    assert agreement_mismatches(draft) == [
        "The narrative mentions 37 points, but neither the threshold (40) nor any rule uses 37."
    ]
