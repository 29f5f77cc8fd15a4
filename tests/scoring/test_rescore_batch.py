import pytest
from django.utils import timezone

from handoff.models import Handoff
from leads.models import Lead, Stage, StageChange
from scoring import engine
from scoring.engine import EngagementFacts, LeadFacts
from scoring.services import Explainer, current_agreement_spec, rescore_leads
from tests.factories import LeadFactory
from tests.scoring.test_rescore import contact_request, ebook, engaged_lead
from tests.webhooks.factories import SubscriptionFactory
from webhooks.models import Delivery, Event

pytestmark = pytest.mark.django_db


def test_a_lead_whose_score_did_not_change_is_not_written_again():
    lead = LeadFactory()
    ebook(lead)
    rescore_leads([lead.pk])
    first = Lead.objects.get(pk=lead.pk)

    rescore_leads([lead.pk])

    assert Lead.objects.get(pk=lead.pk).scored_at == first.scored_at


def test_a_lead_whose_score_changed_is_written():
    lead = LeadFactory()
    ebook(lead)
    rescore_leads([lead.pk])
    contact_request(lead)

    rescore_leads([lead.pk])

    lead.refresh_from_db()
    assert (lead.score, lead.score_explanation["total"]) == (15, 15)


def test_all_newly_qualifying_leads_move_with_their_handoffs_and_events():
    SubscriptionFactory(events=[Event.LEAD_MQL])
    leads = [engaged_lead(email=f"ana{i}@northwind.io") for i in range(3)]

    summary = rescore_leads([lead.pk for lead in leads])

    ids = sorted(lead.pk for lead in leads)
    assert (summary.moved_to_mql, summary.stale_skipped) == (ids, 0)
    assert sorted(Lead.objects.filter(stage=Stage.MQL).values_list("pk", flat=True)) == ids
    assert StageChange.objects.filter(to_stage=Stage.MQL).count() == 3
    assert sorted(Handoff.objects.values_list("lead_id", "score")) == [(i, 15) for i in ids]
    assert (
        sorted(d.payload["lead"]["id"] for d in Delivery.objects.filter(event=Event.LEAD_MQL))
        == ids
    )


@pytest.mark.parametrize("count", [3, 30])
def test_the_moves_take_a_fixed_number_of_queries(count, django_assert_max_num_queries):
    leads = [engaged_lead(email=f"ana{i}@northwind.io") for i in range(count)]
    current_agreement_spec()

    # scoring (5); the moves and their funnel passes (4) and the handoffs (11), each in a
    # savepoint (6); subscriptions (1)
    with django_assert_max_num_queries(26):
        summary = rescore_leads([lead.pk for lead in leads])

    assert len(summary.moved_to_mql) == count


def test_every_score_field_is_stored_and_a_quiet_lead_has_no_last_engagement():
    quiet, engaged = LeadFactory(), LeadFactory()
    last = ebook(engaged, days=3).occurred_at
    contact_request(engaged, days=5)

    rescore_leads([quiet.pk, engaged.pk], now=timezone.now())

    quiet.refresh_from_db()
    engaged.refresh_from_db()
    assert (quiet.score, quiet.engagement_score, quiet.last_engaged_at) == (0, 0, None)
    assert quiet.score_agreement_version == 1
    assert quiet.score_explanation["reasons_not"] == ["Score 0 is below the threshold 15"]
    assert (engaged.score, engaged.fit_score, engaged.engagement_score) == (15, 0, 15)
    assert engaged.last_engaged_at == last
    assert engaged.score_explanation["total"] == 15
    assert quiet.scored_at == engaged.scored_at is not None


def test_leads_with_the_same_outcome_store_equal_explanations():
    leads = [LeadFactory() for _ in range(3)]
    for lead in leads:
        ebook(lead)

    rescore_leads([lead.pk for lead in leads])

    first, *others = Lead.objects.filter(pk__in=[lead.pk for lead in leads])
    assert [other.score_explanation for other in others] == [first.score_explanation] * 2
    assert [line["id"] for line in first.score_explanation["lines"]] == ["ebook_download"]


def test_a_forgetful_explainer_still_explains_every_outcome():
    spec = current_agreement_spec()
    explain = Explainer(keep=1)
    now = timezone.now()
    lead = LeadFacts(email="ana@northwind.io")
    low = engine.score(lead, EngagementFacts(), spec, now)
    high = engine.score(
        lead, EngagementFacts(action_counts={"demo_request": 1}, last_engaged_at=now), spec, now
    )

    assert [explain(result)["total"] for result in (low, high, low)] == [0, 15, 0]
