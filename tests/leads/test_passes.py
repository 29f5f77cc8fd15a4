"""A lead's funnel passes, as each move writes them and as a rebuild derives them."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from leads.lifecycle import PlannedMove, move_stage, move_stages
from leads.models import FunnelPass, Lead, Stage
from leads.passes import rebuild_passes, refresh_passes
from leads.services import update_lead
from tests.factories import ChannelFactory, LeadFactory

pytestmark = pytest.mark.django_db

START = datetime(2026, 10, 1, 9, tzinfo=UTC)
H = timedelta(hours=1)
US = 3_600_000_000  # microseconds in an hour


def walk(lead, *moves):
    """(stage, hours after START, context) each, through leads.lifecycle."""
    for stage, hours, context in moves:
        with time_machine.travel(START + hours * H, tick=False):
            move_stage(lead.pk, stage, context=context)


def passes(lead) -> list[FunnelPass]:
    return list(FunnelPass.objects.filter(lead=lead).order_by("entered_at", "change_id"))


def facts(item: FunnelPass) -> tuple:
    return (
        item.agreement_version,
        item.reached_sal,
        item.reached_sql,
        item.reached_opportunity,
        item.reached_customer,
        item.returns,
        item.mql_stay,
        item.sal_stay,
        item.sql_stay,
        item.opportunity_stay,
    )


def snapshot() -> list[dict]:
    return list(FunnelPass.objects.order_by("change_id").values())


def test_a_pass_holds_what_the_lead_reached_and_how_long_each_stage_lasted():
    lead = LeadFactory(attributes={"campaign": "spring"})
    walk(
        lead,
        (Stage.MQL, 0, {"agreement_version": 3}),
        (Stage.SAL, 2, None),
        (Stage.SQL, 10, None),
        (Stage.OPPORTUNITY, 34, None),
    )

    (only,) = passes(lead)

    assert (only.entered_at, only.previous_entered_at) == (START, None)
    assert (only.channel_id, only.campaign) == (lead.channel_id, "spring")
    # The opportunity is still open: its stay has not ended.
    assert facts(only) == (3, True, True, True, False, 0, 2 * US, 8 * US, 24 * US, None)


def test_a_lead_returned_and_qualified_again_has_two_passes_and_the_first_counts_both():
    lead = LeadFactory()
    walk(
        lead,
        (Stage.MQL, 0, {"agreement_version": 1}),
        (Stage.RECYCLED, 3, {"return_reason": "no_fit"}),
        (Stage.MQL, 30, {"agreement_version": 2}),
        (Stage.SAL, 54, None),
    )

    first, second = passes(lead)

    assert facts(first) == (1, True, False, False, False, 1, 3 * US, None, None, None)
    assert facts(second) == (2, True, False, False, False, 0, 24 * US, None, None, None)
    assert second.previous_entered_at == first.entered_at == START


def test_a_lost_opportunity_is_not_a_return():
    lead = LeadFactory()
    walk(
        lead,
        (Stage.MQL, 0, {}),
        (Stage.SAL, 1, None),
        (Stage.SQL, 2, None),
        (Stage.OPPORTUNITY, 3, None),
        (Stage.RECYCLED, 9, None),
    )

    (only,) = passes(lead)

    assert (only.returns, only.opportunity_stay, only.reached_customer) == (0, 6 * US, False)


@pytest.mark.parametrize(
    ("context", "version"),
    [
        ({"agreement_version": 4}, 4),
        ({"agreement_version": "5"}, 5),
        ({}, None),
        ({"agreement_version": None}, None),
        ({"agreement_version": "draft"}, None),
        ({"agreement_version": 10**12}, None),
    ],
)
def test_the_version_is_a_whole_number_from_the_mql_move_or_none(context, version):
    lead = LeadFactory()
    walk(lead, (Stage.MQL, 0, context))

    assert passes(lead)[0].agreement_version == version


def test_moves_before_the_first_mql_make_no_pass():
    lead = LeadFactory()
    walk(lead, (Stage.DISQUALIFIED, 0, None), (Stage.LEAD, 1, None))

    assert passes(lead) == []


def test_a_batch_of_moves_writes_each_lead_s_pass(sdr):
    leads = [LeadFactory(), LeadFactory()]

    with time_machine.travel(START, tick=False):
        move_stages(
            [PlannedMove(lead.pk, Stage.LEAD, context={"agreement_version": 7}) for lead in leads],
            Stage.MQL,
            actor=sdr,
        )

    assert sorted(FunnelPass.objects.values_list("lead_id", "agreement_version")) == sorted(
        (lead.pk, 7) for lead in leads
    )


def test_a_rebuild_derives_the_rows_each_move_wrote():
    for number in range(3):
        lead = LeadFactory()
        walk(
            lead,
            (Stage.MQL, number, {"agreement_version": 1}),
            (Stage.RECYCLED, number + 1, {"return_reason": "bad_timing"}),
            (Stage.MQL, number + 5, {"agreement_version": 2}),
            (Stage.SAL, number + 6, None),
        )
    written = snapshot()
    FunnelPass.objects.all().delete()

    assert rebuild_passes() == len(written) == 6
    assert snapshot() == written


def test_refreshing_some_leads_leaves_the_others_alone():
    kept, refreshed = LeadFactory(), LeadFactory()
    walk(kept, (Stage.MQL, 0, {}))
    walk(refreshed, (Stage.MQL, 0, {}))
    FunnelPass.objects.update(returns=9)

    refresh_passes([refreshed.pk])

    assert (passes(kept)[0].returns, passes(refreshed)[0].returns) == (9, 0)


def test_the_passes_follow_the_lead_s_channel_and_campaign_however_it_is_edited(marketer):
    lead = LeadFactory(attributes={"campaign": "spring", "size": "big"})
    walk(lead, (Stage.MQL, 0, {}), (Stage.RECYCLED, 1, {"return_reason": "no_fit"}))
    walk(lead, (Stage.MQL, 5, {}))
    other = ChannelFactory(slug="trade-show")

    update_lead(lead_id=lead.pk, data={"channel": "trade-show"}, actor=marketer)
    assert {(item.channel_id, item.campaign) for item in passes(lead)} == {(other.pk, "spring")}

    Lead.objects.filter(pk=lead.pk).update(attributes={"campaign": "autumn"})
    assert {item.campaign for item in passes(lead)} == {"autumn"}

    lead.refresh_from_db()
    lead.attributes = {}
    lead.save()
    assert {item.campaign for item in passes(lead)} == {""}


def test_an_edit_that_keeps_the_channel_and_campaign_leaves_the_passes_alone(marketer):
    lead = LeadFactory(attributes={"campaign": "spring"})
    walk(lead, (Stage.MQL, 0, {}))
    FunnelPass.objects.update(campaign="stale")

    update_lead(lead_id=lead.pk, data={"title": "CTO"}, actor=marketer)
    Lead.objects.filter(pk=lead.pk).update(attributes={"campaign": "spring", "size": 5})

    assert passes(lead)[0].campaign == "stale"
