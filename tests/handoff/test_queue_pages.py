"""The queue in pages of the most urgent leads, and tab counts read per tab."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse

from handoff.models import Handoff
from handoff.selectors import queue_counts
from handoff.services import log_first_touch
from handoff.views.queue import PAGE_SIZE
from sla.services import advance_clocks
from tests.handoff.factories import mql_handoff

pytestmark = pytest.mark.django_db


def _pool(count):
    handoffs = [mql_handoff() for _ in range(count)]
    return list(
        Handoff.objects.filter(pk__in=[h.pk for h in handoffs]).order_by(
            "sla_due_at", "-score", "id"
        )
    )


def test_the_pool_comes_in_pages_most_urgent_first(client, pool_team, sdr):
    ordered = _pool(PAGE_SIZE + 3)
    client.force_login(sdr)

    first = client.get(reverse("handoff:queue"), {"view": "pool"})
    second = client.get(reverse("handoff:queue"), {"view": "pool", "page": 2})

    assert [h.pk for h in first.context["rows"]] == [h.pk for h in ordered[:PAGE_SIZE]]
    assert [h.pk for h in second.context["rows"]] == [h.pk for h in ordered[PAGE_SIZE:]]
    assert first.context["next_query"] and not first.context["previous_query"]
    assert "page=2" in first.context["next_query"] and "view=pool" in first.context["next_query"]
    assert second.context["previous_query"] and not second.context["next_query"]
    assert "Less urgent" in first.content.decode() and "More urgent" in second.content.decode()
    # The polled rows keep the page they refresh.
    assert "page=2" in second.context["query_string"]


@pytest.mark.parametrize("page", ["0", "-3", "x", ""])
def test_a_bad_page_number_shows_the_first_page(client, pool_team, sdr, page):
    _pool(2)
    client.force_login(sdr)

    response = client.get(reverse("handoff:queue"), {"view": "pool", "page": page})

    assert response.context["page"] == 1
    assert len(response.context["rows"]) == 2


def test_a_short_queue_has_no_pager(client, pool_team, sdr):
    _pool(3)
    client.force_login(sdr)

    response = client.get(reverse("handoff:queue"), {"view": "pool"})

    assert "Queue pages" not in response.content.decode()


def test_tab_counts_are_per_tab_and_all_is_a_managers(pool_team, sdr, manager):
    pooled = _pool(3)
    Handoff.objects.filter(pk=pooled[0].pk).update(assignee=sdr)

    assert queue_counts(user=sdr) == {"mine": 1, "pool": 2, "all": None}
    assert queue_counts(user=manager) == {"mine": 0, "pool": 2, "all": 3}


def test_a_lead_late_for_its_first_touch_comes_before_one_with_hours_left(
    client, pool_team, sdr, manager
):
    """The running clock orders the queue, not the accept-or-return deadline: at 13:31 the
    lead queued at 09:30 and still untouched (first touch due 13:30) is breached, while the
    one queued at 09:00 and touched at 10:00 has until 17:00 to be accepted. Ordered by the
    accept-or-return deadline, the breached lead came second."""
    monday = datetime(2026, 11, 23, tzinfo=UTC)
    touched = mql_handoff(score=20, now=monday.replace(hour=9))
    log_first_touch(handoff=touched, user=sdr, channel="call", now=monday.replace(hour=10))
    late = mql_handoff(score=20, now=monday.replace(hour=9, minute=30))
    advance_clocks(now=monday.replace(hour=13, minute=31))
    client.force_login(manager)

    with time_machine.travel(monday.replace(hour=13, minute=31), tick=False):
        response = client.get(reverse("handoff:queue"), {"view": "all"})

    assert [h.pk for h in response.context["rows"]] == [late.pk, touched.pk]
