"""A manager reassigns or returns several handoffs at once: each through the single-item
service, each on its own, with what became of each reported."""

import pytest
from django.urls import reverse
from django.utils import translation

from handoff import services
from handoff.models import Handoff, Outcome
from handoff.services.bulk import BulkOutcome
from leads.models import Lead, Stage
from tests.factories import ChannelFactory
from tests.handoff.factories import mql_handoff
from tests.handoff.test_qualification import CHECKS
from tests.query_counts import assert_same_queries, measure

pytestmark = pytest.mark.django_db


@pytest.fixture
def handoffs(pool_team):
    return [mql_handoff(first_name=name, last_name="Lee") for name in ("Ann", "Ben", "Cai", "Dee")]


def test_reassigning_several_gives_each_to_the_rep(handoffs, manager, sdr):
    outcome = services.bulk_reassign(
        handoff_ids=[h.pk for h in handoffs[:3]], to_user=sdr, user=manager
    )

    assert len(outcome.done) == 3 and outcome.refused == []
    assert list(Handoff.objects.filter(assignee=sdr).order_by("pk")) == handoffs[:3]
    assert Handoff.objects.get(pk=handoffs[3].pk).assignee is None


def test_one_refused_handoff_does_not_undo_the_others(handoffs, manager, sdr, sdr2):
    services.claim_handoff(handoff=handoffs[1], user=sdr2)
    services.accept_handoff(handoff=handoffs[1], user=sdr2, checklist=CHECKS)

    outcome = services.bulk_reassign(
        handoff_ids=[h.pk for h in handoffs], to_user=sdr, user=manager
    )

    assert len(outcome.done) == 3
    assert outcome.refused == [("Ben Lee", "sasha already handled this lead: it is accepted.")]
    summary = outcome.summary(lambda count: f"{count} reassigned")
    assert (
        summary
        == "3 reassigned, 1 refused: Ben Lee: sasha already handled this lead: it is accepted."
    )
    assert Handoff.objects.get(pk=handoffs[1].pk).assignee == sdr2


def test_returning_several_moves_each_lead_to_recycled_with_the_reason(handoffs, manager):
    outcome = services.bulk_return(
        handoff_ids=[handoffs[0].pk, handoffs[2].pk], user=manager, reason="bad_timing", note="Q3"
    )

    assert len(outcome.done) == 2
    returned = Handoff.objects.filter(outcome=Outcome.RETURNED).order_by("pk")
    assert [(h.pk, h.return_reason.code, h.return_note) for h in returned] == [
        (handoffs[0].pk, "bad_timing", "Q3"),
        (handoffs[2].pk, "bad_timing", "Q3"),
    ]
    assert set(Lead.objects.filter(stage=Stage.RECYCLED).values_list("pk", flat=True)) == {
        handoffs[0].lead_id,
        handoffs[2].lead_id,
    }


def test_a_handoff_the_user_may_not_read_is_refused_as_not_found(handoffs, sdr, sdr2, outsider):
    services.claim_handoff(handoff=handoffs[0], user=sdr)

    # A rep in no team reads none of these; the reassignment itself is a manager's.
    outcome = services.bulk_return(handoff_ids=[handoffs[0].pk], user=outsider, reason="bad_timing")

    assert outcome.done == []
    assert outcome.refused == [(f"#{handoffs[0].pk}", "No such lead in the queue.")]
    assert Handoff.objects.get(pk=handoffs[0].pk).is_open


def test_a_rep_may_not_reassign_even_their_own(handoffs, sdr, sdr2):
    services.claim_handoff(handoff=handoffs[0], user=sdr)

    outcome = services.bulk_reassign(handoff_ids=[handoffs[0].pk], to_user=sdr2, user=sdr)

    assert outcome.refused == [("Ann Lee", "Only managers reassign leads.")]


def test_the_page_reports_each_outcome_and_keeps_the_queue_as_it_was(
    client, handoffs, manager, sdr, sdr2
):
    services.claim_handoff(handoff=handoffs[1], user=sdr2)
    services.accept_handoff(handoff=handoffs[1], user=sdr2, checklist=CHECKS)
    client.force_login(manager)

    response = client.post(
        reverse("handoff:bulk"),
        {
            "action": "reassign",
            "bulk-assignee": sdr.pk,
            "handoff": [h.pk for h in handoffs],
            "query": "view=all&sort=-score",
        },
    )

    assert response.url == reverse("handoff:queue") + "?view=all&sort=-score"
    page = client.get(response.url).text
    assert "3 reassigned, 1 refused: Ben Lee: sasha already handled this lead" in page


def test_returning_from_the_page_needs_a_reason(client, handoffs, manager):
    client.force_login(manager)

    response = client.post(
        reverse("handoff:bulk"),
        {"action": "return", "handoff": [handoffs[0].pk], "bulk-return-reason": ""},
        HTTP_REFERER="http://testserver/handoff/queue/?view=all",
        follow=True,
    )

    assert "Reason: This field is required." in response.text
    assert Handoff.objects.get(pk=handoffs[0].pk).is_open


def test_returning_from_the_page(client, handoffs, manager):
    client.force_login(manager)

    response = client.post(
        reverse("handoff:bulk"),
        {
            "action": "return",
            "handoff": [handoffs[0].pk, handoffs[3].pk],
            "bulk-return-reason": "no_fit",
            "bulk-return-note": "Wrong segment",
        },
        follow=True,
    )

    assert "2 returned to marketing" in response.text
    assert Handoff.objects.filter(outcome=Outcome.RETURNED).count() == 2


def test_the_bulk_bar_and_row_boxes_are_a_managers_only(client, handoffs, manager, sdr):
    client.force_login(manager)
    as_manager = client.get(reverse("handoff:queue"), {"view": "all"}).text
    client.force_login(sdr)
    as_rep = client.get(reverse("handoff:queue"), {"view": "pool"}).text

    assert 'id="queue-bulk"' in as_manager
    assert f'name="handoff" value="{handoffs[0].pk}" form="queue-bulk"' in as_manager
    assert "data-confirm=" in as_manager
    assert 'id="queue-bulk"' not in as_rep and 'form="queue-bulk"' not in as_rep


def test_a_rep_may_not_post_a_bulk_action(client, handoffs, sdr):
    client.force_login(sdr)

    response = client.post(
        reverse("handoff:bulk"), {"action": "reassign", "handoff": [handoffs[0].pk]}
    )

    assert response.status_code == 403


def test_a_managers_queue_with_boxes_and_a_sort_runs_the_same_queries_for_any_rows(
    client, pool_team, manager
):
    client.force_login(manager)

    def fetch():
        return client.get(reverse("handoff:queue"), {"view": "all", "sort": "-score"})

    mql_handoff()
    few = measure(fetch)
    for _ in range(6):
        mql_handoff(channel=ChannelFactory())
    many = measure(fetch)

    assert many.body.count('form="queue-bulk"') == 7
    assert_same_queries(few, many)


def test_the_outcome_is_punctuated_by_the_readers_language():
    outcome = BulkOutcome(refused=[("Ann Lee", "taken"), ("Ben Wu", "closed")])

    with translation.override("zh-hans"):
        summary = outcome.summary(lambda count: f"{count}")

    assert "Ann Lee：taken；Ben Wu：closed" in summary
    assert "," not in summary and ";" not in summary
