import threading
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.urls import reverse
from django.utils.module_loading import import_string

from accounts.roles import Role
from core.schedules import PERIODIC_TASKS
from handoff.models import EventKind, HandoffEvent
from notifications.models import Notification, NotificationKind
from sla import services
from sla.models import Clock, ClockState, SlaPolicy, Step
from sla.services import advance_clocks, start_clocks, stop_clock
from sla.tasks import scan_clocks
from teams.models import AssignmentMode
from tests.sla.factories import HandoffFactory, TeamFactory
from webhooks.models import Delivery, Subscription

MONDAY_9 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def escalations():
    return Notification.objects.filter(kind=NotificationKind.SLA_ESCALATION)


@pytest.fixture
def team(manager):
    return TeamFactory(manager=manager)


@pytest.fixture
def handoff(team, sdr):
    handoff = HandoffFactory(team=team, assignee=sdr, created_at=MONDAY_9)
    start_clocks(handoff=handoff, now=MONDAY_9)
    return handoff


def first_touch(handoff):
    return Clock.objects.get(handoff=handoff, step=Step.FIRST_TOUCH)


@pytest.mark.django_db
def test_a_clock_turns_at_risk_then_breached_at_the_right_instants(handoff, manager):
    # Four business hours from 09:00: at risk from 12:00 (75%), due at 13:00.
    states = {}
    for moment in ("11:59", "12:00", "12:59", "13:00"):
        hour, minute = map(int, moment.split(":"))
        with time_machine.travel(MONDAY_9.replace(hour=hour, minute=minute), tick=False):
            scan_clocks()
        states[moment] = first_touch(handoff).state

    assert states == {
        "11:59": ClockState.RUNNING,
        "12:00": ClockState.AT_RISK,
        "12:59": ClockState.AT_RISK,
        "13:00": ClockState.BREACHED,
    }
    clock = first_touch(handoff)
    assert clock.breached_at == clock.escalated_at == MONDAY_9.replace(hour=13)
    assert clock.rep == handoff.assignee
    assert list(escalations().values_list("user", flat=True)) == [manager.pk]


@pytest.mark.django_db
def test_a_breach_is_escalated_once_however_often_the_scan_runs(handoff):
    for minutes in range(0, 30, 5):
        advance_clocks(now=MONDAY_9 + timedelta(hours=4, minutes=minutes))

    assert escalations().count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("count", [2, 20])
def test_the_scan_moves_any_number_of_clocks_in_the_same_four_queries(
    team, count, django_assert_num_queries
):
    for _ in range(count):
        start_clocks(handoff=HandoffFactory(team=team, created_at=MONDAY_9), now=MONDAY_9)

    with django_assert_num_queries(4):
        result = advance_clocks(now=MONDAY_9 + timedelta(hours=3))

    # Pooled leads: nobody holds them to be warned.
    assert (result.at_risk, result.breached, result.escalated, result.warned) == (count, 0, 0, 0)


@pytest.mark.django_db
def test_a_clock_stopped_in_time_is_never_escalated(handoff):
    stop_clock(handoff=handoff, step=Step.FIRST_TOUCH, now=MONDAY_9 + timedelta(hours=1))

    advance_clocks(now=MONDAY_9 + timedelta(hours=5))

    assert first_touch(handoff).state == ClockState.MET
    assert not escalations().filter(params__step__msgid="MQL to first touch").exists()


@pytest.mark.django_db
def test_without_a_team_manager_every_manager_is_told(make_user):
    managers = {make_user(Role.MANAGER).pk, make_user(Role.MANAGER).pk}
    make_user(Role.SDR)
    handoff = HandoffFactory(team=None, created_at=MONDAY_9)
    start_clocks(handoff=handoff, now=MONDAY_9)

    advance_clocks(now=MONDAY_9 + timedelta(hours=4))

    told = set(escalations().values_list("user", flat=True))
    assert told == managers


@pytest.mark.django_db
def test_a_breach_can_put_the_handoff_back_in_the_pool(handoff, sdr):
    handoff.team.mode = AssignmentMode.POOL
    handoff.team.save()
    SlaPolicy.objects.filter(step=Step.FIRST_TOUCH).update(return_to_pool=True)

    advance_clocks(now=MONDAY_9 + timedelta(hours=4))

    handoff.refresh_from_db()
    assert handoff.assignee is None
    event = HandoffEvent.objects.get(handoff=handoff, kind=EventKind.REASSIGNED)
    assert event.data == {"assignee": None, "previous": sdr.pk, "why": "sla_breach"}
    # The report still knows who sat on it.
    assert first_touch(handoff).rep == sdr


@pytest.mark.django_db
def test_a_worker_dying_between_marking_and_escalating_leaves_the_breach_to_the_next_scan(
    handoff, monkeypatch
):
    monkeypatch.setattr(services, "escalate_breaches", lambda *, now: 0)
    advance_clocks(now=MONDAY_9 + timedelta(hours=4))
    assert first_touch(handoff).state == ClockState.BREACHED
    assert first_touch(handoff).escalated_at is None
    monkeypatch.undo()

    advance_clocks(now=MONDAY_9 + timedelta(hours=4, minutes=1))
    advance_clocks(now=MONDAY_9 + timedelta(hours=4, minutes=2))

    assert escalations().count() == 1
    assert first_touch(handoff).escalated_at == MONDAY_9 + timedelta(hours=4, minutes=1)


@pytest.mark.django_db
def test_a_crash_while_escalating_rolls_the_claim_back_and_the_next_scan_escalates_once(
    handoff, monkeypatch
):
    def crash(**kwargs):
        raise ConnectionError("mail relay down")

    monkeypatch.setattr(services, "notify", crash)
    advance_clocks(now=MONDAY_9 + timedelta(hours=4))
    assert first_touch(handoff).escalated_at is None
    assert not escalations().exists()
    monkeypatch.undo()

    advance_clocks(now=MONDAY_9 + timedelta(hours=4, minutes=1))
    advance_clocks(now=MONDAY_9 + timedelta(hours=4, minutes=2))

    assert escalations().count() == 1


@pytest.mark.django_db
def test_one_failing_escalation_does_not_stop_the_others(team, monkeypatch, manager):
    handoffs = [HandoffFactory(team=team, created_at=MONDAY_9) for _ in range(2)]
    for handoff in handoffs:
        start_clocks(handoff=handoff, now=MONDAY_9)
    real_notify = services.notify
    failing_url = reverse("leads:detail", args=[handoffs[0].lead_id])

    def notify_unless_first(**kwargs):
        if kwargs["url"] == failing_url:
            raise ConnectionError("boom")
        return real_notify(**kwargs)

    monkeypatch.setattr(services, "notify", notify_unless_first)
    result = advance_clocks(now=MONDAY_9 + timedelta(hours=4))

    assert result.escalated == 1
    assert not Clock.objects.filter(handoff=handoffs[0], escalated_at__isnull=False).exists()
    assert Clock.objects.filter(handoff=handoffs[1], escalated_at__isnull=False).exists()


@pytest.mark.django_db(transaction=True)
def test_two_scans_at_once_escalate_each_breach_once(manager, sdr):
    team = TeamFactory(manager=manager)
    for _ in range(3):
        start_clocks(
            handoff=HandoffFactory(team=team, assignee=sdr, created_at=MONDAY_9), now=MONDAY_9
        )
    barrier = threading.Barrier(2)
    results, errors = [], []

    def scan():
        try:
            barrier.wait(timeout=5)
            results.append(advance_clocks(now=MONDAY_9 + timedelta(hours=4)))
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=scan) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not errors
    assert sum(result.escalated for result in results) == 3
    assert escalations().count() == 3
    assert Clock.objects.filter(step=Step.FIRST_TOUCH, escalated_at__isnull=False).count() == 3


def test_the_scan_is_scheduled_every_minute():
    (entry,) = [task for task in PERIODIC_TASKS if task["func"] == "sla.tasks.scan_clocks"]
    assert entry["minutes"] == 1
    assert import_string(entry["func"]) is scan_clocks


@pytest.mark.django_db
def test_a_breach_is_announced_once_to_webhook_subscribers(handoff):
    subscription = Subscription.objects.create(
        name="CRM", url="https://crm.example.com/hooks", events=["sla.breached"]
    )

    advance_clocks(now=MONDAY_9 + timedelta(hours=4))
    advance_clocks(now=MONDAY_9 + timedelta(hours=4, minutes=1))

    (delivery,) = Delivery.objects.filter(subscription=subscription)
    assert delivery.payload["event"] == "sla.breached"
    assert delivery.payload["lead"]["id"] == handoff.lead_id
    assert delivery.payload["data"]["step"] == Step.FIRST_TOUCH


def told_to(user, kind):
    return [notification.text for notification in Notification.objects.filter(user=user, kind=kind)]


@pytest.mark.django_db
def test_the_rep_is_warned_once_when_their_lead_s_clock_is_at_risk(handoff, sdr):
    for minutes in (0, 1, 30):
        advance_clocks(now=MONDAY_9.replace(hour=12, minute=minutes))

    assert told_to(sdr, NotificationKind.SLA_AT_RISK) == [
        f"At risk: MQL to first touch for {handoff.lead}. Act before it breaches."
    ]
    assert first_touch(handoff).warned_at == MONDAY_9.replace(hour=12)


@pytest.mark.django_db
def test_a_pooled_lead_s_clock_warns_whoever_takes_it(team, sdr):
    pooled = HandoffFactory(team=team, assignee=None, created_at=MONDAY_9)
    start_clocks(handoff=pooled, now=MONDAY_9)
    advance_clocks(now=MONDAY_9.replace(hour=12))
    assert Notification.objects.filter(kind=NotificationKind.SLA_AT_RISK).count() == 0

    pooled.assignee = sdr
    pooled.save()
    advance_clocks(now=MONDAY_9.replace(hour=12, minute=5))

    assert len(told_to(sdr, NotificationKind.SLA_AT_RISK)) == 1


@pytest.mark.django_db
def test_the_rep_is_told_once_of_a_breach_on_their_lead(handoff, sdr, manager):
    for minutes in (0, 1, 30):
        advance_clocks(now=MONDAY_9.replace(hour=13, minute=minutes))

    assert told_to(sdr, NotificationKind.SLA_BREACHED) == [
        f"Breached: MQL to first touch for {handoff.lead}."
    ]
    assert escalations().filter(user=manager).count() == 1
