"""The notification list runs the same queries for a few notifications as for many."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import EVERY_ROLE, Role
from notifications.models import Notification, NotificationKind
from tests.query_counts import assert_same_queries, measure

pytestmark = pytest.mark.django_db


def notify(user, count):
    for n in range(count):
        Notification.objects.create(
            user=user,
            kind=NotificationKind.LEAD_ASSIGNED,
            params={"lead": f"Lead {n}"},
            url=f"/leads/{n}/",
            read_at=timezone.now() if n % 2 else None,
        )


@pytest.mark.parametrize("role", EVERY_ROLE)
def test_the_notification_list_runs_the_same_queries_for_any_number_of_rows(
    make_user, client, role
):
    user = make_user(role)
    client.force_login(user)

    def fetch():
        return client.get(reverse("notifications:list"))

    notify(user, 2)
    few = measure(fetch)
    notify(user, 10)
    many = measure(fetch)

    assert len(many.response.context["notifications"]) == 12
    assert_same_queries(few, many)


def test_the_notification_api_runs_the_same_queries_for_any_number_of_rows(api_as):
    api = api_as(Role.SDR)
    user = api.get("/api/v1/notifications/").wsgi_request.user

    def fetch():
        return api.get("/api/v1/notifications/")

    notify(user, 2)
    few = measure(fetch)
    notify(user, 10)
    many = measure(fetch)

    assert len(many.response.json()["results"]) == 12
    assert_same_queries(few, many)
