"""Each lifecycle event reaches the subscribers, recorded in the transaction that made it."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from handoff import services as handoff_services
from handoff.models import ReturnReason
from handoff.reasons import seed_default_reasons
from leads.models import ActivityKind, Lead
from scoring.services import rescore_leads
from sla.models import Step
from sla.services import advance_clocks, start_clocks
from tests.factories import ActivityFactory, LeadFactory
from tests.handoff.factories import mql_handoff
from tests.sla.factories import HandoffFactory
from tests.sla.factories import TeamFactory as SlaTeamFactory
from tests.teams.factories import TeamFactory, TeamMemberFactory
from tests.webhooks.factories import SubscriptionFactory
from webhooks.models import Delivery, Event

pytestmark = pytest.mark.django_db
CHECKS = {"meets_mql_spec": True, "can_start_conversation": True, "role_could_buy": True}


@pytest.fixture(autouse=True)
def everything_subscribed(db):
    seed_default_reasons(ReturnReason)
    return SubscriptionFactory(events=Event.values)


@pytest.fixture
def team(sdr):
    team = TeamFactory(name="Inbound", is_default=True, mode="pool")
    TeamMemberFactory(team=team, user=sdr)
    return team


def sent(event):
    return [delivery.payload for delivery in Delivery.objects.filter(event=event)]


def test_a_lead_that_qualifies_sends_lead_mql(team):
    lead = LeadFactory()
    for kind, properties in (
        (ActivityKind.CONTENT_DOWNLOAD, {"asset_type": "ebook"}),
        (ActivityKind.CONTACT_REQUEST, {}),
    ):
        ActivityFactory(
            lead=lead,
            kind=kind,
            properties=properties,
            occurred_at=timezone.now() - timedelta(days=1),
        )

    rescore_leads([lead.pk])

    (payload,) = sent(Event.LEAD_MQL)
    assert (payload["lead"]["id"], payload["lead"]["stage"]) == (lead.pk, "mql")
    assert payload["data"] == {"agreement_version": 1, "score": 15}


def test_accepting_and_returning_send_their_events(team, sdr):
    accepted, returned = mql_handoff(), mql_handoff()

    handoff_services.accept_handoff(handoff=accepted, user=sdr, checklist=CHECKS)
    handoff_services.return_handoff(handoff=returned, user=sdr, reason="no_fit")

    (payload,) = sent(Event.HANDOFF_ACCEPTED)
    assert (payload["lead"]["stage"], payload["lead"]["owner"]) == ("sal", sdr.username)
    (payload,) = sent(Event.HANDOFF_RETURNED)
    assert payload["lead"]["stage"] == "recycled"
    assert payload["data"]["reason"] == "no_fit"


def test_sql_and_opportunity_events_are_sent(team, sdr, manager, account_executive):
    handoff_services.set_required_criteria(user=manager, required=[])
    leads = []
    for _ in range(2):
        handoff = mql_handoff()
        handoff_services.accept_handoff(handoff=handoff, user=sdr, checklist=CHECKS)
        leads.append(Lead.objects.get(pk=handoff.lead_id))

    opportunities = []
    for lead in leads:
        sql = handoff_services.promote_to_sql(lead=lead, user=sdr)
        opportunities.append(
            handoff_services.open_opportunity(
                lead=sql,
                user=sdr,
                name="Rollout",
                amount=Decimal("12000"),
                currency="eur",
                expected_close_date=date(2031, 6, 30),
                owner=account_executive,
            )
        )
    won, lost = opportunities
    handoff_services.update_opportunity(
        opportunity=won, user=account_executive, changes={"stage": "won"}
    )
    handoff_services.update_opportunity(
        opportunity=lost, user=account_executive, changes={"stage": "lost"}, lost_reason="Budget"
    )

    assert {p["lead"]["id"] for p in sent(Event.LEAD_SQL)} == {lead.pk for lead in leads}
    created = sent(Event.OPPORTUNITY_CREATED)
    assert {(p["data"]["amount"], p["data"]["currency"]) for p in created} == {("12000", "EUR")}
    (payload,) = sent(Event.OPPORTUNITY_WON)
    assert (payload["lead"]["stage"], payload["data"]["stage"]) == ("customer", "won")
    (payload,) = sent(Event.OPPORTUNITY_LOST)
    assert (payload["lead"]["stage"], payload["data"]["lost_reason"]) == ("recycled", "Budget")


def test_a_breached_sla_sends_sla_breached_once(manager, sdr):
    monday_9 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    handoff = HandoffFactory(team=SlaTeamFactory(manager=manager), assignee=sdr)
    start_clocks(handoff=handoff, now=monday_9)

    for minutes in range(0, 30, 10):
        advance_clocks(now=monday_9 + timedelta(hours=4, minutes=minutes))

    (payload,) = sent(Event.SLA_BREACHED)
    assert payload["lead"]["id"] == handoff.lead_id
    assert payload["data"]["step"] == Step.FIRST_TOUCH
