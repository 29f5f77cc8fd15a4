from datetime import UTC, datetime, time

import pytest

from core.errors import ApplicationError
from leads.models import ActivityKind, ChannelKind
from sla.calendars import save_team_calendar
from sla.models import Clock, SlaPolicy, Step
from sla.policies import HandoffFacts, choose_policy, deactivate_policy, save_policy
from sla.services import start_clocks
from tests.factories import ActivityFactory, ChannelFactory, LeadFactory
from tests.sla.factories import HandoffFactory

pytestmark = pytest.mark.django_db

MONDAY_9 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
FRIDAY_EVENING_LONDON = datetime(2026, 5, 1, 18, 30, tzinfo=UTC)  # 19:30 in London (BST)


def first_touch_policy(handoff):
    return start_clocks(handoff=handoff, now=MONDAY_9)[Step.FIRST_TOUCH].policy


def test_a_fresh_install_has_the_default_policies():
    targets = {
        (policy.step, policy.target_minutes, policy.min_score, policy.requires_request)
        for policy in SlaPolicy.objects.filter(is_active=True)
    }

    assert targets == {
        (Step.FIRST_TOUCH, 240, None, False),
        (Step.ACCEPT_OR_RETURN, 480, None, False),
        (Step.SQL_DECISION, 4800, None, False),
        (Step.FIRST_TOUCH, 15, 40, False),
        (Step.FIRST_TOUCH, 15, None, True),
    }


def test_an_ordinary_lead_gets_four_business_hours():
    assert first_touch_policy(HandoffFactory(score=25)).target_minutes == 240


def test_a_high_score_makes_a_hot_lead():
    assert first_touch_policy(HandoffFactory(score=40)).target_minutes == 15


def test_a_demo_request_makes_a_hot_lead_whatever_the_score():
    handoff = HandoffFactory(score=5)
    ActivityFactory(lead=handoff.lead, kind=ActivityKind.DEMO_REQUEST)

    assert first_touch_policy(handoff).target_minutes == 15


def test_the_most_specific_matching_policy_wins():
    channel = ChannelFactory(kind=ChannelKind.EVENT)
    handoff = HandoffFactory(lead=LeadFactory(channel=channel, stage="mql"), score=10)
    SlaPolicy.objects.create(
        name="Events", step=Step.FIRST_TOUCH, target_minutes=120, channel_kind=ChannelKind.EVENT
    )
    both = SlaPolicy.objects.create(
        name="Events of this team",
        step=Step.FIRST_TOUCH,
        target_minutes=60,
        channel_kind=ChannelKind.EVENT,
        team=handoff.team,
        priority=-5,
    )

    assert first_touch_policy(handoff) == both


def test_equally_specific_policies_go_by_priority():
    facts = HandoffFacts(channel_id=1, channel_kind="event", score=0, team_id=7, has_request=False)
    low = SlaPolicy(pk=1, name="low", step=Step.FIRST_TOUCH, target_minutes=1, team_id=7)
    high = SlaPolicy(
        pk=2, name="high", step=Step.FIRST_TOUCH, target_minutes=1, channel_id=1, priority=3
    )

    assert choose_policy([low, high], facts) == high


def test_a_policy_of_another_team_does_not_match():
    handoff = HandoffFactory(score=10)
    SlaPolicy.objects.create(
        name="Other team", step=Step.FIRST_TOUCH, target_minutes=5, team=HandoffFactory().team
    )

    assert first_touch_policy(handoff).target_minutes == 240


def test_running_clocks_keep_their_policy_after_an_edit():
    before = HandoffFactory(created_at=MONDAY_9)
    clock = start_clocks(handoff=before, now=MONDAY_9)[Step.FIRST_TOUCH]
    policy = clock.policy
    policy.target_minutes = 60
    save_policy(policy=policy)

    after = HandoffFactory(created_at=MONDAY_9)
    new_clock = start_clocks(handoff=after, now=MONDAY_9)[Step.FIRST_TOUCH]

    clock.refresh_from_db()
    assert (clock.policy, clock.target_minutes, clock.due_at.hour) == (policy, 240, 13)
    assert (new_clock.policy, new_clock.target_minutes, new_clock.due_at.hour) == (policy, 60, 10)


def test_the_last_unconditional_policy_of_a_step_cannot_be_deactivated():
    general = SlaPolicy.objects.get(step=Step.SQL_DECISION)

    with pytest.raises(ApplicationError, match="SAL to SQL decision"):
        deactivate_policy(policy=general)

    general.refresh_from_db()
    assert general.is_active


def test_a_replacement_lets_the_old_general_policy_go():
    old = SlaPolicy.objects.get(step=Step.SQL_DECISION)
    save_policy(policy=SlaPolicy(name="Faster", step=Step.SQL_DECISION, target_minutes=2400))

    deactivate_policy(policy=old)

    clocks = start_clocks(handoff=HandoffFactory(), now=MONDAY_9, steps=(Step.SQL_DECISION,))
    assert clocks[Step.SQL_DECISION].policy.name == "Faster"


def london_team_handoff(**calendar):
    handoff = HandoffFactory(score=10, created_at=FRIDAY_EVENING_LONDON)
    save_team_calendar(
        team=handoff.team,
        time_zone="Europe/London",
        hours={day: [(time(9), time(17))] for day in range(5)},
        **calendar,
    )
    return handoff


def test_a_clock_started_on_friday_evening_is_due_on_monday():
    handoff = london_team_handoff()

    clock = start_clocks(handoff=handoff, now=FRIDAY_EVENING_LONDON)[Step.FIRST_TOUCH]

    # Monday 4 May 2026, 13:00 in London (12:00 UTC).
    assert clock.due_at == datetime(2026, 5, 4, 12, 0, tzinfo=UTC)


def test_a_monday_bank_holiday_moves_it_to_tuesday():
    handoff = london_team_handoff(holiday_country="GB", holiday_subdiv="ENG")

    clock = start_clocks(handoff=handoff, now=FRIDAY_EVENING_LONDON)[Step.FIRST_TOUCH]

    # 4 May 2026 is the Early May bank holiday.
    assert clock.due_at == datetime(2026, 5, 5, 12, 0, tzinfo=UTC)
    assert Clock.objects.get(pk=clock.pk).at_risk_at == datetime(2026, 5, 5, 11, 0, tzinfo=UTC)
