"""Who may read which handoff, opportunity and qualification, with real rows, on the pages and
the API alike (the rules: handoff/access.py).

A row the user may not read answers 404, exactly as an id that does not exist, so a guessed id
reveals nothing; a role without the capability gets 403 before any row is looked up.

The world: two pool teams. Inbound has the reps sam and sasha, outbound has otto (and covers
the events channel). Sam accepted a lead, qualified it and handed it to the account executive
alex, who owns its opportunity; otto did the same for blake. Otto also qualified a lead he
handed to alex as an SQL, with no opportunity yet.
"""

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from django.db.models import Max
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.capabilities import may
from accounts.roles import Role
from handoff import services
from handoff.access import handoffs_visible_to
from handoff.models import Handoff, Opportunity, Outcome, Qualification
from handoff.selectors import QUEUE_VIEWS, queue_base
from leads.models import Lead
from tests.factories import ChannelFactory, UserFactory
from tests.handoff.factories import mql_handoff
from tests.teams.factories import TeamFactory, TeamMemberFactory

pytestmark = pytest.mark.django_db

CHECKS = {"meets_mql_spec": True, "can_start_conversation": True, "role_could_buy": True}
SAMS_NEED = "Routing leads by hand takes a day"
OTTOS_NEED = "Badge scans never reach sales"
HANDED_NEED = "Spreadsheets for every trade show"


@dataclass
class World:
    sam: object
    sasha: object
    otto: object
    alex: object
    blake: object
    manager: object
    marketer: object
    admin: object
    inbound_pool: Handoff
    outbound_pool: Handoff
    sashas: Handoff
    ottos: Handoff
    sams_accepted: Handoff
    alexs_opportunity: Opportunity
    blakes_opportunity: Opportunity
    handed_to_alex: Lead

    def user(self, name):
        return getattr(self, name)


def accepted(handoff, rep, need):
    services.accept_handoff(handoff=handoff, user=rep, checklist=CHECKS)
    lead = Lead.objects.get(pk=handoff.lead_id)
    services.save_qualification(lead=lead, user=rep, changes={"need": need})
    return lead


def sourced(handoff, rep, need, owner, name, amount):
    """The rep accepts and qualifies the lead, hands the SQL to `owner`, opens the opportunity."""
    lead = services.promote_to_sql(
        lead=accepted(handoff, rep, need), user=rep, account_executive=owner
    )
    return services.open_opportunity(
        lead=lead,
        user=rep,
        name=name,
        amount=Decimal(amount),
        currency="EUR",
        expected_close_date=date(2026, 9, 30),
        owner=owner,
    )


@pytest.fixture
def world(db):
    def person(username, role):
        return UserFactory(username=username, roles=[role])

    sam, sasha, otto = (person(name, Role.SDR) for name in ("sam", "sasha", "otto"))
    alex, blake = (person(name, Role.ACCOUNT_EXECUTIVE) for name in ("alex", "blake"))
    manager, marketer = person("morgan", Role.MANAGER), person("maya", Role.MARKETER)
    inbound = TeamFactory(name="Inbound", is_default=True, mode="pool")
    outbound = TeamFactory(name="Outbound", mode="pool")
    events = ChannelFactory(slug="events")
    events.teams.add(outbound)
    for team, rep in ((inbound, sam), (inbound, sasha), (outbound, otto)):
        TeamMemberFactory(team=team, user=rep)
    services.set_required_criteria(user=manager, required=[])

    def inbound_handoff():
        return mql_handoff()

    def outbound_handoff():
        return mql_handoff(channel=events)

    sashas = services.claim_handoff(handoff=inbound_handoff(), user=sasha)
    ottos = services.claim_handoff(handoff=outbound_handoff(), user=otto)
    sams_accepted = inbound_handoff()
    alexs_opportunity = sourced(sams_accepted, sam, SAMS_NEED, alex, "Northwind rollout", "48000")
    blakes_opportunity = sourced(
        outbound_handoff(), otto, OTTOS_NEED, blake, "Contoso expansion", "91000"
    )
    handed = accepted(outbound_handoff(), otto, HANDED_NEED)
    handed_to_alex = services.promote_to_sql(lead=handed, user=otto, account_executive=alex)
    return World(
        sam=sam,
        sasha=sasha,
        otto=otto,
        alex=alex,
        blake=blake,
        manager=manager,
        marketer=marketer,
        admin=person("ada", Role.ADMIN),
        inbound_pool=inbound_handoff(),
        outbound_pool=outbound_handoff(),
        sashas=sashas,
        ottos=ottos,
        sams_accepted=Handoff.objects.get(pk=sams_accepted.pk),
        alexs_opportunity=alexs_opportunity,
        blakes_opportunity=blakes_opportunity,
        handed_to_alex=handed_to_alex,
    )


def browser(user):
    client = Client()
    client.force_login(user)
    return client


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def handoff_status(user, handoff_id):
    """(API, work panel) status of one handoff."""
    return (
        api(user).get(f"/api/v1/handoffs/{handoff_id}/").status_code,
        browser(user).get(reverse("handoff:work", args=[handoff_id])).status_code,
    )


def opportunity_status(user, opportunity_id):
    """(API, page) status of one opportunity."""
    return (
        api(user).get(f"/api/v1/opportunities/{opportunity_id}/").status_code,
        browser(user).get(reverse("handoff:opportunity", args=[opportunity_id])).status_code,
    )


def qualification_status(user, lead_id):
    return api(user).get(f"/api/v1/leads/{lead_id}/qualification/").status_code


def lead_page(user, lead_id):
    response = browser(user).get(reverse("leads:detail", args=[lead_id]))
    assert response.status_code == 200
    return response.content.decode()


class TestHandoffs:
    def test_another_reps_handoff_outside_my_team_is_not_found(self, world):
        assert handoff_status(world.sam, world.ottos.pk) == (404, 404)

    def test_another_teams_pool_is_not_found(self, world):
        assert handoff_status(world.sam, world.outbound_pool.pk) == (404, 404)

    def test_my_teams_pool_is_found(self, world):
        assert handoff_status(world.sam, world.inbound_pool.pk) == (200, 200)

    def test_my_handoffs_open_or_decided_are_found(self, world):
        claimed = services.claim_handoff(handoff=world.inbound_pool, user=world.sam)

        assert handoff_status(world.sam, claimed.pk) == (200, 200)
        assert handoff_status(world.sam, world.sams_accepted.pk) == (200, 200)

    def test_a_decided_handoff_stays_with_the_rep_who_left_the_team(self, world):
        """'Ones they worked before': the assignee, not the team, keeps it readable."""
        world.sam.team_memberships.all().delete()

        assert handoff_status(world.sam, world.sams_accepted.pk) == (200, 200)
        assert handoff_status(world.sam, world.inbound_pool.pk) == (404, 404)

    def test_a_teammates_handoff_is_found_so_the_second_rep_hears_who_has_it(self, world):
        response = api(world.sam).post(f"/api/v1/handoffs/{world.sashas.pk}/claim/")

        assert handoff_status(world.sam, world.sashas.pk) == (200, 200)
        assert response.status_code == 409
        assert response.json()["assignee"]["name"] == "sasha"

    def test_actions_on_a_handoff_i_may_not_read_are_not_found_and_change_nothing(self, world):
        pool_id = world.outbound_pool.pk

        by_api = api(world.sam).post(f"/api/v1/handoffs/{pool_id}/claim/")
        by_page = browser(world.sam).post(reverse("handoff:claim", args=[pool_id]))
        accept = browser(world.sam).post(reverse("handoff:accept", args=[pool_id]), CHECKS)

        assert (by_api.status_code, by_page.status_code, accept.status_code) == (404, 404, 404)
        handoff = Handoff.objects.get(pk=pool_id)
        assert (handoff.assignee_id, handoff.outcome) == (None, Outcome.OPEN)

    def test_a_manager_reads_every_handoff(self, world):
        for handoff in (world.ottos, world.outbound_pool, world.sams_accepted):
            assert handoff_status(world.manager, handoff.pk) == (200, 200)

    @pytest.mark.parametrize("name", ["alex", "marketer", "admin"])
    def test_roles_outside_the_queue_are_refused_by_capability(self, world, name):
        assert handoff_status(world.user(name), world.inbound_pool.pk) == (403, 403)

    @pytest.mark.parametrize("name", ["sam", "otto", "manager"])
    def test_every_queue_tab_lists_only_handoffs_the_rep_may_read(self, world, name):
        """The queue's tabs (handoff.selectors.queue_base) are filtered for their indexes, not
        through handoffs_visible_to: this keeps the two rules in agreement."""
        user = world.user(name)
        visible = set(handoffs_visible_to(user).values_list("pk", flat=True))

        for view in QUEUE_VIEWS:
            assert set(queue_base(user=user, view=view).values_list("pk", flat=True)) <= visible


class TestOpportunities:
    def test_another_account_executives_opportunity_is_not_found(self, world):
        assert opportunity_status(world.alex, world.blakes_opportunity.pk) == (404, 404)

    def test_my_opportunity_is_found(self, world):
        assert opportunity_status(world.alex, world.alexs_opportunity.pk) == (200, 200)

    def test_changing_another_account_executives_opportunity_is_not_found(self, world):
        url = reverse("handoff:opportunity", args=[world.blakes_opportunity.pk])

        page = browser(world.alex).post(url, {"name": "Mine now", "stage": "won"})
        by_api = api(world.alex).patch(
            f"/api/v1/opportunities/{world.blakes_opportunity.pk}/", {"name": "Mine now"}
        )

        assert (page.status_code, by_api.status_code) == (404, 404)
        assert Opportunity.objects.get(pk=world.blakes_opportunity.pk).name == "Contoso expansion"

    def test_handing_my_opportunity_on_sends_me_to_my_pipeline_not_to_a_404(self, world):
        opportunity = world.alexs_opportunity
        form = {
            "name": opportunity.name,
            "amount": "48000",
            "currency": "EUR",
            "expected_close_date": "2026-09-30",
            "stage": "discovery",
            "owner": world.blake.pk,
        }

        response = browser(world.alex).post(
            reverse("handoff:opportunity", args=[opportunity.pk]), form
        )

        assert response.status_code == 302
        assert response["Location"] == reverse("handoff:opportunities")
        assert opportunity_status(world.alex, opportunity.pk) == (404, 404)

    def test_a_manager_reads_every_opportunity(self, world):
        for opportunity in (world.alexs_opportunity, world.blakes_opportunity):
            assert opportunity_status(world.manager, opportunity.pk) == (200, 200)

    def test_the_rep_who_sourced_an_opportunity_reads_it_through_the_api_only(self, world):
        """Sam accepted the lead of alex's opportunity, not blake's (otto did); reps have no
        opportunity pages."""
        assert opportunity_status(world.sam, world.alexs_opportunity.pk) == (200, 403)
        assert opportunity_status(world.sam, world.blakes_opportunity.pk) == (404, 403)
        listed = api(world.sam).get("/api/v1/opportunities/").json()["results"]
        assert [row["id"] for row in listed] == [world.alexs_opportunity.pk]

    @pytest.mark.parametrize("name", ["marketer", "admin"])
    def test_roles_outside_sales_are_refused_by_capability(self, world, name):
        assert opportunity_status(world.user(name), world.alexs_opportunity.pk) == (403, 403)


def opportunity_row(page, name):
    (row,) = re.findall(rf"<tr><td>(?:<a [^>]*>)?(?:<bdi>)?{name}.*?</tr>", page)
    return row


class TestTheLeadPagesOpportunities:
    @pytest.mark.parametrize(
        ("name", "shown"),
        [
            ("alex", False),
            ("otto", True),  # he accepted the lead: the pipeline he sourced
            ("sam", False),
            ("sasha", False),
            ("marketer", False),
            ("admin", False),
            ("blake", True),
            ("manager", True),
        ],
    )
    def test_amount_and_owner_only_for_those_who_may_read_the_opportunity(self, world, name, shown):
        row = opportunity_row(
            lead_page(world.user(name), world.blakes_opportunity.lead_id), "Contoso expansion"
        )

        assert ("91,000" in row) is shown
        assert ("blake" in row) is shown
        assert ("href" in row) is (shown and may(world.user(name), "opportunities.work"))


class TestQualification:
    @pytest.mark.parametrize(
        ("name", "lead", "status"),
        [
            ("sam", "sams", 200),  # he holds its handoff
            ("alex", "sams", 200),  # he owns its opportunity
            ("manager", "sams", 200),
            ("otto", "sams", 404),  # a lead he has no business with
            ("sasha", "sams", 404),  # his teammate's lead is not his
            ("blake", "sams", 404),
            ("alex", "handed", 200),  # handed to him as an SQL, no opportunity yet
            ("blake", "handed", 404),
            ("marketer", "sams", 403),
            ("admin", "sams", 403),
        ],
    )
    def test_the_api_answers_only_those_with_business_with_the_lead(
        self, world, name, lead, status
    ):
        lead_id = {"sams": world.sams_accepted.lead_id, "handed": world.handed_to_alex.pk}[lead]

        response = api(world.user(name)).get(f"/api/v1/leads/{lead_id}/qualification/")

        assert response.status_code == status
        if status == 200:
            assert response.json()["need"] in (SAMS_NEED, HANDED_NEED)

    @pytest.mark.parametrize(
        ("name", "shown"),
        [("sam", True), ("alex", True), ("manager", True), ("otto", False), ("marketer", False)],
    )
    def test_the_lead_page_shows_it_only_to_those_with_business_with_the_lead(
        self, world, name, shown
    ):
        page = lead_page(world.user(name), world.sams_accepted.lead_id)

        assert (SAMS_NEED in page) is shown
        assert ("Qualification (BANT)" in page) is shown

    def test_saving_it_without_business_with_the_lead_is_not_found_and_saves_nothing(self, world):
        lead_id = world.sams_accepted.lead_id

        by_api = api(world.otto).put(
            f"/api/v1/leads/{lead_id}/qualification/", {"need": "Overwritten"}, format="json"
        )
        by_page = browser(world.otto).post(
            reverse("handoff:qualification", args=[lead_id]), {"need": "Overwritten"}
        )

        assert (by_api.status_code, by_page.status_code) == (404, 404)
        assert Qualification.objects.get(lead_id=lead_id).need == SAMS_NEED

    def test_a_refused_promotion_shows_no_answers_to_a_rep_without_business(self, world):
        """The lead page's forms answer bad input with the qualification fragment; it holds
        the answers only for those who may read them."""
        response = browser(world.otto).post(
            reverse("handoff:promote", args=[world.sams_accepted.lead_id]),
            {"account_executive": "not a person"},
            HTTP_HX_REQUEST="true",
        )

        assert response.status_code == 400
        assert SAMS_NEED not in response.content.decode()


def detail_urls(world):
    """Each detail URL with a guessed id (the largest of its kind plus 1000), and the
    capability that lets a role past the door."""
    handoff = Handoff.objects.aggregate(top=Max("pk"))["top"] + 1000
    opportunity = Opportunity.objects.aggregate(top=Max("pk"))["top"] + 1000
    lead = Lead.objects.aggregate(top=Max("pk"))["top"] + 1000
    return [
        (f"/api/v1/handoffs/{handoff}/", "queue.work"),
        (reverse("handoff:work", args=[handoff]), "queue.work"),
        (f"/api/v1/opportunities/{opportunity}/", "handoff.work_leads"),
        (reverse("handoff:opportunity", args=[opportunity]), "opportunities.work"),
        (f"/api/v1/leads/{lead}/qualification/", "handoff.work_leads"),
        (reverse("leads:detail", args=[lead]), "leads.view"),
    ]


@pytest.mark.parametrize("name", ["sam", "otto", "alex", "blake", "manager", "marketer", "admin"])
def test_a_guessed_id_is_not_found_for_everyone_who_may_open_the_url(world, name):
    user = world.user(name)

    for url, capability in detail_urls(world):
        client = api(user) if url.startswith("/api/") else browser(user)
        expected = 404 if may(user, capability) else 403
        assert client.get(url).status_code == expected, url
