from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from core.errors import ApplicationError
from handoff.models import EventKind, Handoff, HandoffEvent
from handoff.services.handoffs import open_handoffs
from leads.lifecycle import move_stage
from leads.models import Lead, Stage
from notifications.models import Notification
from tests.factories import ChannelFactory, LeadFactory
from tests.handoff.factories import EXPLANATION, mql_handoff
from tests.teams.factories import TeamFactory, TeamMemberFactory

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def mqls(count, **lead_fields):
    leads = [LeadFactory(**lead_fields) for _ in range(count)]
    for lead in leads:
        move_stage(lead.pk, Stage.MQL)
    return list(Lead.objects.filter(pk__in=[lead.pk for lead in leads]).order_by("pk"))


def open_all(leads):
    explanations = {lead.pk: {**EXPLANATION, "total": 50 + n} for n, lead in enumerate(leads)}
    return open_handoffs(leads=leads, agreement_version=3, explanations=explanations, now=NOW)


def test_each_lead_gets_a_handoff_with_its_score_clocks_and_event(team):
    leads = mqls(3)

    handoffs = open_all(leads)

    assert [(h.lead_id, h.score) for h in handoffs] == [
        (lead.pk, 50 + n) for n, lead in enumerate(leads)
    ]
    for handoff in Handoff.objects.filter(lead__in=leads):
        assert handoff.created_at == NOW
        # The earliest running clock: a hot lead's first touch, within 15 minutes.
        assert handoff.sla_due_at == NOW + timedelta(minutes=15)
        assert handoff.clocks.count() == 2
        assert handoff.team == team
    assert HandoffEvent.objects.filter(kind=EventKind.OPENED).count() == 3


def test_it_opens_the_same_handoffs_as_one_at_a_time(team):
    channel = ChannelFactory()
    events = TeamFactory(name="Events")
    events.channels.add(channel)
    one = mql_handoff(channel=channel, now=NOW)
    (batch,) = open_all(mqls(1, channel=channel))

    fields = ("team_id", "sla_due_at", "agreement_version", "outcome", "assignee_id")
    assert [getattr(batch, f) for f in fields] == [getattr(one, f) for f in fields]
    assert sorted(batch.clocks.values_list("step", "due_at", "policy_id")) == sorted(
        one.clocks.values_list("step", "due_at", "policy_id")
    )


def test_a_lead_with_an_open_handoff_keeps_it(team):
    first = mql_handoff()

    (again,) = open_all([first.lead])

    assert again.pk == first.pk
    assert Handoff.objects.count() == 1


def test_it_refuses_a_lead_that_is_not_an_mql():
    with pytest.raises(ApplicationError):
        open_all([*mqls(1), LeadFactory()])

    assert not Handoff.objects.exists()


def test_round_robin_stays_fair_across_a_batch(team, sdr, sdr2):
    TeamMemberFactory(team=team, user=sdr, weight=2)
    TeamMemberFactory(team=team, user=sdr2, weight=1)

    handoffs = open_all(mqls(6))

    assert [h.assignee.username for h in handoffs] == ["sam", "sasha", "sam", "sam", "sasha", "sam"]
    assert Counter(Notification.objects.values_list("user__username", flat=True)) == {
        "sam": 4,
        "sasha": 2,
    }


def test_a_batch_is_assigned_in_turn_with_caps_as_one_at_a_time_would(team, sdr, sdr2):
    TeamMemberFactory(team=team, user=sdr, weight=2)
    TeamMemberFactory(team=team, user=sdr2, weight=1, cap=1)

    opened = open_all(mqls(5))

    # sasha's cap of one: after her turn every lead goes to sam; none waits in the pool.
    assert [h.assignee.username for h in opened] == ["sam", "sasha", "sam", "sam", "sam"]
    assert Notification.objects.filter(user=sdr).count() == 4
    assert HandoffEvent.objects.filter(kind=EventKind.ASSIGNED).count() == 5


@pytest.mark.parametrize("count", [2, 20])
def test_assigning_a_batch_takes_the_same_queries_for_any_size(
    team, sdr, sdr2, count, django_assert_num_queries
):
    TeamMemberFactory(team=team, user=sdr)
    TeamMemberFactory(team=team, user=sdr2)
    other = TeamFactory(name="Outbound")
    TeamMemberFactory(team=other, user=sdr)
    channel = ChannelFactory()
    other.channels.add(channel)
    leads = mqls(count // 2) + mqls(count // 2, channel=channel)

    # The same for 2 leads as for 20: opening in bulk, then per team (not per lead) one lock,
    # one read of the members and one write of their credits, then one write per table.
    with django_assert_num_queries(23):
        opened = open_all(leads)

    assert {h.team_id for h in opened} == {team.pk, other.pk}
    assert all(h.assignee_id for h in opened)
