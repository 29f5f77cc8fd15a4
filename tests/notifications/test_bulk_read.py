"""Marking several notifications read at once, or all of them; only one's own change."""

import pytest
from django.urls import reverse

from notifications.models import Notification
from notifications.services import mark_read, notify
from tests.query_counts import assert_same_queries, measure

pytestmark = pytest.mark.django_db


@pytest.fixture
def inbox(sdr):
    return [
        notify(user=sdr, kind="lead_assigned", params={"text": f"Lead {n} is yours"}, email=False)
        for n in range(4)
    ]


def unread(user) -> set[int]:
    return set(Notification.objects.filter(user=user, read_at=None).values_list("pk", flat=True))


def test_the_ticked_ones_are_marked_read_and_the_page_says_how_many(client, sdr, inbox):
    client.force_login(sdr)

    response = client.post(
        reverse("notifications:read"),
        {"scope": "selected", "notification": [inbox[0].pk, inbox[2].pk]},
        follow=True,
    )

    assert unread(sdr) == {inbox[1].pk, inbox[3].pk}
    assert "2 notifications marked as read." in response.text


def test_ones_already_read_or_someone_elses_are_counted_apart(client, sdr, manager, inbox):
    theirs = notify(user=manager, kind="lead_assigned", params={"text": "Not yours"}, email=False)
    mark_read(user=sdr, notification_ids=[inbox[0].pk])
    client.force_login(sdr)

    response = client.post(
        reverse("notifications:read"),
        {"scope": "selected", "notification": [inbox[0].pk, inbox[1].pk, theirs.pk]},
        follow=True,
    )

    assert "1 notification marked as read. 2 were already read." in response.text
    assert unread(manager) == {theirs.pk}


def test_mark_all_read_leaves_none_unread(client, sdr, inbox):
    client.force_login(sdr)

    response = client.post(reverse("notifications:read"), {"scope": "all"}, follow=True)

    assert unread(sdr) == set()
    assert "4 notifications marked as read." in response.text


def test_marking_selected_with_none_ticked_changes_nothing(client, sdr, inbox):
    client.force_login(sdr)

    response = client.post(reverse("notifications:read"), {"scope": "selected"}, follow=True)

    assert len(unread(sdr)) == 4
    assert "Tick the notifications to mark as read." in response.text


def test_the_list_offers_a_box_per_unread_notification_and_select_all(client, sdr, inbox):
    mark_read(user=sdr, notification_ids=[inbox[0].pk])
    client.force_login(sdr)

    body = client.get(reverse("notifications:list")).text

    assert body.count('form="notifications-read" data-select="notifications"') == 3
    assert 'data-select-all="notifications"' in body


def test_the_list_runs_the_same_queries_for_few_and_many(client, sdr):
    client.force_login(sdr)

    def fetch():
        return client.get(reverse("notifications:list"))

    notify(user=sdr, kind="lead_assigned", params={"text": "One"}, email=False)
    few = measure(fetch)
    for n in range(10):
        notify(user=sdr, kind="lead_assigned", params={"text": f"More {n}"}, email=False)
    many = measure(fetch)

    assert_same_queries(few, many)
