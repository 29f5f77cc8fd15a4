"""Each role's home at `/`: what it shows, where a rep alone and an administrator land, and a
fixed number of queries whatever the rows (each part reads its figures in a few aggregates)."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from accounts.roles import Role
from handoff import services
from handoff.assignment import give_to
from handoff.models import ReturnReason
from handoff.reasons import seed_default_reasons
from leads.models import Lead
from scoring.versions import submit_draft
from sla.services import advance_clocks
from tests.handoff.factories import mql_handoff
from tests.handoff.test_qualification import CHECKS, DEFAULT_CRITERIA
from tests.query_counts import assert_same_queries, measure
from tests.reports.factories import build_october
from tests.scoring.factories import draft_copy
from tests.teams.factories import TeamFactory, TeamMemberFactory

pytestmark = pytest.mark.django_db

MONDAY = datetime(2026, 11, 23, tzinfo=UTC)


def at(hour, minute=0):
    return MONDAY.replace(hour=hour, minute=minute)


@pytest.fixture(autouse=True)
def reasons(db):
    seed_default_reasons(ReturnReason)


@pytest.fixture
def team(sdr):
    team = TeamFactory(name="Inbound", is_default=True, mode="pool")
    TeamMemberFactory(team=team, user=sdr)
    return team


def home(client, user, now):
    client.force_login(user)
    with time_machine.travel(now, tick=False):
        return measure(lambda: client.get("/"))


def handed(user, opened, **lead_fields):
    handoff = mql_handoff(score=20, now=opened, **lead_fields)
    give_to(handoff=handoff, user=user, now=opened)
    return handoff


def test_a_rep_alone_works_from_the_queue_and_an_administrator_from_the_leads(client, make_user):
    client.force_login(make_user(Role.SDR))
    assert client.get("/")["Location"] == reverse("handoff:queue")
    client.force_login(make_user(Role.ADMIN))
    assert client.get("/")["Location"] == reverse("leads:list")


def test_the_marketers_home_shows_the_weeks_mqls_returns_and_drafts(
    client, marketer, make_user, django_assert_num_queries
):
    now = datetime(2026, 10, 21, 12, tzinfo=UTC)
    empty = home(client, marketer, now)
    assert "No lead became an MQL these two weeks." in empty.body
    assert "No draft is waiting for signatures." in empty.body
    draft = draft_copy(marketer)
    submit_draft(agreement=draft, user=marketer)
    few = home(client, marketer, now)
    build_october(make_user(Role.SDR, username="rep"))
    for _ in range(3):
        submit_draft(agreement=draft_copy(marketer), user=marketer)

    many = home(client, marketer, now)

    assert_same_queries(few, many)
    context = many.response.context
    marketing = context["marketing"]
    # Week of October 19 so far: L6 again; the week of the 12th: L8 (tests/reports/factories.py).
    assert (marketing["this_week"].count, marketing["last_week"].count) == (1, 1)
    assert marketing["mql_chart"]["datasets"][0]["data"] == [0, 0, 0, 0, 1, 7, 1, 1]
    # September 22 to October 21: L4 and L7 (no fit), L9 (duplicate), L6 (not reachable).
    assert [(r.label, r.count) for r in marketing["returns"].reasons] == [
        ("No fit", 2),
        ("Duplicate", 1),
        ("Not reachable", 1),
    ]
    assert f'href="{reverse("scoring:detail", args=[draft.pk])}"' in many.body
    assert 'data-report-chart="mql-weeks-data"' in many.body
    # The session, the user and their roles; the MQLs; the returns with the reasons' and the
    # channels' names; the drafts and sign-offs.
    assert len(many.queries) == 9


def promoted(sdr, executive):
    handoff = mql_handoff()
    services.accept_handoff(handoff=handoff, user=sdr, checklist=CHECKS)
    lead = Lead.objects.get(pk=handoff.lead_id)
    services.save_qualification(lead=lead, user=sdr, changes=DEFAULT_CRITERIA)
    return services.promote_to_sql(lead=lead, user=sdr, account_executive=executive)


def test_the_account_executives_home_shows_their_sqls_and_pipeline(
    client, team, sdr, account_executive
):
    now = datetime(2026, 11, 23, 12, tzinfo=UTC)
    few = home(client, account_executive, now)
    assert "No SQL is waiting for you." in few.body
    assert "No open opportunity." in few.body
    with time_machine.travel(now - timedelta(days=1), tick=False):
        waiting = [promoted(sdr, account_executive) for _ in range(7)]
        for lead, amount, currency in ((waiting[0], "1000", "EUR"), (waiting[1], "20", "USD")):
            services.open_opportunity(
                lead=lead,
                user=sdr,
                name="Deal",
                amount=Decimal(amount),
                currency=currency,
                expected_close_date=date(2027, 1, 31),
                owner=account_executive,
            )

    many = home(client, account_executive, now)

    assert_same_queries(few, many)
    pipeline = many.response.context["pipeline"]
    assert (pipeline.sql_count, pipeline.sql_new, len(pipeline.sqls)) == (5, 5, 5)
    assert pipeline.open_count == 2
    assert "1,000 EUR" in many.body and "20 USD" in many.body
    assert f'href="{reverse("handoff:opportunities")}?stage=discovery"' in many.body
    # The session, the user and their roles; the SQLs, their counts, the pipeline.
    assert len(many.queries) == 6


def test_the_managers_home_shows_todays_breaches_and_what_is_at_risk(client, team, sdr, manager):
    empty = home(client, manager, at(14))
    assert "No breach today." in empty.body
    # Handoffs untouched since 09:00 (first touch due 13:00) and since 10:30 (at risk from
    # 13:30, due 14:30).
    late = [handed(sdr, at(9))]
    risky = [handed(sdr, at(10, 30))]
    advance_clocks(now=at(14))
    few = home(client, manager, at(14))
    late += [handed(sdr, at(9)) for _ in range(7)]
    risky += [handed(sdr, at(10, 30))]
    advance_clocks(now=at(14))

    many = home(client, manager, at(14))

    assert_same_queries(few, many)
    sla = many.response.context["sla"]
    assert (sla["breached_today_count"], sla["at_risk_count"]) == (8, 2)
    assert len(sla["breached_today"]) == 5
    assert {clock.handoff_id for clock in sla["at_risk"]} == {handoff.pk for handoff in risky}
    assert "breached 1h ago, business hours" in many.body
    assert "(5 of 8)" in many.body
    assert {clock.handoff_id for clock in sla["breached_today"]} < {h.pk for h in late}
    # The session, the user and their roles; per list its rows, its calendars and its count.
    assert len(many.queries) == 9


def test_a_person_with_two_roles_sees_both_parts(client, team, make_user):
    rep_and_executive = make_user(Role.SDR, Role.ACCOUNT_EXECUTIVE)
    TeamMemberFactory(team=team, user=rep_and_executive)
    handed(rep_and_executive, at(10, 30), first_name="Ada", last_name="Lovelace")

    response = home(client, rep_and_executive, at(11)).response

    assert response.context["parts"] == ["queue", "pipeline"]
    body = response.content.decode()
    assert body.index("Your queue") < body.index("Your pipeline")
    assert "Ada Lovelace" in body
    assert "3h 30m left, business hours" in body


def test_the_rep_sees_their_day_and_next_leads_above_the_queue(client, team, sdr):
    handed(sdr, at(9), first_name="Grace", last_name="Hopper")
    handed(sdr, at(10), first_name="Alan", last_name="Turing")
    accepted = handed(sdr, at(9))
    with time_machine.travel(at(9, 30), tick=False):
        services.accept_handoff(handoff=accepted, user=sdr, checklist=CHECKS)
    advance_clocks(now=at(13, 30))
    client.force_login(sdr)

    with time_machine.travel(at(13, 30), tick=False):
        body = client.get(reverse("handoff:queue")).content.decode()

    summary = body[body.index('class="rep-summary"') : body.index('class="queue-tabs"')]
    assert 'data-testid="accepted-today">1<' in summary
    assert 'data-testid="breached-today">1<' in summary
    assert summary.index("Grace Hopper") < summary.index("Alan Turing")
    assert "breached 30m ago, business hours" in summary


def test_the_rows_poll_redraws_the_reps_day_with_the_rows(client, team, sdr):
    handed(sdr, at(9), first_name="Grace", last_name="Hopper")
    accepted = handed(sdr, at(9))
    client.force_login(sdr)
    with time_machine.travel(at(9, 30), tick=False):
        services.accept_handoff(handoff=accepted, user=sdr, checklist=CHECKS)

        body = client.get(reverse("handoff:queue_rows"), HTTP_HX_REQUEST="true").content.decode()

    summary = body[body.index('id="rep-summary"') :]
    assert 'hx-swap-oob="true"' in summary.split(">")[0]
    assert 'data-testid="accepted-today">1<' in summary
    assert "Grace Hopper" in summary


def test_a_manager_polling_the_queue_gets_no_reps_day(client_as):
    body = client_as(Role.MANAGER).get(reverse("handoff:queue_rows"), HTTP_HX_REQUEST="true")

    assert "rep-summary" not in body.content.decode()


def test_the_reps_summary_keeps_the_queue_at_a_fixed_number_of_queries(client, team, sdr):
    handed(sdr, at(9))
    client.force_login(sdr)
    with time_machine.travel(at(13, 30), tick=False):
        few = measure(lambda: client.get(reverse("handoff:queue")))
        for _ in range(6):
            handed(sdr, at(10))
        many = measure(lambda: client.get(reverse("handoff:queue")))

    assert_same_queries(few, many)
    assert len(many.response.context["summary"]["next_due"]) == 3
