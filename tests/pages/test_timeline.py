"""The lead timeline comes a page at a time, newest first, and paging never skips or repeats an
entry, even when activities, stage moves and queue events share the same instant."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from accounts.roles import Role
from handoff.models import HandoffEvent
from leads.models import StageChange
from pages.timeline import TIMELINE_PAGE, TimelineCursor, lead_timeline
from tests.factories import ActivityFactory, LeadFactory

pytestmark = pytest.mark.django_db
NOON = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)


def _history(lead, *, activities: int, shared: int = 0):
    """`activities` activities a minute apart, and `shared` entries of each source at NOON."""
    for minute in range(activities):
        ActivityFactory(lead=lead, occurred_at=NOON - timedelta(minutes=minute + 1))
    for _ in range(shared):
        ActivityFactory(lead=lead, occurred_at=NOON)
        StageChange.objects.create(lead=lead, from_stage="lead", to_stage="mql")
        HandoffEvent.objects.create(lead=lead, kind="opened", created_at=NOON)
    StageChange.objects.filter(lead=lead).update(created_at=NOON)


def _all_pages(lead, limit):
    seen, cursor, pages = [], None, 0
    while True:
        page = lead_timeline(lead, limit=limit, cursor=cursor)
        seen += [(entry["kind"], entry["item"].pk) for entry in page.entries]
        pages += 1
        if page.next_cursor is None:
            return seen, pages
        cursor = TimelineCursor.parse(page.next_cursor.as_query())


@pytest.mark.parametrize("limit", [1, 2, 3, 7, 50])
def test_paging_visits_every_entry_once_newest_first(limit):
    lead = LeadFactory()
    _history(lead, activities=12, shared=3)

    seen, pages = _all_pages(lead, limit)

    assert len(seen) == len(set(seen)) == 12 + 3 * 3
    assert pages == -(-len(seen) // limit)
    whole = lead_timeline(lead, limit=100).entries
    assert [(e["kind"], e["item"].pk) for e in whole] == seen
    assert [e["when"] for e in whole] == sorted((e["when"] for e in whole), reverse=True)


def test_the_lead_page_shows_one_page_and_a_link_to_older_entries(
    client_as, django_assert_max_num_queries
):
    lead = LeadFactory()
    _history(lead, activities=TIMELINE_PAGE + 10)
    client = client_as(Role.SDR)

    page = client.get(reverse("leads:detail", args=[lead.pk]))

    assert page.content.decode().count('class="timeline-activity"') == TIMELINE_PAGE
    assert "Show older activity" in page.content.decode()
    older = page.context["timeline"].next_cursor.as_query()
    with django_assert_max_num_queries(8):
        rest = client.get(reverse("leads:timeline", args=[lead.pk]), {"after": older})
    assert rest.status_code == 200
    assert rest.content.decode().count('class="timeline-activity"') == 10
    assert "Show older activity" not in rest.content.decode()


def test_a_lead_with_a_short_history_has_no_older_link(client_as):
    lead = LeadFactory()
    _history(lead, activities=3)

    page = client_as(Role.MARKETER).get(reverse("leads:detail", args=[lead.pk]))

    assert page.content.decode().count('class="timeline-activity"') == 3
    assert "Show older activity" not in page.content.decode()


@pytest.mark.parametrize(
    "value", ["", "nonsense", "2026-11-02T12:00:00|bogus|1", "2026-11-02|activity|x"]
)
def test_a_malformed_cursor_starts_from_the_newest(client_as, value):
    lead = LeadFactory()
    _history(lead, activities=2)

    response = client_as(Role.SDR).get(reverse("leads:timeline", args=[lead.pk]), {"after": value})

    assert response.status_code == 200
    assert response.content.decode().count('class="timeline-activity"') == 2


def test_the_older_entries_need_a_role(client_as):
    lead = LeadFactory()

    assert client_as().get(reverse("leads:timeline", args=[lead.pk])).status_code == 403
