from datetime import timedelta

import pytest
from django.utils import timezone

from handoff.models import Handoff
from leads.lifecycle import move_stage
from leads.models import ActivityKind, Lead, Stage, StageChange
from scoring.facts import engagement_by_lead
from scoring.services import current_agreement_spec, rescore_leads
from tests.factories import ActivityFactory, LeadFactory

pytestmark = pytest.mark.django_db


def ebook(lead, days=2):
    return ActivityFactory(
        lead=lead,
        kind=ActivityKind.CONTENT_DOWNLOAD,
        occurred_at=timezone.now() - timedelta(days=days),
        properties={"asset_type": "ebook"},
    )


def contact_request(lead, days=1):
    return ActivityFactory(
        lead=lead,
        kind=ActivityKind.CONTACT_REQUEST,
        occurred_at=timezone.now() - timedelta(days=days),
    )


def engaged_lead(**profile):
    lead = LeadFactory(**profile)
    ebook(lead)
    contact_request(lead)
    return lead


def test_the_fresh_install_publishes_the_starter_agreement_as_version_1():
    spec = current_agreement_spec()
    assert spec.version == 1
    assert spec.threshold == 15


def test_a_complete_profile_with_an_ebook_and_a_contact_request_becomes_an_mql():
    lead = engaged_lead()

    summary = rescore_leads([lead.pk])

    lead.refresh_from_db()
    assert summary.moved_to_mql == [lead.pk]
    assert lead.stage == Stage.MQL
    assert (lead.score, lead.engagement_score, lead.score_agreement_version) == (15, 15, 1)
    change = StageChange.objects.get(lead=lead, to_stage=Stage.MQL)
    assert change.from_stage == Stage.LEAD
    assert change.context["agreement_version"] == 1
    explanation = change.context["explanation"]
    assert explanation["qualifies"] is True
    assert {line["id"]: line["points"] for line in explanation["lines"]} == {
        "ebook_download": 5,
        "contact_request": 10,
    }


def test_an_mql_move_opens_a_handoff_with_the_version_and_score():
    lead = engaged_lead()

    rescore_leads([lead.pk])

    handoff = Handoff.objects.get(lead=lead)
    assert (handoff.agreement_version, handoff.score) == (1, 15)


def test_a_gmail_address_is_scored_but_not_moved_and_names_the_negative():
    lead = engaged_lead(email="ana@gmail.com")

    summary = rescore_leads([lead.pk])

    lead.refresh_from_db()
    assert summary.moved_to_mql == []
    assert lead.stage == Stage.LEAD
    assert lead.score == 15
    assert lead.score_explanation["qualifies"] is False
    assert [n["id"] for n in lead.score_explanation["negatives"]] == ["free_mail"]
    assert not StageChange.objects.filter(lead=lead).exists()


def test_an_ebook_alone_is_below_the_threshold():
    lead = LeadFactory()
    ebook(lead)

    rescore_leads([lead.pk])

    lead.refresh_from_db()
    assert (lead.stage, lead.score) == (Stage.LEAD, 5)


def test_a_lead_past_mql_is_never_moved_back():
    past = engaged_lead()
    for stage in ("mql", "sal"):
        move_stage(past.pk, stage)

    summary = rescore_leads([past.pk])

    assert summary.moved_to_mql == []
    assert Lead.objects.get(pk=past.pk).stage == Stage.SAL


def test_a_returned_lead_qualifies_again_only_on_new_engagement():
    recycled = engaged_lead()
    for stage in ("mql", "recycled"):
        move_stage(recycled.pk, stage)

    assert rescore_leads([recycled.pk]).moved_to_mql == []
    assert Lead.objects.get(pk=recycled.pk).stage == Stage.RECYCLED

    contact_request(recycled, days=0)
    summary = rescore_leads([recycled.pk])

    assert summary.moved_to_mql == [recycled.pk]
    assert Lead.objects.get(pk=recycled.pk).stage == Stage.MQL


def test_rescoring_twice_moves_a_lead_once():
    lead = engaged_lead()

    rescore_leads([lead.pk])
    second = rescore_leads([lead.pk])

    assert second.moved_to_mql == []
    assert StageChange.objects.filter(lead=lead, to_stage=Stage.MQL).count() == 1


def test_a_lead_moved_meanwhile_is_skipped_not_an_error(monkeypatch):
    lead = engaged_lead()
    read_engagement = engagement_by_lead

    def someone_moves_it_while_scoring(*args):
        move_stage(lead.pk, Stage.DISQUALIFIED)
        return read_engagement(*args)

    monkeypatch.setattr("scoring.services.engagement_by_lead", someone_moves_it_while_scoring)

    summary = rescore_leads([lead.pk])

    assert (summary.moved_to_mql, summary.stale_skipped) == ([], 1)
    assert Lead.objects.get(pk=lead.pk).stage == Stage.DISQUALIFIED


def test_without_moves_only_the_score_changes():
    lead = engaged_lead()

    rescore_leads([lead.pk], allow_moves=False)

    lead.refresh_from_db()
    assert (lead.stage, lead.score) == (Stage.LEAD, 15)


def test_three_weeks_of_silence_lowers_the_score_by_the_decay():
    lead = LeadFactory()
    contact_request(lead, days=21)
    ebook(lead, days=21)

    rescore_leads([lead.pk], allow_moves=False)

    lead.refresh_from_db()
    # 15 engagement points, one full week past the 14-day grace at 25%: 15 * 0.75 rounded down.
    assert (lead.engagement_score, lead.score_explanation["decay_points"]) == (11, 4)


def test_points_older_than_the_window_do_not_count():
    lead = LeadFactory()
    ebook(lead, days=91)
    contact_request(lead, days=1)

    rescore_leads([lead.pk])

    lead.refresh_from_db()
    assert lead.score == 10


@pytest.mark.parametrize("count", [3, 30])
def test_the_query_count_does_not_grow_with_the_batch(count, django_assert_max_num_queries):
    leads = [LeadFactory(email=f"ana{i}@gmail.com") for i in range(count)]
    for lead in leads:
        ebook(lead)
    current_agreement_spec()

    # published version, profiles, the values the starter's conditions meet, engagement
    # aggregates, one bulk update (savepoint-free)
    with django_assert_max_num_queries(5):
        summary = rescore_leads([lead.pk for lead in leads])

    assert summary.scored == count
