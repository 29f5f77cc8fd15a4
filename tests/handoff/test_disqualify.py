"""Disqualifying is a person's decision: a rep who may work the handoff (or a manager) rules an
MQL or a SAL out with a reason, it leaves the queue with its clocks stopped, and a manager can
reinstate it."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from core.errors import ApplicationError, ConflictError, PermissionDenied
from handoff import services
from handoff.models import EventKind, Handoff, HandoffEvent, Outcome
from handoff.selectors import ALL, queue_base
from leads.lifecycle import StaleMove
from leads.models import Lead, Stage, StageChange
from scoring.services import rescore_leads
from sla.models import Clock, Step
from tests.handoff.factories import mql_handoff
from tests.scoring.test_rescore import engaged_lead

pytestmark = pytest.mark.django_db
CHECKS = {"meets_mql_spec": True, "can_start_conversation": True, "role_could_buy": True}
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def sal(pool_team, sdr):
    handoff = mql_handoff()
    services.accept_handoff(handoff=handoff, user=sdr, checklist=CHECKS)
    return Lead.objects.get(pk=handoff.lead_id)


def engaged_mql(**profile):
    """A lead the published agreement makes an MQL, queued by rescoring."""
    lead = engaged_lead(**profile)
    rescore_leads([lead.pk])
    return Handoff.objects.get(lead=lead, outcome=Outcome.OPEN)


def disqualified(handoff, user, reason="junk", note=""):
    return services.disqualify_handoff(handoff=handoff, user=user, reason=reason, note=note)


class TestDisqualify:
    def test_a_rep_rules_out_an_mql_with_a_reason_and_it_leaves_the_queue(
        self, pool_team, sdr, manager
    ):
        handoff = mql_handoff()

        decided = disqualified(handoff, sdr, reason="competitor", note="Works at Rival Inc")

        assert (decided.outcome, decided.return_reason.code, decided.return_note) == (
            Outcome.DISQUALIFIED,
            "competitor",
            "Works at Rival Inc",
        )
        assert decided.disqualified_at is not None
        assert decided.assignee == sdr
        lead = Lead.objects.get()
        assert lead.stage == Stage.DISQUALIFIED
        change = StageChange.objects.get(to_stage=Stage.DISQUALIFIED)
        assert (change.actor, change.context["disqualify_reason"]) == (sdr, "competitor")
        event = HandoffEvent.objects.get(kind=EventKind.DISQUALIFIED)
        assert (event.actor, event.note, event.data) == (
            sdr,
            "Works at Rival Inc",
            {"reason": "competitor"},
        )
        assert not queue_base(user=manager, view=ALL).exists()
        clocks = Clock.objects.filter(handoff=handoff)
        assert {clock.step for clock in clocks} == {Step.FIRST_TOUCH, Step.ACCEPT_OR_RETURN}
        assert all(clock.stopped_at for clock in clocks)

    def test_a_sal_is_ruled_out_and_its_sql_decision_clock_stops(self, sal, sdr):
        decided = services.disqualify_handoff(
            handoff=services.lead_handoff(sal), user=sdr, reason="student", expected_from=Stage.SAL
        )

        assert decided.outcome == Outcome.DISQUALIFIED
        assert decided.accepted_at is not None
        assert Lead.objects.get().stage == Stage.DISQUALIFIED
        assert Clock.objects.get(step=Step.SQL_DECISION).stopped_at is not None
        event = HandoffEvent.objects.get(kind=EventKind.DISQUALIFIED)
        assert event.data == {"reason": "student", "from_stage": Stage.SAL}

    def test_it_takes_a_disqualification_reason_and_other_needs_a_note(self, pool_team, sdr):
        handoff = mql_handoff()

        for reason, note, field in (("no_fit", "", "reason"), ("other", " ", "note")):
            with pytest.raises(ApplicationError) as refused:
                disqualified(handoff, sdr, reason=reason, note=note)
            assert field in refused.value.extra

        assert Handoff.objects.get().outcome == Outcome.OPEN
        assert Lead.objects.get().stage == Stage.MQL

    def test_only_someone_who_may_work_the_handoff_disqualifies_it(
        self, pool_team, sdr, sdr2, outsider, manager, make_user
    ):
        handoff = mql_handoff()
        services.claim_handoff(handoff=handoff, user=sdr)

        for role in ("marketer", "account_executive"):
            with pytest.raises(PermissionDenied):
                disqualified(handoff, make_user(role))
        with pytest.raises(PermissionDenied):
            disqualified(mql_handoff(), outsider)
        with pytest.raises(ConflictError) as taken:
            disqualified(handoff, sdr2)
        assert taken.value.extra["assignee"]["id"] == sdr.pk

        assert disqualified(handoff, manager).outcome == Outcome.DISQUALIFIED

    def test_a_decided_handoff_cannot_be_disqualified(self, pool_team, sdr):
        handoff = mql_handoff()
        services.return_handoff(handoff=handoff, user=sdr, reason="no_fit")

        with pytest.raises(ConflictError) as refused:
            disqualified(handoff, sdr)
        assert refused.value.extra["outcome"] == Outcome.RETURNED

    def test_only_an_mql_or_a_sal_is_disqualified(self, sal, manager):
        services.set_required_criteria(user=manager, required=[])
        lead = services.promote_to_sql(lead=sal, user=manager)

        with pytest.raises(ConflictError):
            services.disqualify_handoff(
                handoff=services.lead_handoff(lead),
                user=manager,
                reason="junk",
                expected_from=lead.stage,
            )
        assert Lead.objects.get().stage == Stage.SQL


class TestReinstate:
    def test_a_manager_reinstates_and_the_agreement_makes_it_an_mql_again(self, sdr, manager):
        first = engaged_mql()
        disqualified(first, manager, reason="duplicate")

        lead = services.reinstate_lead(lead=first.lead, user=manager, note="Not a duplicate")

        assert lead.stage == Stage.MQL
        moves = list(
            StageChange.objects.filter(lead=lead)
            .order_by("created_at", "id")
            .values_list("to_stage", "actor")
        )
        assert moves[-3:] == [
            (Stage.DISQUALIFIED, manager.pk),
            (Stage.LEAD, manager.pk),
            (Stage.MQL, None),
        ]
        event = HandoffEvent.objects.get(kind=EventKind.REINSTATED)
        assert (event.handoff_id, event.actor, event.note) == (first.pk, manager, "Not a duplicate")
        first.refresh_from_db()
        assert first.outcome == Outcome.DISQUALIFIED
        second = Handoff.objects.get(lead=lead, outcome=Outcome.OPEN)
        assert second.pk != first.pk
        assert second.clocks.count() == 2

    def test_a_reinstated_lead_that_hits_a_hard_negative_stays_a_lead(self, manager):
        handoff = engaged_mql()
        disqualified(handoff, manager)
        Lead.objects.filter(pk=handoff.lead_id).update(email="ana@gmail.com")

        lead = services.reinstate_lead(lead=handoff.lead, user=manager)

        assert lead.stage == Stage.LEAD
        assert [n["id"] for n in lead.score_explanation["negatives"]] == ["free_mail"]

    def test_only_managers_reinstate_and_only_a_disqualified_lead(self, pool_team, sdr, manager):
        handoff = mql_handoff()

        with pytest.raises(StaleMove):
            services.reinstate_lead(lead=handoff.lead, user=manager)
        disqualified(handoff, sdr)
        with pytest.raises(PermissionDenied):
            services.reinstate_lead(lead=handoff.lead, user=sdr)

        assert Lead.objects.get().stage == Stage.DISQUALIFIED


class TestQueuePanel:
    def test_a_rep_disqualifies_in_place_and_the_rows_refresh(self, client, pool_team, sdr):
        handoff = mql_handoff()
        client.force_login(sdr)

        panel = client.get(reverse("handoff:work", args=[handoff.pk]), **HTMX)
        response = client.post(
            reverse("handoff:disqualify", args=[handoff.pk]),
            {"disqualify-reason": "junk", "disqualify-note": "asdf@asdf"},
            **HTMX,
        )

        assert "Junk or fake details" in panel.content.decode()
        assert response.status_code == 200
        assert response["HX-Trigger"] == "queue-changed"
        assert "Disqualified" in response.content.decode()
        assert Handoff.objects.get().outcome == Outcome.DISQUALIFIED

    def test_refusals_are_shown_in_place(self, client, pool_team, sdr, sdr2):
        handoff = mql_handoff()
        url = reverse("handoff:disqualify", args=[handoff.pk])
        client.force_login(sdr)

        missing = client.post(url, {"disqualify-reason": ""}, **HTMX)
        silent = client.post(url, {"disqualify-reason": "other", "disqualify-note": ""}, **HTMX)
        services.claim_handoff(handoff=handoff, user=sdr2)
        late = client.post(url, {"disqualify-reason": "junk"}, **HTMX)

        assert missing.status_code == 400
        assert "This field is required" in missing.content.decode()
        assert silent.status_code == 400
        assert "Say why in the note" in silent.content.decode()
        assert late.status_code == 409
        assert "sasha has this lead" in late.content.decode()
        assert Handoff.objects.get().outcome == Outcome.OPEN

    @pytest.mark.parametrize("role", ["marketer", "account_executive"])
    def test_other_roles_may_not(self, client_as, pool_team, role):
        handoff = mql_handoff()

        response = client_as(role).post(
            reverse("handoff:disqualify", args=[handoff.pk]), {"disqualify-reason": "junk"}, **HTMX
        )

        assert response.status_code == 403
        assert Handoff.objects.get().outcome == Outcome.OPEN


class TestLeadPage:
    def test_the_rep_disqualifies_a_sal_from_the_lead_page(self, client, sal, sdr):
        client.force_login(sdr)
        page = client.get(reverse("leads:detail", args=[sal.pk])).content.decode()

        response = client.post(
            reverse("handoff:disqualify_lead", args=[sal.pk]),
            {"disqualify-reason": "student"},
            **HTMX,
        )

        assert "Not a real prospect? Disqualify" in page
        assert response.status_code == 204
        assert response["HX-Refresh"] == "true"
        assert Lead.objects.get().stage == Stage.DISQUALIFIED

    def test_errors_are_shown_next_to_the_field(self, client, sal, sdr, outsider):
        url = reverse("handoff:disqualify_lead", args=[sal.pk])
        client.force_login(sdr)
        silent = client.post(url, {"disqualify-reason": "other"}, **HTMX)
        client.force_login(outsider)
        stranger = client.post(url, {"disqualify-reason": "junk"}, **HTMX)

        assert silent.status_code == 400
        assert "Say why in the note" in silent.content.decode()
        assert stranger.status_code == 403
        assert "You do not work this lead" in stranger.content.decode()
        assert Lead.objects.get().stage == Stage.SAL

    def test_a_manager_reinstates_from_the_lead_page_and_a_rep_may_not(
        self, client, pool_team, sdr, manager
    ):
        handoff = mql_handoff()
        disqualified(handoff, sdr)
        url = reverse("handoff:reinstate_lead", args=[handoff.lead_id])
        client.force_login(sdr)
        refused = client.post(url, {"reinstate-note": ""}, **HTMX)
        rep_page = client.get(reverse("leads:detail", args=[handoff.lead_id])).content.decode()
        client.force_login(manager)
        page = client.get(reverse("leads:detail", args=[handoff.lead_id])).content.decode()

        response = client.post(url, {"reinstate-note": "Real prospect"}, **HTMX)

        assert refused.status_code == 403
        assert "Reinstate" not in rep_page
        assert "Disqualified because" in page and "Junk or fake details" in page
        assert response.status_code == 204
        assert Lead.objects.get().stage == Stage.LEAD


class TestApi:
    def test_disqualify_a_handoff_and_the_refusals(self, pool_team, sdr, sdr2):
        handoff = mql_handoff()
        api = APIClient()
        api.force_authenticate(sdr)
        url = f"/api/v1/handoffs/{handoff.pk}/disqualify/"

        bad = api.post(url, {"reason": "no_fit"}, format="json")
        ok = api.post(url, {"reason": "junk", "note": "Fake name"}, format="json")
        api.force_authenticate(sdr2)
        late = api.post(url, {"reason": "junk"}, format="json")

        assert bad.status_code == 404 and "no_fit" in bad.json()["detail"]
        assert ok.status_code == 200, ok.content
        assert (ok.json()["outcome"], ok.json()["return_reason"]) == ("disqualified", "junk")
        assert (ok.json()["return_note"], ok.json()["clock"]) == ("Fake name", "met")
        assert late.status_code == 409

    def test_disqualify_a_sal_and_reinstate_it(self, api_as, sal, sdr, manager):
        api = APIClient()
        api.force_authenticate(sdr)

        ruled_out = api.post(
            f"/api/v1/leads/{sal.pk}/disqualify/", {"reason": "duplicate"}, format="json"
        )
        refused = api.post(f"/api/v1/leads/{sal.pk}/reinstate/", {}, format="json")
        api.force_authenticate(manager)
        reinstated = api.post(f"/api/v1/leads/{sal.pk}/reinstate/", {"note": "Oops"}, format="json")

        assert ruled_out.status_code == 200, ruled_out.content
        assert ruled_out.json()["stage"] == Stage.DISQUALIFIED
        assert refused.status_code == 403
        assert reinstated.status_code == 200
        assert reinstated.json()["stage"] == Stage.LEAD

    @pytest.mark.parametrize("role", ["marketer", "account_executive"])
    def test_other_roles_may_not_disqualify(self, api_as, sal, role):
        response = api_as(role).post(
            f"/api/v1/leads/{sal.pk}/disqualify/", {"reason": "junk"}, format="json"
        )

        assert response.status_code == 403
        assert Lead.objects.get().stage == Stage.SAL
