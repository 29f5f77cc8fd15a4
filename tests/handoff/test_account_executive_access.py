"""An SQL belongs to the account executive it was handed to; one handed to nobody waits in the
account executives' pool until the first opportunity is opened on it (handoff/access.py)."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.roles import Role
from core.errors import PermissionDenied
from handoff import services
from handoff.access import check_may_handle_lead, leads_with_qualification_visible_to
from leads.models import Lead, Stage
from tests.handoff.factories import mql_handoff
from tests.handoff.test_qualification import CHECKS, DEFAULT_CRITERIA

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_executive(make_user):
    return make_user(Role.ACCOUNT_EXECUTIVE, username="otis")


@pytest.fixture
def promote(pool_team, sdr):
    def make(account_executive):
        handoff = mql_handoff()
        services.accept_handoff(handoff=handoff, user=sdr, checklist=CHECKS)
        lead = Lead.objects.get(pk=handoff.lead_id)
        services.save_qualification(lead=lead, user=sdr, changes=DEFAULT_CRITERIA)
        return services.promote_to_sql(lead=lead, user=sdr, account_executive=account_executive)

    return make


def open_opportunity(lead, user, owner):
    return services.open_opportunity(
        lead=lead,
        user=user,
        name="Rollout",
        amount=Decimal("12000"),
        currency="EUR",
        expected_close_date=date(2026, 6, 30),
        owner=owner,
    )


def test_an_sql_handed_to_one_account_executive_is_not_another_ones(
    promote, account_executive, other_executive
):
    lead = promote(account_executive)

    check_may_handle_lead(lead, account_executive)
    with pytest.raises(PermissionDenied):
        check_may_handle_lead(lead, other_executive)
    with pytest.raises(PermissionDenied):
        open_opportunity(lead, other_executive, other_executive)
    assert Lead.objects.get(pk=lead.pk).stage == Stage.SQL
    assert list(leads_with_qualification_visible_to(other_executive)) == []


def test_an_sql_handed_to_nobody_waits_for_any_account_executive_until_one_opens_it(
    promote, account_executive, other_executive
):
    lead = promote(None)
    check_may_handle_lead(lead, account_executive)
    check_may_handle_lead(lead, other_executive)
    assert list(leads_with_qualification_visible_to(other_executive)) == [lead]

    open_opportunity(lead, account_executive, account_executive)
    lead.refresh_from_db()

    check_may_handle_lead(lead, account_executive)
    with pytest.raises(PermissionDenied):
        check_may_handle_lead(lead, other_executive)
    assert list(leads_with_qualification_visible_to(other_executive)) == []


def test_the_opportunity_owner_works_the_lead_even_when_another_was_named(
    promote, account_executive, other_executive, sdr
):
    lead = promote(account_executive)
    open_opportunity(lead, sdr, other_executive)
    lead.refresh_from_db()

    check_may_handle_lead(lead, other_executive)


def test_another_account_executive_cannot_change_the_sql_in_the_browser_or_the_api(
    client, api_as, promote, account_executive, other_executive
):
    lead = promote(account_executive)
    client.force_login(other_executive)

    status = client.post(reverse("handoff:lead_status", args=[lead.pk]), {"status": "bad_timing"})
    answers = client.post(reverse("handoff:qualification", args=[lead.pk]), {"budget": "yes"})
    api = api_as(Role.ACCOUNT_EXECUTIVE).get(f"/api/v1/leads/{lead.pk}/qualification/")

    assert status.status_code == 403
    assert answers.status_code == 404
    assert api.status_code == 404
    assert Lead.objects.get(pk=lead.pk).status != "bad_timing"


def test_the_sqls_page_lists_the_pool_beside_ones_own(
    client, promote, account_executive, other_executive
):
    mine = promote(account_executive)
    pooled = promote(None)
    promote(other_executive)
    client.force_login(account_executive)

    response = client.get(reverse("handoff:sqls"))

    assert [(p.lead_id, executive) for p, executive in response.context["rows"]] == [
        (pooled.pk, None),
        (mine.pk, account_executive),
    ]
