import pytest

from handoff.models import Handoff
from leads.models import Lead, Stage, StageChange
from scoring.services import current_agreement_spec, rescore_leads
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

    # scoring (4); the moves (3) and the handoffs (11), each in a savepoint (6); subscriptions (1)
    with django_assert_max_num_queries(24):
        summary = rescore_leads([lead.pk for lead in leads])

    assert len(summary.moved_to_mql) == count
