import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from core.errors import ApplicationError, PermissionDenied
from handoff import services
from handoff.models import EventKind, Handoff, HandoffEvent, Outcome
from leads.lifecycle import StaleMove
from leads.models import Lead, Stage, StageChange
from notifications.models import Notification, NotificationKind
from sla.models import Clock, Step
from tests.handoff.factories import mql_handoff

pytestmark = pytest.mark.django_db
CHECKS = {"meets_mql_spec": True, "can_start_conversation": True, "role_could_buy": True}


def return_sal(lead, **decision):
    """The lead page's return: the lead's latest handoff, seen in SAL."""
    return services.return_handoff(
        handoff=services.lead_handoff(lead), expected_from=Stage.SAL, **decision
    )


@pytest.fixture
def sal(pool_team, sdr):
    handoff = mql_handoff()
    services.accept_handoff(handoff=handoff, user=sdr, checklist=CHECKS)
    return Lead.objects.get(pk=handoff.lead_id)


def test_a_sal_goes_back_to_marketing_with_its_reason(sal, sdr, marketer):
    return_sal(sal, user=sdr, reason="bad_timing", note="Budget next year")

    sal.refresh_from_db()
    assert sal.stage == Stage.RECYCLED
    change = StageChange.objects.get(lead=sal, to_stage=Stage.RECYCLED)
    assert change.from_stage == Stage.SAL
    assert change.context["return_reason"] == "bad_timing"
    handoff = Handoff.objects.get(lead=sal)
    assert (handoff.outcome, handoff.return_reason.code, handoff.return_note) == (
        Outcome.RETURNED,
        "bad_timing",
        "Budget next year",
    )
    assert handoff.accepted_at is not None
    event = HandoffEvent.objects.get(lead=sal, kind=EventKind.RETURNED)
    assert (event.actor, event.data["from_stage"]) == (sdr, Stage.SAL)
    assert Notification.objects.filter(user=marketer, kind=NotificationKind.LEAD_RETURNED).exists()


def test_the_sql_decision_clock_stops(sal, sdr):
    clock = Clock.objects.get(handoff__lead=sal, step=Step.SQL_DECISION)
    assert clock.stopped_at is None

    return_sal(sal, user=sdr, reason="no_fit")

    clock.refresh_from_db()
    assert clock.stopped_at is not None


def test_refusals_write_nothing(sal, sdr, marketer, outsider):
    with pytest.raises(ApplicationError) as unknown:
        return_sal(sal, user=sdr, reason="because")
    assert "reason" in unknown.value.extra
    with pytest.raises(ApplicationError) as silent_other:
        return_sal(sal, user=sdr, reason="other", note="  ")
    assert "note" in silent_other.value.extra
    for user in (marketer, outsider):
        with pytest.raises(PermissionDenied):
            return_sal(sal, user=user, reason="no_fit")

    sal.refresh_from_db()
    assert sal.stage == Stage.SAL
    assert Handoff.objects.get(lead=sal).outcome == Outcome.ACCEPTED


def test_only_a_sal_can_be_returned_this_way(pool_team, sdr, manager):
    handoff = mql_handoff()

    with pytest.raises(StaleMove):
        return_sal(handoff.lead, user=manager, reason="no_fit")
    assert Handoff.objects.get(pk=handoff.pk).outcome == Outcome.OPEN


def test_the_lead_page_form_returns_it(client, sal, sdr):
    client.force_login(sdr)

    response = client.post(
        reverse("handoff:return_sal", args=[sal.pk]),
        {"return-reason": "no_fit", "return-note": ""},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 204
    assert Lead.objects.get(pk=sal.pk).stage == Stage.RECYCLED


def test_the_lead_page_form_shows_errors_next_to_the_field(client, sal, sdr):
    client.force_login(sdr)

    response = client.post(
        reverse("handoff:return_sal", args=[sal.pk]),
        {"return-reason": "other", "return-note": ""},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 400
    assert "Say why in the note" in response.content.decode()
    assert Lead.objects.get(pk=sal.pk).stage == Stage.SAL


def test_the_api_returns_it(sal, sdr):
    client = APIClient()
    client.force_authenticate(sdr)

    response = client.post(f"/api/v1/leads/{sal.pk}/return/", {"reason": "no_fit"}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["id"] == sal.pk
    assert Lead.objects.get(pk=sal.pk).stage == Stage.RECYCLED


def test_the_api_answers_404_for_a_reason_no_reason_has(api_as, sal):
    response = api_as("manager").post(
        f"/api/v1/leads/{sal.pk}/return/", {"reason": "because"}, format="json"
    )

    assert response.status_code == 404
    assert "because" in response.json()["detail"]
