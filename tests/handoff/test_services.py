from datetime import UTC, datetime, timedelta

import pytest

from core.errors import ApplicationError, ConflictError, PermissionDenied
from handoff import services
from handoff.models import EventKind, Handoff, HandoffEvent, Outcome
from leads.lifecycle import move_stage
from leads.models import Lead, LeadStatus, Stage, StageChange
from notifications.models import Notification, NotificationKind
from pages.timeline import lead_timeline
from tests.factories import ChannelFactory, LeadFactory
from tests.handoff.factories import EXPLANATION, mql_handoff
from tests.teams.factories import TeamFactory, TeamMemberFactory

pytestmark = pytest.mark.django_db
CHECKS = {"meets_mql_spec": True, "can_start_conversation": True, "role_could_buy": True}
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class TestOpenHandoff:
    def test_it_snapshots_the_score_and_sets_the_clock(self, team):
        handoff = mql_handoff(score=61, now=NOW)

        assert handoff.agreement_version == 3
        assert handoff.score == 61
        assert handoff.explanation == EXPLANATION
        assert handoff.outcome == Outcome.OPEN
        assert handoff.created_at == NOW
        # The earliest running clock: a hot lead's first touch, within 15 minutes.
        assert handoff.sla_due_at == NOW + timedelta(minutes=15)
        assert handoff.clocks.count() == 2
        assert handoff.events.filter(kind=EventKind.OPENED).exists()

    def test_it_picks_the_team_covering_the_channel_over_the_default(self, team):
        channel = ChannelFactory()
        events = TeamFactory(name="Events")
        events.channels.add(channel)

        assert mql_handoff(channel=channel).team == events
        assert mql_handoff(channel=ChannelFactory()).team == team

    def test_without_any_team_it_waits_unassigned_in_the_no_team_pool(self):
        handoff = mql_handoff()

        assert handoff.team is None
        assert handoff.assignee is None

    def test_it_assigns_and_notifies_the_rep_in_a_round_robin_team(self, team, sdr):
        TeamMemberFactory(team=team, user=sdr)

        handoff = mql_handoff()

        assert handoff.assignee == sdr
        notification = Notification.objects.get(user=sdr)
        assert notification.kind == NotificationKind.LEAD_ASSIGNED
        assert str(handoff.lead_id) in notification.url

    def test_calling_it_twice_for_the_same_mql_entry_returns_the_same_handoff(self, team):
        handoff = mql_handoff()

        again = services.open_handoff(
            lead=handoff.lead, agreement_version=3, score=55, explanation={}
        )

        assert again.pk == handoff.pk
        assert Handoff.objects.count() == 1

    def test_it_refuses_a_lead_that_is_not_an_mql(self):
        lead = LeadFactory()

        with pytest.raises(ApplicationError):
            services.open_handoff(lead=lead, agreement_version=1, score=1, explanation={})
        assert not Handoff.objects.exists()

    def test_a_returned_lead_that_requalifies_gets_a_new_handoff(self, pool_team, sdr):
        first = mql_handoff()
        services.return_handoff(handoff=first, user=sdr, reason="bad_timing")

        second = mql_handoff(first.lead)

        assert second.pk != first.pk
        assert list(first.lead.handoffs.values_list("outcome", flat=True)) == [
            Outcome.OPEN,
            Outcome.RETURNED,
        ]


class TestClaim:
    def test_a_rep_claims_from_their_team_pool(self, pool_team, sdr):
        handoff = mql_handoff()

        claimed = services.claim_handoff(handoff=handoff, user=sdr, now=NOW)

        assert claimed.assignee == sdr
        assert claimed.claimed_at == NOW
        assert claimed.events.filter(kind=EventKind.CLAIMED, actor=sdr).exists()

    def test_the_second_claim_is_told_who_has_it(self, pool_team, sdr, sdr2):
        handoff = mql_handoff()
        services.claim_handoff(handoff=handoff, user=sdr)

        with pytest.raises(ConflictError) as refused:
            services.claim_handoff(handoff=handoff, user=sdr2)

        assert "sam" in refused.value.message
        assert refused.value.extra["assignee"]["id"] == sdr.pk

    def test_a_rep_outside_the_team_cannot_claim(self, pool_team, outsider):
        handoff = mql_handoff()

        with pytest.raises(PermissionDenied):
            services.claim_handoff(handoff=handoff, user=outsider)
        assert Handoff.objects.get().assignee is None

    @pytest.mark.parametrize("role", ["marketer", "account_executive"])
    def test_marketers_and_account_executives_cannot_claim(self, pool_team, make_user, role):
        with pytest.raises(PermissionDenied):
            services.claim_handoff(handoff=mql_handoff(), user=make_user(role))


class TestFirstTouch:
    def test_it_records_the_first_touch_once_and_logs_every_touch(self, pool_team, sdr):
        handoff = mql_handoff()
        later = NOW + timedelta(hours=1)

        services.log_first_touch(
            handoff=handoff, user=sdr, channel="call", note="Voicemail", now=NOW
        )
        touched = services.log_first_touch(handoff=handoff, user=sdr, channel="email", now=later)

        assert touched.first_touch_at == NOW
        assert touched.assignee == sdr
        touches = touched.events.filter(kind=EventKind.FIRST_TOUCH).order_by("created_at")
        assert [(e.channel, e.note) for e in touches] == [("call", "Voicemail"), ("email", "")]

    @pytest.mark.parametrize("channel", ["line", "wechat", "whatsapp", "telegram"])
    def test_it_takes_the_messengers_these_markets_answer_on(self, pool_team, sdr, channel):
        touched = services.log_first_touch(handoff=mql_handoff(), user=sdr, channel=channel)

        touch = touched.events.get(kind=EventKind.FIRST_TOUCH)
        assert (touch.channel, touch.get_channel_display()) == (
            channel,
            {"line": "LINE", "wechat": "WeChat", "whatsapp": "WhatsApp", "telegram": "Telegram"}[
                channel
            ],
        )

    def test_it_refuses_an_unknown_channel(self, pool_team, sdr):
        with pytest.raises(ApplicationError) as refused:
            services.log_first_touch(handoff=mql_handoff(), user=sdr, channel="fax")
        assert "channel" in refused.value.extra


class TestAccept:
    def test_it_moves_the_lead_to_sal_and_makes_the_rep_its_owner(self, pool_team, sdr):
        handoff = mql_handoff()

        accepted = services.accept_handoff(handoff=handoff, user=sdr, checklist=CHECKS, now=NOW)

        assert accepted.outcome == Outcome.ACCEPTED
        assert accepted.accepted_at == NOW
        lead = Lead.objects.get()
        assert lead.stage == Stage.SAL
        assert lead.owner == sdr
        assert StageChange.objects.filter(lead=lead, to_stage=Stage.SAL, actor=sdr).exists()

    @pytest.mark.parametrize("unchecked", list(CHECKS))
    def test_all_three_checks_are_required(self, pool_team, sdr, unchecked):
        handoff = mql_handoff()

        with pytest.raises(ApplicationError) as refused:
            services.accept_handoff(
                handoff=handoff, user=sdr, checklist={**CHECKS, unchecked: False}
            )

        assert list(refused.value.extra) == [unchecked]
        assert Handoff.objects.get().outcome == Outcome.OPEN
        assert Lead.objects.get().stage == Stage.MQL

    def test_a_rep_cannot_accept_a_lead_assigned_to_someone_else(self, team, sdr, sdr2):
        TeamMemberFactory(team=team, user=sdr)
        TeamMemberFactory(team=team, user=sdr2)
        handoff = mql_handoff()
        other = sdr2 if handoff.assignee == sdr else sdr

        with pytest.raises(ConflictError) as refused:
            services.accept_handoff(handoff=handoff, user=other, checklist=CHECKS)

        assert refused.value.extra["assignee"]["id"] == handoff.assignee_id
        assert Lead.objects.get().stage == Stage.MQL

    def test_accepting_a_closed_handoff_is_a_conflict(self, pool_team, sdr, sdr2):
        handoff = mql_handoff()
        services.accept_handoff(handoff=handoff, user=sdr, checklist=CHECKS)

        with pytest.raises(ConflictError) as refused:
            services.accept_handoff(handoff=handoff, user=sdr2, checklist=CHECKS)
        assert refused.value.extra["outcome"] == Outcome.ACCEPTED

    @pytest.mark.parametrize("role", ["marketer", "account_executive"])
    def test_marketers_and_account_executives_cannot_accept(self, pool_team, make_user, role):
        with pytest.raises(PermissionDenied):
            services.accept_handoff(handoff=mql_handoff(), user=make_user(role), checklist=CHECKS)

    def test_a_manager_may_accept_any_handoff(self, pool_team, manager):
        accepted = services.accept_handoff(handoff=mql_handoff(), user=manager, checklist=CHECKS)
        assert accepted.assignee == manager


class TestReturn:
    def test_it_recycles_the_lead_with_the_reason_and_tells_marketing(
        self, pool_team, sdr, marketer
    ):
        handoff = mql_handoff()

        returned = services.return_handoff(
            handoff=handoff, user=sdr, reason="wrong_person", note="Intern", now=NOW
        )

        assert returned.outcome == Outcome.RETURNED
        assert returned.return_reason.code == "wrong_person"
        assert returned.return_note == "Intern"
        assert returned.returned_at == NOW
        assert Lead.objects.get().stage == Stage.RECYCLED
        change = StageChange.objects.get(to_stage=Stage.RECYCLED)
        assert change.context["return_reason"] == "wrong_person"
        note = Notification.objects.get(user=marketer)
        assert note.kind == NotificationKind.LEAD_RETURNED

    def test_it_refuses_an_unknown_or_inactive_reason(self, pool_team, sdr):
        from handoff.models import ReturnReason

        ReturnReason.objects.filter(code="duplicate").update(is_active=False)
        for reason in ("nonsense", "duplicate"):
            with pytest.raises(ApplicationError) as refused:
                services.return_handoff(handoff=mql_handoff(), user=sdr, reason=reason)
            assert "reason" in refused.value.extra
        assert not Handoff.objects.filter(outcome=Outcome.RETURNED).exists()

    def test_other_needs_a_note(self, pool_team, sdr):
        with pytest.raises(ApplicationError) as refused:
            services.return_handoff(handoff=mql_handoff(), user=sdr, reason="other", note=" ")
        assert "note" in refused.value.extra

    @pytest.mark.parametrize("role", ["marketer", "account_executive"])
    def test_marketers_and_account_executives_cannot_return(self, pool_team, make_user, role):
        with pytest.raises(PermissionDenied):
            services.return_handoff(handoff=mql_handoff(), user=make_user(role), reason="no_fit")


class TestReassign:
    def test_a_manager_reassigns_and_the_new_rep_is_told(self, pool_team, manager, sdr, sdr2):
        handoff = mql_handoff()
        services.claim_handoff(handoff=handoff, user=sdr)

        moved = services.reassign_handoff(handoff=handoff, to_user=sdr2, user=manager)

        assert moved.assignee == sdr2
        assert moved.events.filter(kind=EventKind.REASSIGNED, actor=manager).exists()
        assert Notification.objects.filter(user=sdr2, kind="lead_assigned").exists()

    def test_a_manager_puts_a_lead_back_in_the_pool(self, pool_team, manager, sdr):
        handoff = mql_handoff()
        services.claim_handoff(handoff=handoff, user=sdr)

        assert (
            services.reassign_handoff(handoff=handoff, to_user=None, user=manager).assignee is None
        )

    def test_only_managers_reassign(self, pool_team, sdr, sdr2):
        with pytest.raises(PermissionDenied):
            services.reassign_handoff(handoff=mql_handoff(), to_user=sdr2, user=sdr)

    def test_leads_go_only_to_reps(self, pool_team, manager, marketer):
        with pytest.raises(ApplicationError):
            services.reassign_handoff(handoff=mql_handoff(), to_user=marketer, user=manager)


class TestStatus:
    def test_the_rep_working_the_lead_sets_its_status(self, pool_team, sdr):
        handoff = mql_handoff()
        services.claim_handoff(handoff=handoff, user=sdr)

        lead = services.set_lead_status(
            lead=handoff.lead, user=sdr, status=LeadStatus.ATTEMPTED_TO_CONTACT
        )

        assert Lead.objects.get().status == lead.status == LeadStatus.ATTEMPTED_TO_CONTACT
        event = HandoffEvent.objects.get(kind=EventKind.STATUS_CHANGED)
        assert event.data == {"from": "new", "to": "attempted_to_contact"}

    def test_someone_not_working_the_lead_cannot(self, pool_team, outsider, marketer):
        handoff = mql_handoff()
        for user in (outsider, marketer):
            with pytest.raises(PermissionDenied):
                services.set_lead_status(lead=handoff.lead, user=user, status="connected")

    def test_before_the_queue_a_lead_writer_sets_it_as_the_api_lets_them(self, outsider, marketer):
        lead = LeadFactory()

        with pytest.raises(PermissionDenied):
            services.set_lead_status(lead=lead, user=outsider, status="connected")
        services.set_lead_status(lead=lead, user=marketer, status="connected")

        event = HandoffEvent.objects.get(kind=EventKind.STATUS_CHANGED)
        assert (event.actor, event.handoff, event.data["to"]) == (marketer, None, "connected")

    def test_an_unknown_status_is_refused(self, pool_team, manager):
        with pytest.raises(ApplicationError):
            services.set_lead_status(lead=mql_handoff().lead, user=manager, status="asleep")


def test_every_action_is_in_the_lead_timeline_with_actor_and_time(pool_team, sdr):
    handoff = mql_handoff()
    services.claim_handoff(handoff=handoff, user=sdr)
    services.log_first_touch(handoff=handoff, user=sdr, channel="meeting")
    services.accept_handoff(handoff=handoff, user=sdr, checklist=CHECKS)

    entries = [e for e in lead_timeline(handoff.lead).entries if e["kind"] == "handoff_event"]

    kinds = {entry["item"].kind for entry in entries}
    assert kinds == {"opened", "claimed", "first_touch", "accepted"}
    assert all(entry["item"].actor == sdr for entry in entries if entry["item"].kind != "opened")
    assert all(entry["when"] for entry in entries)


def test_a_lead_that_left_mql_cannot_be_accepted_from_a_stale_handoff(pool_team, sdr):
    handoff = mql_handoff()
    move_stage(handoff.lead_id, Stage.DISQUALIFIED)

    with pytest.raises(ConflictError):
        services.accept_handoff(handoff=handoff, user=sdr, checklist=CHECKS)
    assert Handoff.objects.get().outcome == Outcome.OPEN
