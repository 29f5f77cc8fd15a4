"""Webhook subscriptions on the audit trail: created, edited, deleted, secret rotated; never the
secret itself."""

import pytest

from audit.models import AuditEntry
from webhooks import services
from webhooks.models import Subscription

pytestmark = pytest.mark.django_db


def rows():
    return AuditEntry.objects.filter(object_type="webhooks.subscription").order_by("id")


def test_a_subscription_life_is_recorded_without_its_secret(settings, manager):
    settings.WEBHOOKS_ALLOW_LOOPBACK = True
    subscription = services.save_subscription(
        subscription=Subscription(name="CRM", url="http://127.0.0.1:9/hooks", events=["lead.mql"]),
        user=manager,
    )
    subscription.name = "CRM sync"
    services.save_subscription(subscription=subscription, user=manager)
    secret = services.rotate_secret(subscription=subscription, user=manager)
    services.delete_subscription(subscription=subscription, user=manager)

    actions = [(row.action, row.field) for row in rows()]
    assert ("created", "name") in actions and ("created", "url") in actions
    assert ("changed", "name") in actions
    assert ("secret_rotated", "") in actions
    assert ("deleted", "name") in actions
    assert not any(row.field == "secret" for row in rows())
    assert not any(secret in f"{row.before}{row.after}" for row in rows())
    assert {row.actor for row in rows()} == {manager}
