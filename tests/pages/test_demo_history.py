"""The demo's past (pages/demo/history.py): seed_demo runs once for the module, in a transaction
rolled back after it, and the reports read weeks of history at once."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from handoff.models import Handoff, HandoffEvent, Opportunity, Qualification
from handoff.selectors import as_shown, queue_base
from leads.models import Activity, Channel, FunnelPass, Lead, Stage, StageChange
from notifications.models import Notification
from reports.breaches import BreachFilters, breach_report
from reports.filters import ReportFilters
from reports.models import ChannelSpend
from reports.pipeline import pipeline_report
from reports.selectors import funnel_report, returns_report
from reports.sla_overview import manager_overview
from sla.models import Clock, TeamCalendar
from teams.models import Team, TeamMember

WEEKS = 8


@pytest.fixture(scope="module")
def seeded_at(django_db_setup, django_db_blocker):
    """When seed_demo ran; its rows stay for the module's tests, which roll back their own."""
    with django_db_blocker.unblock(), transaction.atomic():
        seeded_at = timezone.now()
        call_command("seed_demo", leads=150, force=True)
        yield seeded_at
        transaction.set_rollback(True)


@pytest.fixture
def past_weeks(seeded_at, db):
    today = timezone.localdate(seeded_at)
    return ReportFilters(date_from=today - timedelta(weeks=WEEKS), date_to=today)


def test_the_sla_report_of_the_past_weeks_has_met_and_breached_clocks(past_weeks):
    report = breach_report(BreachFilters(start=past_weeks.date_from, end=past_weeks.date_to))

    assert report["totals"]["met"] > report["totals"]["breached"] > 0
    weeks_with_breaches = [week for week in report["weekly"] if week["breached"]]
    assert len(weeks_with_breaches) >= 4


def test_clocks_started_in_every_week_of_the_past(seeded_at, db):
    weeks_ago = {
        (seeded_at - started).days // 7
        for started in Clock.objects.values_list("started_at", flat=True)
    }

    assert weeks_ago >= set(range(WEEKS))


def test_the_funnel_s_median_times_in_stage_are_hours_and_days(past_weeks):
    total = funnel_report(filters=past_weeks).total

    assert total.counts[Stage.MQL] > total.counts[Stage.SAL] > total.counts[Stage.SQL] > 0
    stays = dict(total.stays)
    assert stays[Stage.MQL] > timedelta(minutes=30)
    assert stays[Stage.SAL] > timedelta(hours=4)


def test_returns_are_spread_over_several_reasons(past_weeks):
    report = returns_report(filters=past_weeks)

    assert report.total > 0
    assert len([reason for reason in report.reasons if reason.kind == "return"]) >= 4


def test_opportunities_were_won_and_lost_with_amounts(seeded_at, db):
    closed = Opportunity.objects.filter(stage__in=["won", "lost"])

    assert {"won", "lost"} <= set(closed.values_list("stage", flat=True))
    assert not closed.filter(amount__lte=0).exists()
    assert not closed.filter(closed_at__gt=seeded_at).exists()
    assert Lead.objects.filter(stage=Stage.CUSTOMER).count() == closed.filter(stage="won").count()


def test_the_pipeline_adds_deals_in_several_currencies_up_in_usd(past_weeks):
    report = pipeline_report(filters=past_weeks, currency="USD")

    assert len(report.currencies) >= 3
    assert report.left_out == []
    assert report.open.converted > 0 or report.stages[-2].converted > 0


def test_every_move_is_stamped_when_it_happened_not_when_seeding_ran(seeded_at, db):
    moves = StageChange.objects.all()

    assert not moves.filter(created_at__gte=seeded_at - timedelta(minutes=1)).exists()
    mql_weeks = {
        (seeded_at - moved).days // 7
        for moved in moves.filter(to_stage=Stage.MQL).values_list("created_at", flat=True)
    }
    assert mql_weeks >= set(range(WEEKS))


def test_the_rows_of_one_move_agree_on_its_moment(seeded_at, db):
    """The services wrote them under one stopped clock: the MQL move, the funnel pass, the
    handoff, its opening event and its clocks."""
    for handoff in Handoff.objects.select_related("lead"):
        entered = (
            StageChange.objects.filter(lead=handoff.lead, to_stage=Stage.MQL)
            .filter(created_at=handoff.created_at)
            .get()
        )
        assert FunnelPass.objects.get(change=entered).entered_at == handoff.created_at
        opened = HandoffEvent.objects.get(handoff=handoff, kind="opened")
        assert opened.created_at == handoff.created_at
        assert {
            clock.started_at for clock in handoff.clocks.exclude(step="sal_to_sql_decision")
        } == {handoff.created_at}


def test_today_managers_see_breaches_and_clocks_at_risk(seeded_at, db):
    overview = manager_overview(now=seeded_at + timedelta(seconds=30))

    assert overview["breached_today_count"] >= 1
    assert overview["at_risk_count"] >= 1


def test_the_sdr_s_queue_starts_with_a_breached_lead(seeded_at, db):
    sdr = get_user_model().objects.get(username="sdr")

    top, *rest = as_shown(queue_base(user=sdr, view="mine"), now=seeded_at)

    assert top.clock == "breached"
    assert {handoff.clock for handoff in rest} >= {"on_time"}


def test_the_past_notifications_are_read_and_today_s_wait(seeded_at, db):
    day_ago = seeded_at - timedelta(days=1)
    notifications = Notification.objects.all()

    assert not notifications.filter(created_at__lt=day_ago, read_at=None).exists()
    assert notifications.filter(created_at__gte=day_ago, read_at=None).exists()


def test_seeding_again_changes_nothing(seeded_at, db):
    models = [
        get_user_model(),
        Channel,
        ChannelSpend,
        Team,
        TeamMember,
        TeamCalendar,
        Lead,
        Activity,
        StageChange,
        FunnelPass,
        Handoff,
        HandoffEvent,
        Clock,
        Qualification,
        Opportunity,
        Notification,
    ]
    before = [model.objects.count() for model in models]

    call_command("seed_demo", leads=150, force=True)

    assert [model.objects.count() for model in models] == before
