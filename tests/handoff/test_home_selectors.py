"""What a rep and an account executive see on their homes: the rep's next leads and their day,
the executive's SQLs and open pipeline, with exact figures on a known Monday."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine

from accounts.roles import Role
from handoff import services
from handoff.assignment import give_to
from handoff.models import Opportunity
from handoff.selectors import next_due, pipeline_for, rep_day
from leads.models import Lead
from sla.services import advance_clocks
from tests.handoff.factories import mql_handoff
from tests.handoff.test_qualification import CHECKS, DEFAULT_CRITERIA

pytestmark = pytest.mark.django_db

# The default calendar works Monday to Friday, 09:00-17:00 UTC: first touch within 4 business
# hours, accept or return within one business day (8 hours).
FRIDAY = datetime(2026, 11, 20, tzinfo=UTC)
MONDAY = datetime(2026, 11, 23, tzinfo=UTC)


def at(day, hour, minute=0):
    return day.replace(hour=hour, minute=minute)


def given(user, opened):
    # Score 20: under the hot-lead policies, so the first touch has 4 business hours.
    handoff = mql_handoff(score=20, now=opened)
    give_to(handoff=handoff, user=user, now=opened)
    return handoff


@pytest.fixture
def monday(pool_team, sdr, sdr2):
    """By Monday 14:00 the rep accepted two leads and returned one at 09:45, accepted one on
    Friday; one of their leads, untouched since Friday 13:00, breached its first touch on
    Friday and its accept-or-return deadline today at 13:00; sdr2 breached one today too."""
    with time_machine.travel(at(FRIDAY, 9), tick=False):
        accepted_friday = given(sdr, at(FRIDAY, 9))
        services.accept_handoff(handoff=accepted_friday, user=sdr, checklist=CHECKS)
    late = given(sdr, at(FRIDAY, 13))
    advance_clocks(now=at(FRIDAY, 17, 1))
    others = given(sdr2, at(MONDAY, 9))
    accepted = [given(sdr, at(MONDAY, 9)), given(sdr, at(MONDAY, 9, 10))]
    returned = given(sdr, at(MONDAY, 9, 20))
    with time_machine.travel(at(MONDAY, 9, 45), tick=False):
        for handoff in accepted:
            services.accept_handoff(handoff=handoff, user=sdr, checklist=CHECKS)
        services.return_handoff(handoff=returned, user=sdr, reason="no_fit")
    soon = given(sdr, at(MONDAY, 10, 30))
    later = given(sdr, at(MONDAY, 11))
    latest = given(sdr, at(MONDAY, 12))
    advance_clocks(now=at(MONDAY, 14))
    return {"late": late, "soon": soon, "later": later, "latest": latest, "others": others}


def test_a_reps_day_counts_what_they_accepted_returned_and_breached_since_midnight(monday, sdr):
    day = rep_day(user=sdr, now=at(MONDAY, 14))

    assert (day.accepted, day.returned, day.breached) == (2, 1, 1)


def test_the_day_starts_at_midnight_in_the_server_time_zone(monday, sdr, settings):
    # On Kiritimati (UTC+14) Monday 14:00 UTC is Tuesday 04:00: the day began at 10:00 UTC,
    # after the decisions of 09:45 and before the breach of 14:00.
    settings.TIME_ZONE = "Pacific/Kiritimati"
    day = rep_day(user=sdr, now=at(MONDAY, 14))

    assert (day.accepted, day.returned, day.breached) == (0, 0, 1)


def test_next_due_is_the_head_of_the_reps_own_queue_with_its_clock(monday, sdr):
    rows = next_due(user=sdr, now=at(MONDAY, 14))

    assert [row.pk for row in rows] == [monday["late"].pk, monday["soon"].pk, monday["later"].pk]
    # At risk from three quarters of the target: 13:30 and 14:00.
    assert [row.clock for row in rows] == ["breached", "at_risk", "at_risk"]
    # The clock raced is the first touch, due on Friday at 17:00: five business hours ago.
    assert rows[0].clock_display.text == "breached 5h ago, business hours"
    # 10:30 + 4 business hours: first touch due 14:30.
    assert rows[1].clock_display.text == "30m left, business hours"


@pytest.fixture
def pipeline(pool_team, sdr, account_executive, make_user):
    """Four SQLs for the executive (promoted 10 days, 3 days, 1 day ago and today) and one for
    another; the executive's opportunities: two in discovery (EUR and USD), one in proposal,
    one won; another executive's in discovery."""
    other = make_user(Role.ACCOUNT_EXECUTIVE, username="otis")
    now = datetime(2026, 11, 23, 12, tzinfo=UTC)

    def promoted(executive, ago):
        with time_machine.travel(now - ago, tick=False):
            handoff = mql_handoff()
            services.accept_handoff(handoff=handoff, user=sdr, checklist=CHECKS)
            lead = Lead.objects.get(pk=handoff.lead_id)
            services.save_qualification(lead=lead, user=sdr, changes=DEFAULT_CRITERIA)
            return services.promote_to_sql(lead=lead, user=sdr, account_executive=executive)

    def deal(owner, amount, currency, stage=None):
        lead = promoted(owner, timedelta(days=20))
        opportunity = services.open_opportunity(
            lead=lead,
            user=sdr,
            name=f"Deal {amount}",
            amount=Decimal(amount),
            currency=currency,
            expected_close_date=date(2027, 1, 31),
            owner=owner,
        )
        if stage:
            services.update_opportunity(
                opportunity=opportunity, user=owner, changes={"stage": stage}
            )
        return opportunity

    sqls = [promoted(account_executive, timedelta(days=days)) for days in (10, 3, 1, 0)]
    promoted(other, timedelta(days=1))
    deal(account_executive, "1000", "EUR")
    deal(account_executive, "250.50", "USD")
    deal(account_executive, "2000", "EUR", stage="proposal")
    deal(account_executive, "9000", "EUR", stage="won")
    deal(other, "5000", "EUR")
    return {"now": now, "sqls": sqls}


def test_an_executives_pipeline_counts_their_sqls_and_open_opportunities(
    pipeline, account_executive
):
    figures = pipeline_for(user=account_executive, now=pipeline["now"])

    assert (figures.sql_count, figures.sql_new) == (4, 3)
    assert [promotion.lead_id for promotion in figures.sqls] == [
        lead.pk for lead in reversed(pipeline["sqls"])
    ]
    assert figures.open_count == 3
    assert [(s.stage, s.count, s.amounts) for s in figures.stages] == [
        ("discovery", 2, [("EUR", Decimal("1000.00")), ("USD", Decimal("250.50"))]),
        ("proposal", 1, [("EUR", Decimal("2000.00"))]),
        ("negotiation", 0, []),
    ]
    assert Opportunity.objects.count() == 5


def test_a_manager_reads_everyones_pipeline(pipeline, manager):
    figures = pipeline_for(user=manager, now=pipeline["now"])

    assert (figures.sql_count, figures.open_count) == (5, 4)
