"""The accept-under-load measurement's parts, and the accept it leans on: its clocks and cost."""

import http.client
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.services import api_token_create
from bench.load import (
    ACCEPT,
    READ,
    deal,
    double_accepts,
    http_server,
    prepare,
    send,
    server_timing,
)
from bench.management.commands.bench import database_url
from handoff import services
from handoff.models import EventKind, Handoff, HandoffEvent
from leads.models import Stage, StageChange
from sla.models import Clock, ClockState, Counting, SlaPolicy, Step
from tests.handoff.factories import mql_handoff
from tests.query_counts import statements

pytestmark = pytest.mark.django_db
CHECKS = {"meets_mql_spec": True, "can_start_conversation": True, "role_could_buy": True}
# A Monday, 09:00 UTC: the default calendar (Mon-Fri 09:00-17:00) opens.
MONDAY_9 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def test_the_reps_queues_are_dealt_in_turn_up_to_the_limit():
    dealt = deal({1: [10, 11, 12], 2: [20], 3: [30, 31]}, limit=4)

    assert dealt == {1: [10, 11], 2: [20], 3: [30]}


def test_reps_work_their_own_handoffs_most_urgent_first_and_claim_from_the_pool_when_short(
    pool_team, sdr, sdr2
):
    handoffs = [mql_handoff() for _ in range(4)]
    for handoff in handoffs[:2]:
        services.claim_handoff(handoff=handoff, user=sdr)
    services.accept_handoff(handoff=handoffs[3], user=sdr, checklist=CHECKS)
    bench = SimpleNamespace(data=SimpleNamespace(sdr_ids=[sdr2.pk, sdr.pk]))

    work = prepare(bench)

    mine = sorted(handoffs[:2], key=lambda handoff: (handoff.sla_due_at, handoff.pk))
    assert work == {sdr.pk: [handoff.pk for handoff in mine], sdr2.pk: [handoffs[2].pk]}
    assert Handoff.objects.get(pk=handoffs[2].pk).assignee == sdr2
    assert HandoffEvent.objects.filter(handoff=handoffs[2], kind=EventKind.CLAIMED).exists()


def test_the_servers_timing_is_read_from_its_header():
    assert server_timing("app;dur=4.25, cpu;dur=3.5") == {"app": 4.25, "cpu": 3.5}
    assert server_timing("cache;desc=hit, app;dur=1") == {"app": 1.0}
    assert server_timing("") == {}


def test_a_handoff_accepted_twice_or_a_lead_entering_sal_twice_is_a_double_accept(pool_team, sdr):
    earlier_pass = timezone.now() - timedelta(days=30)
    once, two_events, two_moves = (mql_handoff() for _ in range(3))
    # A lead that reached SAL on an earlier pass, was returned and qualified again.
    StageChange.objects.create(lead=once.lead, from_stage=Stage.MQL, to_stage=Stage.SAL)
    StageChange.objects.filter(lead=once.lead, to_stage=Stage.SAL).update(created_at=earlier_pass)
    since = timezone.now()
    for handoff in (once, two_events, two_moves):
        services.accept_handoff(handoff=handoff, user=sdr, checklist=CHECKS)
    HandoffEvent.objects.create(
        lead=two_events.lead, handoff=two_events, kind=EventKind.ACCEPTED, created_at=since
    )
    StageChange.objects.create(lead=two_moves.lead, from_stage=Stage.MQL, to_stage=Stage.SAL)

    doubles = double_accepts([once.pk, two_events.pk, two_moves.pk], since)

    assert doubles == {two_events.pk, two_moves.pk}


def test_the_server_answers_and_leaves_nothing_running_when_the_run_fails():
    with (
        pytest.raises(RuntimeError, match="the clients gave up"),
        http_server(database_url()) as server,
    ):
        probe = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        reply = send(probe, "GET", "/healthz", None, {})
        probe.close()
        assert reply.status in (200, 503)
        # What the request cost in the server, which the measurement compares.
        assert reply.server_ms > 0 and reply.cpu_ms >= 0
        raise RuntimeError("the clients gave up")

    # A worker left behind would still hold the listening socket and answer.
    with pytest.raises(ConnectionRefusedError):
        http.client.HTTPConnection("127.0.0.1", server.port, timeout=10).connect()


def test_accepting_stops_both_opening_clocks_and_starts_the_sql_decision_clock(pool_team, sdr):
    handoff = mql_handoff(score=20, now=MONDAY_9)

    services.accept_handoff(
        handoff=handoff, user=sdr, checklist=CHECKS, now=MONDAY_9 + timedelta(hours=2)
    )

    clocks = {clock.step: clock for clock in Clock.objects.filter(handoff=handoff)}
    for step in (Step.FIRST_TOUCH, Step.ACCEPT_OR_RETURN):
        assert (clocks[step].state, clocks[step].elapsed_minutes) == (ClockState.MET, 120)
        assert clocks[step].rep == sdr
    assert clocks[Step.SQL_DECISION].started_at == MONDAY_9 + timedelta(hours=2)
    assert clocks[Step.SQL_DECISION].stopped_at is None


def test_a_late_accept_breaches_each_clock_in_its_own_time(pool_team, sdr):
    SlaPolicy.objects.filter(step=Step.FIRST_TOUCH).update(counting=Counting.CALENDAR)
    handoff = mql_handoff(score=20, now=MONDAY_9)
    tuesday_10 = MONDAY_9 + timedelta(days=1, hours=1)

    services.accept_handoff(handoff=handoff, user=sdr, checklist=CHECKS, now=tuesday_10)

    first_touch = Clock.objects.get(handoff=handoff, step=Step.FIRST_TOUCH)
    accept = Clock.objects.get(handoff=handoff, step=Step.ACCEPT_OR_RETURN)
    assert (first_touch.state, first_touch.elapsed_minutes) == (ClockState.BREACHED, 25 * 60)
    assert (accept.state, accept.elapsed_minutes) == (ClockState.BREACHED, 9 * 60)
    assert first_touch.breached_at == accept.breached_at == tuesday_10


def test_accepting_over_the_api_stays_within_its_query_budget(pool_team, sdr):
    handoff = mql_handoff()
    services.claim_handoff(handoff=handoff, user=sdr)
    api = APIClient()
    issued = api_token_create(user=sdr, name="Load", lifetime_in_days=30)
    api.credentials(HTTP_AUTHORIZATION=f"Token {issued.key}")
    # The rep's queue was read first, as in a running server: the agreement's words are known.
    api.get(READ.path.format(handoff.pk))

    with CaptureQueriesContext(connection) as queries:
        response = api.post(ACCEPT.path.format(handoff.pk), CHECKS, format="json")

    assert response.status_code == 200, response.content
    # The token and the roles, the throttle's count (core.counters: one upsert without Redis,
    # none with), the handoff read as the rep may see it; then the accept
    # (handoff.services.outcomes.decide): the handoff and its lead locked with the policies'
    # facts, the handoff, the stage change, the lead (stage and owner), its funnel pass, the
    # clocks locked, both stopped in one UPDATE, the SQL decision policies and its clock, the
    # event, the webhook subscriptions. The answer is the accepted handoff as written: nothing
    # is read again.
    sent = statements(queries)
    assert len(sent) == 15, "\n".join(sent)
    assert response.json()["outcome"] == "accepted"
    assert response.json()["clock"] is not None
