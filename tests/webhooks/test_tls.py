"""An https webhook is sent to the checked address while SNI and the certificate check use the
name in the URL: the receiver is a TLS server on 127.0.0.1 with a certificate for hooks.example
(tests/webhooks/tls, self-signed, valid for a century)."""

import ssl
from pathlib import Path

import pytest

from tests.factories import LeadFactory
from tests.webhooks.conftest import Receiver
from tests.webhooks.factories import SubscriptionFactory
from webhooks import services, transport
from webhooks.models import DeliveryStatus

pytestmark = pytest.mark.django_db

TLS = Path(__file__).parent / "tls"
CERTIFICATE = TLS / "hooks.example.crt"


@pytest.fixture
def tls_receiver(settings, dns, monkeypatch):
    settings.WEBHOOKS_ALLOW_LOOPBACK = True
    dns.table["hooks.example"] = ["127.0.0.1"]
    dns.table["other.example"] = ["127.0.0.1"]
    monkeypatch.setattr(
        transport, "tls_context", lambda: ssl.create_default_context(cafile=CERTIFICATE)
    )
    receiver = Receiver()
    receiver.server_names = []
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(CERTIFICATE, TLS / "hooks.example.key")
    context.sni_callback = lambda _socket, name, _context: receiver.server_names.append(name)
    receiver.server.socket = context.wrap_socket(receiver.server.socket, server_side=True)
    receiver.thread.start()
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()


def send_to(url):
    SubscriptionFactory(url=url)
    (delivery,) = services.emit("lead.mql", lead=LeadFactory())
    services.send_delivery(delivery.pk)
    delivery.refresh_from_db()
    return delivery


def test_https_goes_to_the_checked_address_with_the_names_sni_and_certificate(tls_receiver):
    port = tls_receiver.server.server_port

    delivery = send_to(f"https://hooks.example:{port}/hooks/accord")

    assert (delivery.status, delivery.last_status_code) == (DeliveryStatus.SUCCEEDED, 200)
    assert tls_receiver.server_names == ["hooks.example"]
    (request,) = tls_receiver.requests
    assert request["headers"]["Host"] == f"hooks.example:{port}"


def test_a_certificate_for_another_name_is_refused(tls_receiver):
    delivery = send_to(f"https://other.example:{tls_receiver.server.server_port}/hooks")

    assert (delivery.status, delivery.last_status_code) == (DeliveryStatus.PENDING, None)
    assert "certificate" in delivery.last_error.lower()
    assert tls_receiver.requests == []
