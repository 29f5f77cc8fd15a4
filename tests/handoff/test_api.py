from datetime import UTC, datetime

import pytest
import time_machine
from rest_framework.test import APIClient

from accounts.roles import Role
from handoff import services
from handoff.models import Handoff, Opportunity, Outcome
from leads.models import Lead, Stage
from sla.models import SlaPolicy
from tests.factories import ChannelFactory
from tests.handoff.factories import mql_handoff
from tests.teams.factories import TeamMemberFactory

pytestmark = pytest.mark.django_db
CHECKS = {"meets_mql_spec": True, "can_start_conversation": True, "role_could_buy": True}
MET = {
    "buying_cycle": True,
    "influencer": True,
    "timeframe_known": True,
    "size_known": True,
    "next_step_permission": True,
    "next_step": "Workshop",
    "next_step_date": "2026-05-04",
}


@pytest.fixture
def api():
    return APIClient()


def as_user(api, user):
    api.force_authenticate(user)
    return api


def test_the_queue_lists_mine_and_the_pool(api, team, sdr, sdr2):
    TeamMemberFactory(team=team, user=sdr, cap=1)
    mine = mql_handoff()
    pooled = mql_handoff()

    body = as_user(api, sdr).get("/api/v1/queue/").json()
    assert [row["id"] for row in body["results"]] == [mine.pk]
    row = body["results"][0]
    assert row["lead"]["id"] == mine.lead_id
    assert row["clock"] == "on_time"
    assert row["top_reasons"][0] == {"rule": "Requested a demo", "points": 20}

    pool = api.get("/api/v1/queue/", {"view": "pool"}).json()["results"]
    assert [row["id"] for row in pool] == [pooled.pk]
    assert (
        api.get("/api/v1/queue/", {"view": "pool", "status": "connected"}).json()["results"] == []
    )
    assert api.get("/api/v1/queue/", {"view": "nope"}).status_code == 400


def test_the_queue_api_runs_a_fixed_number_of_queries(
    api, pool_team, sdr, django_assert_max_num_queries
):
    as_user(api, sdr)
    mql_handoff()
    with django_assert_max_num_queries(10) as few:
        api.get("/api/v1/queue/", {"view": "pool"})
    for _ in range(12):
        mql_handoff(channel=ChannelFactory())

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = api.get("/api/v1/queue/", {"view": "pool"})
    assert len(response.json()["results"]) == 13


def test_the_clock_is_the_sla_clock_in_business_time_as_the_queue_shows_it(api, pool_team, sdr):
    friday_evening = datetime(2026, 3, 6, 16, 50, tzinfo=UTC)
    handoff = mql_handoff(score=20, now=friday_evening)
    as_user(api, sdr)

    with time_machine.travel(datetime(2026, 3, 9, 9, 30, tzinfo=UTC), tick=False):
        one = api.get(f"/api/v1/handoffs/{handoff.pk}/").json()
        (listed,) = api.get("/api/v1/queue/", {"view": "pool"}).json()["results"]

    # 40 of the first touch's 240 business minutes are gone (the weekend does not count),
    # though nine tenths of the wall-clock time to the accept-or-return due time have passed.
    assert one["clock"] == listed["clock"] == "on_time"
    assert one["clock_text"] == listed["clock_text"] == "3h 20m left, business hours"


def test_a_handoff_no_sla_policy_times_has_no_clock(api, pool_team, sdr):
    SlaPolicy.objects.update(is_active=False)
    handoff = mql_handoff()

    body = as_user(api, sdr).get(f"/api/v1/handoffs/{handoff.pk}/").json()

    assert (body["clock"], body["clock_text"]) == (None, None)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.SDR, 200),
        (Role.MANAGER, 200),
        (Role.MARKETER, 403),
        (Role.ACCOUNT_EXECUTIVE, 403),
        (Role.ADMIN, 403),
    ],
)
def test_queue_access_by_role(api_as, role, status):
    assert api_as(role).get("/api/v1/queue/").status_code == status


def test_anonymous_callers_are_refused(api, pool_team):
    handoff = mql_handoff()
    for url in (
        "/api/v1/queue/",
        f"/api/v1/handoffs/{handoff.pk}/",
        f"/api/v1/leads/{handoff.lead_id}/qualification/",
        "/api/v1/opportunities/",
    ):
        assert api.get(url).status_code in (401, 403)
    assert api.post(f"/api/v1/handoffs/{handoff.pk}/claim/").status_code in (401, 403)


def test_claim_then_the_second_claim_gets_409_with_who_has_it(api, pool_team, sdr, sdr2):
    handoff = mql_handoff()

    first = as_user(api, sdr).post(f"/api/v1/handoffs/{handoff.pk}/claim/")
    second = as_user(api, sdr2).post(f"/api/v1/handoffs/{handoff.pk}/claim/")

    assert first.status_code == 200
    assert first.json()["assignee"]["id"] == sdr.pk
    assert second.status_code == 409
    assert second.json()["assignee"] == {"id": sdr.pk, "name": "sam"}


def test_first_touch_accept_and_the_late_return_conflict(api, pool_team, sdr, sdr2):
    handoff = mql_handoff()
    as_user(api, sdr)

    touch = api.post(
        f"/api/v1/handoffs/{handoff.pk}/first-touch/",
        {"channel": "call", "note": "Left a voicemail"},
        format="json",
    )
    bad = api.post(f"/api/v1/handoffs/{handoff.pk}/first-touch/", {"channel": "fax"}, format="json")
    half = api.post(
        f"/api/v1/handoffs/{handoff.pk}/accept/", {**CHECKS, "role_could_buy": False}, format="json"
    )
    accepted = api.post(f"/api/v1/handoffs/{handoff.pk}/accept/", CHECKS, format="json")
    late = as_user(api, sdr2).post(
        f"/api/v1/handoffs/{handoff.pk}/return/", {"reason": "no_fit"}, format="json"
    )

    assert touch.status_code == 200 and touch.json()["first_touch_at"]
    assert bad.status_code == 400 and "channel" in bad.json()
    assert half.status_code == 400 and "role_could_buy" in half.json()
    assert accepted.status_code == 200 and accepted.json()["outcome"] == Outcome.ACCEPTED
    assert late.status_code == 409
    assert late.json()["assignee"]["id"] == sdr.pk
    assert Lead.objects.get().stage == Stage.SAL


def test_return_names_the_bad_field(api, pool_team, sdr):
    """A reason code that names no reason is a 404 like a guessed id; a malformed one a 400."""
    handoff = mql_handoff()
    as_user(api, sdr)

    malformed = api.post(
        f"/api/v1/handoffs/{handoff.pk}/return/", {"reason": "no such"}, format="json"
    )
    bad = api.post(f"/api/v1/handoffs/{handoff.pk}/return/", {"reason": "meh"}, format="json")
    ok = api.post(
        f"/api/v1/handoffs/{handoff.pk}/return/",
        {"reason": "student_or_competitor", "note": "Competitor"},
        format="json",
    )

    assert malformed.status_code == 400 and "reason" in malformed.json()
    assert bad.status_code == 404 and "meh" in bad.json()["detail"]
    assert ok.status_code == 200
    assert ok.json()["return_reason"] == "student_or_competitor"


@pytest.mark.parametrize("role", [Role.MARKETER, Role.ACCOUNT_EXECUTIVE])
def test_marketers_and_account_executives_cannot_accept_or_return(api_as, pool_team, role):
    handoff = mql_handoff()
    client = api_as(role)

    assert (
        client.post(f"/api/v1/handoffs/{handoff.pk}/accept/", CHECKS, format="json").status_code
        == 403
    )
    assert (
        client.post(
            f"/api/v1/handoffs/{handoff.pk}/return/", {"reason": "no_fit"}, format="json"
        ).status_code
        == 403
    )


def test_an_sdr_cannot_act_on_another_teams_pool(api, pool_team, outsider):
    handoff = mql_handoff()

    response = as_user(api, outsider).post(
        f"/api/v1/handoffs/{handoff.pk}/accept/", CHECKS, format="json"
    )

    # Not theirs to read either: not found, as for no handoff (handoff.access).
    assert response.status_code == 404
    assert Handoff.objects.get().outcome == Outcome.OPEN


def test_reassign_and_status(api, pool_team, manager, sdr, sdr2):
    handoff = mql_handoff()

    refused = as_user(api, sdr).post(
        f"/api/v1/handoffs/{handoff.pk}/reassign/", {"assignee": sdr.pk}, format="json"
    )
    moved = as_user(api, manager).post(
        f"/api/v1/handoffs/{handoff.pk}/reassign/", {"assignee": sdr2.pk}, format="json"
    )
    status = api.post(
        f"/api/v1/handoffs/{handoff.pk}/status/", {"status": "in_progress"}, format="json"
    )

    assert refused.status_code == 403
    assert moved.json()["assignee"]["id"] == sdr2.pk
    assert status.json()["lead"]["status"] == "in_progress"


def test_qualification_get_put_partial_and_promote(api, pool_team, sdr, account_executive):
    handoff = mql_handoff()
    services.accept_handoff(handoff=handoff, user=sdr, checklist=CHECKS)
    as_user(api, sdr)
    url = f"/api/v1/leads/{handoff.lead_id}/qualification/"

    assert api.get(url).json()["authority"] == "unknown"
    saved = api.put(url, {"need": "Leads leak", "buying_cycle": True}, format="json")
    assert saved.status_code == 200
    assert saved.json()["need"] == "Leads leak"
    assert api.put(url, {"timeline_quarter": "Q5"}, format="json").status_code == 400

    refused = api.post(f"/api/v1/leads/{handoff.lead_id}/promote/", {}, format="json")
    assert refused.status_code == 409  # the lead's answers, not the request, are lacking
    assert refused.json()["missing"] == ["influencer", "timeframe", "size", "next_step"]

    assert api.put(url, MET, format="json").json()["criteria_met"]["next_step"] is True
    promoted = api.post(
        f"/api/v1/leads/{handoff.lead_id}/promote/",
        {"account_executive": account_executive.pk},
        format="json",
    )
    assert promoted.status_code == 200
    assert promoted.json()["stage"] == Stage.SQL


def test_opportunities_create_list_update_won_and_lost(
    api, pool_team, sdr, manager, account_executive
):
    services.set_required_criteria(user=manager, required=[])
    leads = []
    for _ in range(2):
        handoff = mql_handoff()
        services.accept_handoff(handoff=handoff, user=sdr, checklist=CHECKS)
        leads.append(services.promote_to_sql(lead=handoff.lead, user=sdr))
    as_user(api, sdr)
    payload = {
        "name": "Rollout",
        "amount": "1000.00",
        "currency": "EUR",
        "expected_close_date": "2026-08-01",
        "owner": account_executive.pk,
    }

    not_ae = api.post(
        "/api/v1/opportunities/", {**payload, "lead": leads[0].pk, "owner": sdr.pk}, format="json"
    )
    # No account executive has the id: 404, as for a guessed id.
    assert not_ae.status_code == 404 and "owner" in not_ae.json()["detail"]
    created = [
        api.post("/api/v1/opportunities/", {**payload, "lead": lead.pk}, format="json")
        for lead in leads
    ]
    assert [response.status_code for response in created] == [201, 201]
    first, second = (response.json()["id"] for response in created)

    as_user(api, account_executive)
    assert len(api.get("/api/v1/opportunities/").json()["results"]) == 2
    moved = api.patch(f"/api/v1/opportunities/{first}/", {"stage": "proposal"}, format="json")
    assert moved.json()["stage"] == "proposal"
    assert api.post(f"/api/v1/opportunities/{first}/won/").json()["stage"] == "won"
    assert api.post(f"/api/v1/opportunities/{second}/lost/", {}, format="json").status_code == 400
    lost = api.post(f"/api/v1/opportunities/{second}/lost/", {"reason": "No budget"}, format="json")
    assert lost.json()["lost_reason"] == "No budget"
    assert api.post(f"/api/v1/opportunities/{first}/won/").status_code == 409
    assert sorted(Lead.objects.values_list("stage", flat=True)) == [Stage.CUSTOMER, Stage.RECYCLED]
    assert Opportunity.objects.filter(closed_at__isnull=False).count() == 2


def test_the_schema_documents_every_endpoint(api):
    schema = api.get("/api/schema/", {"format": "json"}).json()

    paths = schema["paths"]
    for path in (
        "/api/v1/queue/",
        "/api/v1/handoffs/{id}/claim/",
        "/api/v1/handoffs/{id}/first-touch/",
        "/api/v1/handoffs/{id}/accept/",
        "/api/v1/handoffs/{id}/return/",
        "/api/v1/handoffs/{id}/disqualify/",
        "/api/v1/leads/{id}/qualification/",
        "/api/v1/leads/{id}/promote/",
        "/api/v1/leads/{id}/return/",
        "/api/v1/leads/{id}/disqualify/",
        "/api/v1/leads/{id}/reinstate/",
        "/api/v1/opportunities/",
        "/api/v1/opportunities/{id}/won/",
    ):
        assert path in paths, path
    accept = paths["/api/v1/handoffs/{id}/accept/"]["post"]
    assert set(accept["responses"]) >= {"200", "400", "403", "409"}
    assert "requestBody" in accept
    for path in ("/api/v1/handoffs/{id}/disqualify/", "/api/v1/leads/{id}/disqualify/"):
        disqualify = paths[path]["post"]
        assert set(disqualify["responses"]) >= {"200", "400", "403", "409"}
        assert "requestBody" in disqualify
    clock = schema["components"]["schemas"]["Handoff"]["properties"]["clock"]
    assert "business time" in clock["description"]
    assert clock["nullable"] is True
