from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from core.errors import ApplicationError, PermissionDenied
from handoff import services
from handoff.models import EventKind, HandoffEvent, Qualification, QualificationPolicy
from leads.models import Lead, Stage
from notifications.models import Notification
from tests.handoff.factories import mql_handoff

pytestmark = pytest.mark.django_db
CHECKS = {"meets_mql_spec": True, "can_start_conversation": True, "role_could_buy": True}
DEFAULT_CRITERIA = {
    "buying_cycle": True,
    "influencer": True,
    "timeframe_known": True,
    "size_known": True,
    "next_step_permission": True,
    "next_step": "Demo for the ops team",
    "next_step_date": date(2026, 4, 1),
}


@pytest.fixture
def sal(pool_team, sdr):
    handoff = mql_handoff()
    services.accept_handoff(handoff=handoff, user=sdr, checklist=CHECKS)
    return Lead.objects.get(pk=handoff.lead_id)


def test_answers_are_saved_partially(sal, sdr):
    services.save_qualification(lead=sal, user=sdr, changes={"need": "Leads get lost"})
    services.save_qualification(lead=sal, user=sdr, changes={"authority": "influencer"})

    qualification = Qualification.objects.get(lead=sal)
    assert qualification.need == "Leads get lost"
    assert qualification.authority == "influencer"
    assert qualification.updated_by == sdr
    assert HandoffEvent.objects.filter(kind=EventKind.QUALIFICATION_SAVED).count() == 2


def test_bad_answers_are_refused_and_nothing_is_saved(sal, sdr):
    with pytest.raises(ValidationError) as refused:
        services.save_qualification(
            lead=sal, user=sdr, changes={"need": "x", "timeline_quarter": "soon"}
        )
    assert "timeline_quarter" in refused.value.message_dict
    assert not Qualification.objects.filter(need="x").exists()


def test_only_sal_and_sql_leads_are_qualified(pool_team, sdr, manager):
    with pytest.raises(ApplicationError):
        services.save_qualification(lead=mql_handoff().lead, user=manager, changes={"need": "x"})


def test_someone_not_working_the_lead_cannot_qualify_it(sal, outsider, marketer):
    for user in (outsider, marketer):
        with pytest.raises(PermissionDenied):
            services.save_qualification(lead=sal, user=user, changes={"need": "x"})


def test_promotion_is_refused_with_the_missing_criteria_named(sal, sdr):
    services.save_qualification(
        lead=sal, user=sdr, changes={"buying_cycle": True, "influencer": True}
    )

    with pytest.raises(ApplicationError) as refused:
        services.promote_to_sql(lead=sal, user=sdr)

    assert refused.value.extra["missing"] == ["timeframe", "size", "next_step"]
    assert "Timeframe known" in refused.value.message
    assert "Opportunity size known" in refused.value.message
    assert Lead.objects.get().stage == Stage.SAL


def test_promotion_is_allowed_when_the_required_criteria_are_met(sal, sdr, account_executive):
    services.save_qualification(lead=sal, user=sdr, changes=DEFAULT_CRITERIA)

    promoted = services.promote_to_sql(lead=sal, user=sdr, account_executive=account_executive)

    assert promoted.stage == Stage.SQL
    assert Notification.objects.filter(user=account_executive, kind="sql_handed_over").exists()
    assert HandoffEvent.objects.filter(kind=EventKind.PROMOTED, actor=sdr).exists()


def test_budget_is_optional_by_default_and_required_when_the_manager_says(sal, sdr, manager):
    services.save_qualification(lead=sal, user=sdr, changes=DEFAULT_CRITERIA)
    services.set_required_criteria(user=manager, required=["budget", "next_step"])

    with pytest.raises(ApplicationError) as refused:
        services.promote_to_sql(lead=sal, user=sdr)
    assert refused.value.extra["missing"] == ["budget"]

    services.save_qualification(
        lead=sal, user=sdr, changes={"budget_known": True, "budget_amount": Decimal("1000")}
    )
    assert services.promote_to_sql(lead=sal, user=sdr).stage == Stage.SQL


def test_the_manager_can_require_less(sal, sdr, manager):
    services.set_required_criteria(user=manager, required=[])

    assert services.promote_to_sql(lead=sal, user=sdr).stage == Stage.SQL


def test_only_managers_choose_the_criteria_and_only_known_ones(sdr, manager):
    with pytest.raises(PermissionDenied):
        services.set_required_criteria(user=sdr, required=[])
    with pytest.raises(ApplicationError):
        services.set_required_criteria(user=manager, required=["horoscope"])
    assert QualificationPolicy.current().required == [
        "buying_cycle",
        "influencer",
        "timeframe",
        "size",
        "next_step",
    ]


def test_account_executives_do_not_promote(sal, account_executive):
    with pytest.raises(PermissionDenied):
        services.promote_to_sql(lead=sal, user=account_executive)


def test_an_sql_goes_to_an_account_executive_only(sal, sdr, marketer):
    services.save_qualification(lead=sal, user=sdr, changes=DEFAULT_CRITERIA)
    with pytest.raises(ApplicationError):
        services.promote_to_sql(lead=sal, user=sdr, account_executive=marketer)
