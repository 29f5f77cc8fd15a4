"""The SQLs list: an account executive's leads handed over and still waiting at SQL."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from handoff import services
from leads.lifecycle import move_stage
from leads.models import Lead, Stage
from tests.handoff.factories import mql_handoff
from tests.handoff.test_qualification import CHECKS, DEFAULT_CRITERIA
from tests.query_counts import assert_same_queries, measure

pytestmark = pytest.mark.django_db


@pytest.fixture
def promote(pool_team, sdr):
    def make(account_executive, **lead_fields):
        handoff = mql_handoff(**lead_fields)
        services.accept_handoff(handoff=handoff, user=sdr, checklist=CHECKS)
        lead = Lead.objects.get(pk=handoff.lead_id)
        services.save_qualification(lead=lead, user=sdr, changes=DEFAULT_CRITERIA)
        return services.promote_to_sql(lead=lead, user=sdr, account_executive=account_executive)

    return make


def rows(client):
    response = client.get(reverse("handoff:sqls"))
    assert response.status_code == 200
    return [(promotion.lead_id, executive) for promotion, executive in response.context["rows"]]


def test_an_account_executive_sees_the_sqls_handed_to_them_newest_first(
    client, promote, account_executive, make_user
):
    other = make_user(Role.ACCOUNT_EXECUTIVE, username="otis")
    first = promote(account_executive)
    promote(other)
    second = promote(account_executive)
    client.force_login(account_executive)

    assert rows(client) == [(second.pk, account_executive), (first.pk, account_executive)]


def test_an_sql_leaves_the_list_once_it_moves_on(client, promote, account_executive):
    lead = promote(account_executive)
    move_stage(lead.pk, Stage.OPPORTUNITY, expected_from=Stage.SQL)
    client.force_login(account_executive)

    assert rows(client) == []


def test_a_manager_sees_every_sql_and_whom_it_went_to(
    client, promote, account_executive, manager, sdr
):
    handed = promote(account_executive)
    unassigned = promote(None)
    client.force_login(manager)

    assert rows(client) == [(unassigned.pk, None), (handed.pk, account_executive)]


def test_the_list_runs_the_same_queries_for_one_sql_or_many(client, promote, account_executive):
    promote(account_executive)
    client.force_login(account_executive)
    few = measure(lambda: client.get(reverse("handoff:sqls")))
    for _ in range(4):
        promote(account_executive)

    assert_same_queries(few, measure(lambda: client.get(reverse("handoff:sqls"))))
