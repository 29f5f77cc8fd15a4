"""Webhooks never reach Accord's own network: internal addresses are refused when a subscription
is saved and again, after resolving the name, just before each send, to the address checked."""

import socket

import pytest
from django.core.checks import run_checks
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.roles import Role
from tests.factories import LeadFactory
from tests.webhooks.conftest import PUBLIC
from tests.webhooks.factories import SubscriptionFactory
from webhooks import services
from webhooks.models import DeliveryStatus, Subscription

pytestmark = pytest.mark.django_db

REPRODUCED = [
    "http://127.0.0.1:5432/",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::1]:6379/",
    "http://localhost:8000/",
    "http://10.0.0.5/",
]
ALSO_INTERNAL = [
    "https://192.168.1.1/hooks",
    "https://172.16.0.1/hooks",
    "https://100.64.0.1/hooks",  # shared address space (carrier-grade NAT)
    "https://100.100.100.200/latest/meta-data/",  # Alibaba Cloud metadata
    "https://[fe80::1]/hooks",
    "https://[fd00:ec2::254]/latest/meta-data/",  # AWS metadata over IPv6
    "https://[fc00::5]/hooks",
    "https://[::ffff:127.0.0.1]/hooks",  # loopback spelt as IPv6
    "https://224.0.0.1/hooks",
    "https://0.0.0.0/hooks",
    "https://[::]/hooks",
    "https://240.0.0.1/hooks",  # reserved
    "https://255.255.255.255/hooks",
    "https://inside.example/hooks",  # a name for a private address
    "https://split.example/hooks",  # one public and one private answer
    "https://metadata.google.internal/computeMetadata/v1/",
]


def save(url):
    subscription = Subscription(name="CRM", url=url, events=["lead.mql"])
    return services.save_subscription(subscription=subscription)


def add_webhook(client, url):
    return client.post(
        reverse("webhooks:list"), {"name": "CRM", "url": url, "events": ["lead.sql"]}
    )


@pytest.mark.parametrize("url", REPRODUCED + ALSO_INTERNAL)
def test_a_manager_cannot_save_a_webhook_to_an_internal_address(client_as, url):
    response = add_webhook(client_as(Role.MANAGER), url)

    assert response.status_code == 400
    page = response.content.decode()
    assert 'class="error"' in page
    assert "Webhooks cannot be sent to" in page
    assert not Subscription.objects.exists()


@pytest.mark.parametrize("url", REPRODUCED + ALSO_INTERNAL)
def test_the_service_refuses_an_internal_address_too(url):
    with pytest.raises(ValidationError) as refused:
        save(url)

    assert "url" in refused.value.message_dict


def test_an_existing_webhook_cannot_be_moved_to_an_internal_address(client_as):
    subscription = SubscriptionFactory(url="https://crm.example/hooks")

    response = client_as(Role.MANAGER).post(
        reverse("webhooks:detail", args=[subscription.pk]),
        {"name": "CRM", "url": "http://169.254.169.254/latest/meta-data/", "events": ["lead.mql"]},
    )

    assert response.status_code == 400
    subscription.refresh_from_db()
    assert subscription.url == "https://crm.example/hooks"


def test_a_name_that_does_not_resolve_is_refused():
    with pytest.raises(ValidationError, match="could not be resolved"):
        save("https://nowhere.example/")


def test_a_public_https_address_is_accepted(settings):
    settings.WEBHOOKS_ALLOW_HTTP = False
    subscription = save("https://crm.example/hooks")

    assert subscription.pk


def test_http_is_refused_unless_allowed(client_as, settings):
    settings.WEBHOOKS_ALLOW_HTTP = False

    response = add_webhook(client_as(Role.MANAGER), "http://crm.example/hooks")

    assert response.status_code == 400
    assert "https only" in response.content.decode()
    assert not Subscription.objects.exists()


def test_loopback_is_allowed_only_by_its_setting(settings):
    settings.WEBHOOKS_ALLOW_LOOPBACK = True

    for url in ["http://127.0.0.1:8000/", "http://localhost:8000/", "http://[::1]:8000/"]:
        save(url)
    for url in ["http://169.254.169.254/latest/meta-data/", "http://10.0.0.5/"]:
        with pytest.raises(ValidationError):
            save(url)


@pytest.fixture
def connections(monkeypatch):
    """Every address a delivery tries to connect to; none is reached."""
    tried = []

    def refuse(address, *args, **kwargs):
        tried.append(address)
        raise ConnectionRefusedError("refused in the test")

    monkeypatch.setattr(socket, "create_connection", refuse)
    return tried


def send_to(url):
    """A delivery to `url`, which got into the database without the save-time check."""
    subscription = SubscriptionFactory(url="https://crm.example/hooks")
    Subscription.objects.filter(pk=subscription.pk).update(url=url)
    (delivery,) = services.emit("lead.mql", lead=LeadFactory())
    services.send_delivery(delivery.pk)
    delivery.refresh_from_db()
    return delivery


@pytest.mark.parametrize("url", REPRODUCED + ALSO_INTERNAL)
def test_an_internal_address_is_refused_at_send_time(url, connections):
    delivery = send_to(url)

    assert connections == []
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (
        DeliveryStatus.PENDING, 1, None,
    )  # fmt: skip
    assert "cannot be sent to" in delivery.last_error


def test_a_loopback_receiver_gets_nothing_unless_loopback_is_allowed(receiver, settings):
    settings.WEBHOOKS_ALLOW_LOOPBACK = False

    delivery = send_to(receiver.url)

    assert receiver.requests == []
    assert "loopback" in delivery.last_error


def test_a_name_that_rebinds_to_an_internal_address_cannot_move_the_request(dns, connections):
    # The first answer is public and passes the check; any later one points inside.
    answers = iter([[PUBLIC]])
    dns.table["rebind.example"] = lambda: next(answers, ["127.0.0.1"])

    send_to("https://rebind.example/hooks")

    assert connections == [(PUBLIC, 443)]
    assert dns.asked.count("rebind.example") == 1


def test_a_name_is_sent_to_its_checked_address_with_its_own_host_header(receiver, dns):
    dns.table["receiver.example"] = ["127.0.0.1"]
    port = receiver.server.server_port

    delivery = send_to(f"http://receiver.example:{port}/hooks/accord")

    assert delivery.status == DeliveryStatus.SUCCEEDED
    (request,) = receiver.requests
    assert request["headers"]["Host"] == f"receiver.example:{port}"


def deploy_check_ids():
    return {message.id for message in run_checks(include_deployment_checks=True)}


def test_check_deploy_warns_about_development_webhook_settings(settings):
    settings.WEBHOOKS_ALLOW_LOOPBACK = True
    settings.WEBHOOKS_ALLOW_HTTP = True

    assert {"webhooks.W001", "webhooks.W002"} <= deploy_check_ids()


def test_check_deploy_is_quiet_about_webhooks_when_both_are_off(settings):
    settings.WEBHOOKS_ALLOW_LOOPBACK = False
    settings.WEBHOOKS_ALLOW_HTTP = False

    assert not {id for id in deploy_check_ids() if id.startswith("webhooks.")}


def test_the_plain_check_says_nothing_about_them(settings):
    settings.WEBHOOKS_ALLOW_LOOPBACK = True

    assert not {message.id for message in run_checks() if message.id.startswith("webhooks.")}
