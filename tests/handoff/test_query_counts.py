"""Every handoff list runs the same queries for 3 rows as for 12 (no N+1 on leads, channels,
teams, reps, clocks, reasons or owners)."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.roles import Role
from handoff import services
from handoff.models import ReasonKind, ReturnReason
from handoff.selectors import ALL, MINE, POOL
from leads.models import Lead
from tests.factories import ChannelFactory
from tests.handoff.factories import mql_handoff
from tests.query_counts import assert_same_queries, measure
from tests.teams.factories import TeamFactory, TeamMemberFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
CHECKS = {"meets_mql_spec": True, "can_start_conversation": True, "role_could_buy": True}
FEW, MANY = 3, 12
QUEUE_CASES = [(Role.SDR, MINE), (Role.SDR, POOL), (Role.MANAGER, POOL), (Role.MANAGER, ALL)]


def new_rep(team, make_user):
    rep = make_user(Role.SDR)
    TeamMemberFactory(team=team, user=rep)
    return rep


@pytest.fixture
def fill_queue(pool_team, sdr, make_user):
    """Open handoffs from their own channels: a third in the pool, a third claimed by `sdr`,
    a third claimed by other reps."""

    def fill(count):
        for n in range(count):
            handoff = mql_handoff(channel=ChannelFactory())
            if n % 3 == 1:
                services.claim_handoff(handoff=handoff, user=sdr)
            elif n % 3 == 2:
                services.claim_handoff(handoff=handoff, user=new_rep(pool_team, make_user))

    return fill


def queue_user(role, sdr, manager):
    return sdr if role == Role.SDR else manager


def expected_rows(view, count):
    return count if view == ALL else count // 3


@pytest.mark.parametrize(("role", "view"), QUEUE_CASES)
@pytest.mark.parametrize(
    ("url_name", "headers"), [("handoff:queue", {}), ("handoff:queue_rows", HTMX)]
)
def test_the_queue_page_runs_the_same_queries_for_any_number_of_rows(
    client, fill_queue, sdr, manager, role, view, url_name, headers
):
    client.force_login(queue_user(role, sdr, manager))

    def fetch():
        return client.get(reverse(url_name), {"view": view}, **headers)

    fill_queue(FEW)
    few = measure(fetch)
    fill_queue(MANY - FEW)
    many = measure(fetch)

    assert len(many.response.context["rows"]) == expected_rows(view, MANY)
    assert_same_queries(few, many)


@pytest.mark.parametrize(("role", "view"), QUEUE_CASES)
def test_the_queue_api_runs_the_same_queries_for_any_number_of_rows(
    fill_queue, sdr, manager, role, view
):
    api = APIClient()
    api.force_authenticate(queue_user(role, sdr, manager))

    def fetch():
        return api.get("/api/v1/queue/", {"view": view})

    fill_queue(FEW)
    few = measure(fetch)
    fill_queue(MANY - FEW)
    many = measure(fetch)

    assert len(many.response.json()["results"]) == expected_rows(view, MANY)
    assert_same_queries(few, many)


@pytest.fixture
def return_leads(pool_team, make_user):
    """MQLs handed back by different reps, from different channels, with different reasons."""
    codes = list(ReturnReason.objects.filter(kind=ReasonKind.RETURN).values_list("code", flat=True))

    def give_back(count):
        for n in range(count):
            services.return_handoff(
                handoff=mql_handoff(channel=ChannelFactory()),
                user=new_rep(pool_team, make_user),
                reason=codes[n % len(codes)],
                note=f"Note {n}",
            )

    return give_back


@pytest.mark.parametrize("role", [Role.MARKETER, Role.MANAGER])
def test_the_returned_leads_page_runs_the_same_queries_for_any_number_of_rows(
    client_as, return_leads, role
):
    client = client_as(role)

    def fetch():
        return client.get(reverse("handoff:returned"))

    return_leads(FEW)
    few = measure(fetch)
    return_leads(MANY - FEW)
    many = measure(fetch)

    assert len(many.response.context["object_list"]) == MANY
    assert_same_queries(few, many)


def add_teams(count, make_user):
    for _ in range(count):
        team = TeamFactory(manager=make_user(Role.MANAGER))
        TeamMemberFactory(team=team, user=make_user(Role.SDR))
        TeamMemberFactory(team=team, user=make_user(Role.SDR), is_away=True)


def test_the_team_list_runs_the_same_queries_for_any_number_of_teams(client_as, make_user):
    client = client_as(Role.MANAGER)

    def fetch():
        return client.get(reverse("handoff:teams"))

    add_teams(FEW, make_user)
    few = measure(fetch)
    add_teams(MANY - FEW, make_user)
    many = measure(fetch)

    assert len(many.response.context["teams"]) == MANY
    assert_same_queries(few, many)


def test_a_team_page_runs_the_same_queries_for_any_number_of_reps(client_as, team, make_user):
    client = client_as(Role.MANAGER)

    def fetch():
        return client.get(reverse("handoff:team", args=[team.pk]))

    def add_reps(count):
        for _ in range(count):
            new_rep(team, make_user)
            mql_handoff(channel=ChannelFactory())  # round robin: every rep carries a load

    add_reps(FEW)
    few = measure(fetch)
    add_reps(MANY - FEW)
    many = measure(fetch)

    assert len(many.response.context["members"]) == MANY
    assert sum(member.load for member in many.response.context["members"]) == MANY
    assert_same_queries(few, many)


def test_the_return_reasons_page_runs_the_same_queries_for_any_number_of_reasons(client_as):
    client = client_as(Role.MANAGER)

    def fetch():
        return client.get(reverse("handoff:return_reasons"))

    few = measure(fetch)
    for n in range(MANY):
        ReturnReason.objects.create(code=f"reason_{n}", label=f"Reason {n}", position=10 + n)
    many = measure(fetch)

    assert len(many.response.context["reasons"]) == len(few.response.context["reasons"]) + MANY
    assert_same_queries(few, many)


@pytest.fixture
def open_opportunities(pool_team, sdr, manager, make_user):
    """Opportunities on SQLs from different channels, owned by `owner` or each by its own
    account executive."""
    services.set_required_criteria(user=manager, required=[])

    def open_opportunity(count, owner=None):
        for n in range(count):
            handoff = mql_handoff(channel=ChannelFactory())
            services.accept_handoff(handoff=handoff, user=sdr, checklist=CHECKS)
            lead = services.promote_to_sql(lead=Lead.objects.get(pk=handoff.lead_id), user=sdr)
            services.open_opportunity(
                lead=lead,
                user=sdr,
                name=f"Rollout {n}",
                amount=Decimal("12000"),
                currency="EUR",
                expected_close_date=date(2026, 6, 30),
                owner=owner or make_user(Role.ACCOUNT_EXECUTIVE),
            )

    return open_opportunity


@pytest.mark.parametrize("role", [Role.MANAGER, Role.ACCOUNT_EXECUTIVE])
def test_the_opportunity_list_runs_the_same_queries_for_any_number_of_rows(
    client, make_user, open_opportunities, role
):
    viewer = make_user(role)
    owner = viewer if role == Role.ACCOUNT_EXECUTIVE else None
    client.force_login(viewer)

    def fetch():
        return client.get(reverse("handoff:opportunities"))

    open_opportunities(FEW, owner)
    few = measure(fetch)
    open_opportunities(MANY - FEW, owner)
    many = measure(fetch)

    assert len(many.response.context["object_list"]) == MANY
    assert_same_queries(few, many)


@pytest.mark.parametrize("role", [Role.MANAGER, Role.ACCOUNT_EXECUTIVE])
def test_the_opportunity_api_runs_the_same_queries_for_any_number_of_rows(
    make_user, open_opportunities, role
):
    viewer = make_user(role)
    owner = viewer if role == Role.ACCOUNT_EXECUTIVE else None
    api = APIClient()
    api.force_authenticate(viewer)

    def fetch():
        return api.get("/api/v1/opportunities/")

    open_opportunities(FEW, owner)
    few = measure(fetch)
    open_opportunities(MANY - FEW, owner)
    many = measure(fetch)

    assert len(many.response.json()["results"]) == MANY
    assert_same_queries(few, many)
