from datetime import date
from decimal import Decimal

import pytest

from core.errors import ApplicationError, ConflictError, PermissionDenied
from handoff import services
from handoff.models import Opportunity
from leads.models import Lead, Stage
from notifications.models import Notification
from tests.handoff.factories import mql_handoff

pytestmark = pytest.mark.django_db
CHECKS = {"meets_mql_spec": True, "can_start_conversation": True, "role_could_buy": True}


@pytest.fixture
def sql(pool_team, sdr, manager):
    handoff = mql_handoff()
    services.accept_handoff(handoff=handoff, user=sdr, checklist=CHECKS)
    services.set_required_criteria(user=manager, required=[])
    return services.promote_to_sql(lead=Lead.objects.get(pk=handoff.lead_id), user=sdr)


def open_for(lead, user, owner, **fields):
    return services.open_opportunity(
        lead=lead,
        user=user,
        **{
            "name": "Rollout",
            "amount": Decimal("12000"),
            "currency": "eur",
            "expected_close_date": date(2026, 6, 30),
            "owner": owner,
            **fields,
        },
    )


def test_an_sql_becomes_an_opportunity_owned_by_the_account_executive(sql, sdr, account_executive):
    opportunity = open_for(sql, sdr, account_executive)

    assert opportunity.currency == "EUR"
    assert opportunity.stage == "discovery"
    lead = Lead.objects.get()
    assert lead.stage == Stage.OPPORTUNITY
    assert lead.owner == account_executive
    assert Notification.objects.filter(
        user=account_executive, kind="opportunity_handed_over"
    ).exists()


def test_the_owner_must_be_an_account_executive(sql, sdr):
    with pytest.raises(ApplicationError) as refused:
        open_for(sql, sdr, sdr)
    assert "owner" in refused.value.extra
    assert Lead.objects.get().stage == Stage.SQL


def test_bad_input_leaves_the_lead_an_sql(sql, sdr, account_executive):
    with pytest.raises(Exception):  # noqa: B017 - a ValidationError from full_clean
        open_for(sql, sdr, account_executive, amount=Decimal("-1"))
    assert Lead.objects.get().stage == Stage.SQL
    assert not Opportunity.objects.exists()


def test_only_an_sql_becomes_an_opportunity(pool_team, manager, account_executive):
    with pytest.raises(ConflictError):
        open_for(mql_handoff().lead, manager, account_executive)


def test_won_makes_the_lead_a_customer(sql, sdr, account_executive):
    opportunity = open_for(sql, sdr, account_executive)

    won = services.update_opportunity(
        opportunity=opportunity, user=account_executive, changes={"stage": "won"}
    )

    assert won.closed_at is not None
    assert Lead.objects.get().stage == Stage.CUSTOMER


def test_lost_records_the_reason_and_recycles_the_lead(sql, sdr, account_executive):
    opportunity = open_for(sql, sdr, account_executive)
    with pytest.raises(ApplicationError):
        services.update_opportunity(
            opportunity=opportunity, user=account_executive, changes={"stage": "lost"}
        )

    lost = services.update_opportunity(
        opportunity=opportunity,
        user=account_executive,
        changes={"stage": "lost"},
        lost_reason="Chose a competitor",
    )

    assert lost.lost_reason == "Chose a competitor"
    assert Lead.objects.get().stage == Stage.RECYCLED


def test_a_closed_opportunity_cannot_change(sql, sdr, account_executive):
    opportunity = open_for(sql, sdr, account_executive)
    services.update_opportunity(
        opportunity=opportunity, user=account_executive, changes={"stage": "won"}
    )

    with pytest.raises(ConflictError):
        services.update_opportunity(
            opportunity=opportunity, user=account_executive, changes={"amount": Decimal(1)}
        )


def test_only_the_owner_or_a_manager_changes_it(sql, sdr, manager, account_executive, make_user):
    opportunity = open_for(sql, sdr, account_executive)
    other_ae = make_user("account_executive")

    for user in (sdr, other_ae):
        with pytest.raises(PermissionDenied):
            services.update_opportunity(
                opportunity=opportunity, user=user, changes={"stage": "proposal"}
            )
    moved = services.update_opportunity(
        opportunity=opportunity, user=manager, changes={"stage": "proposal", "owner": other_ae}
    )
    assert moved.owner == other_ae
    assert Notification.objects.filter(user=other_ae, kind="opportunity_handed_over").exists()
