"""The webhook list runs the same queries for a few subscriptions as for many."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from tests.query_counts import assert_same_queries, measure
from tests.webhooks.factories import SubscriptionFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [Role.MANAGER, Role.ADMIN])
def test_the_subscription_list_runs_the_same_queries_for_any_number_of_rows(client_as, role):
    client = client_as(role)

    def fetch():
        return client.get(reverse("webhooks:list"))

    SubscriptionFactory.create_batch(2, events=["lead.mql", "lead.sql"])
    few = measure(fetch)
    SubscriptionFactory.create_batch(10, is_active=False)
    many = measure(fetch)

    assert len(many.response.context["subscriptions"]) == 12
    assert_same_queries(few, many)
