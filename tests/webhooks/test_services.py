import contextlib
import json
import socket
import threading
import time
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.errors import ConflictError
from tests.factories import LeadFactory
from tests.webhooks.factories import SubscriptionFactory
from webhooks import services, signing, transport
from webhooks.models import Delivery, DeliveryStatus, Subscription

pytestmark = pytest.mark.django_db

T0 = "2030-03-04 09:00:00Z"


@pytest.fixture
def lead():
    return LeadFactory(first_name="Иван", email="ivan@severosoft.ru")


def test_an_event_is_recorded_for_each_subscription_that_wants_it(subscription, lead):
    SubscriptionFactory(events=["opportunity.won"])
    SubscriptionFactory(events=["lead.mql"], is_active=False)

    deliveries = services.emit("lead.mql", lead=lead, data={"score": 72})

    assert [d.subscription for d in deliveries] == [subscription]
    payload = deliveries[0].payload
    assert (payload["event"], payload["lead"]["email"], payload["data"]) == (
        "lead.mql", "ivan@severosoft.ru", {"score": 72},
    )  # fmt: skip


def test_nothing_is_recorded_when_the_callers_transaction_rolls_back(subscription, lead):
    with pytest.raises(RuntimeError), transaction.atomic():
        services.emit("lead.mql", lead=lead)
        raise RuntimeError

    assert not Delivery.objects.exists()


def test_an_unknown_event_is_a_programming_error(lead):
    with pytest.raises(ValueError):
        services.emit("lead.promoted", lead=lead)


def test_a_delivery_is_sent_after_commit_and_its_signature_verifies(
    receiver, subscription, lead, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        (delivery,) = services.emit("lead.mql", lead=lead)

    (request,) = receiver.requests
    assert signing.verify(subscription.secret, request["body"], request["headers"][signing.HEADER])
    assert json.loads(request["body"])["lead"]["first_name"] == "Иван"
    assert request["headers"]["X-Accord-Event"] == "lead.mql"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (
        DeliveryStatus.SUCCEEDED, 1, 200,
    )  # fmt: skip
    assert delivery.last_duration_ms is not None
    assert delivery.last_error == ""


def test_a_500_is_retried_with_exponential_backoff(receiver, subscription, lead):
    receiver.answer(500, 503, 200)
    with time_machine.travel(T0, tick=False):
        (delivery,) = services.emit("lead.mql", lead=lead)
        start = timezone.now()
        services.send_delivery(delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("pending", 1, 500)
    assert delivery.next_attempt_at == start + timedelta(seconds=30)
    assert not hasattr(delivery, "last_response")  # what the receiver said is not kept

    assert services.send_due_deliveries(now=start + timedelta(seconds=29)) == 0
    assert services.send_due_deliveries(now=start + timedelta(seconds=30)) == 1
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.last_status_code) == (2, 503)
    assert delivery.next_attempt_at == start + timedelta(seconds=90)

    assert services.send_due_deliveries(now=start + timedelta(seconds=90)) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SUCCEEDED, 3)
    assert len(receiver.requests) == 3


def test_a_delivery_fails_after_the_last_attempt_and_a_manager_replays_it(
    receiver, subscription, lead, monkeypatch
):
    monkeypatch.setattr(services, "MAX_ATTEMPTS", 2)
    receiver.answer(500, 500, 200)
    (delivery,) = services.emit("lead.mql", lead=lead)
    services.send_delivery(delivery.pk)
    services.send_delivery(delivery.pk, now=timezone.now() + timedelta(minutes=1))
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == ("failed", 2, None)

    services.replay(delivery=delivery)
    services.send_due_deliveries()

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SUCCEEDED, 1)
    assert len(receiver.requests) == 3
    assert receiver.requests[2]["body"] == receiver.requests[0]["body"]


def test_only_a_failed_delivery_can_be_replayed(receiver, subscription, lead):
    (delivery,) = services.emit("lead.mql", lead=lead)
    services.send_delivery(delivery.pk)
    delivery.refresh_from_db()

    with pytest.raises(ConflictError):
        services.replay(delivery=delivery)


def test_a_delivery_left_pending_by_a_dead_worker_is_sent_by_the_sweep(
    receiver, subscription, lead
):
    with time_machine.travel(T0, tick=False):
        # The commit happened, but the worker died before it ran the queued task.
        services.emit("lead.mql", lead=lead)
        (claimed,) = services.emit("lead.sql", lead=lead)
        # This one was claimed by a worker that died mid-send: its lease must pass first.
        now = timezone.now()
        Delivery.objects.filter(pk=claimed.pk).update(
            attempts=1, next_attempt_at=now + services.LEASE
        )

        assert services.send_due_deliveries() == 1
    assert services.send_due_deliveries(now=now + services.LEASE) == 1

    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SUCCEEDED}
    assert sorted(json.loads(r["body"])["event"] for r in receiver.requests) == [
        "lead.mql", "lead.sql",
    ]  # fmt: skip


def test_a_delivery_is_sent_once_however_many_workers_try(receiver, subscription, lead):
    (delivery,) = services.emit("lead.mql", lead=lead)

    first = services.send_delivery(delivery.pk)
    second = services.send_delivery(delivery.pk)
    services.send_due_deliveries()

    assert first is not None and second is None
    assert len(receiver.requests) == 1


def test_a_redirect_is_not_followed(receiver, subscription, lead):
    receiver.answer(302, headers={"Location": "http://169.254.169.254/latest"})
    (delivery,) = services.emit("lead.mql", lead=lead)

    services.send_delivery(delivery.pk)

    delivery.refresh_from_db()
    assert (delivery.status, delivery.last_status_code) == (DeliveryStatus.PENDING, 302)
    assert delivery.last_error == "Redirect not followed."
    assert len(receiver.requests) == 1


def test_an_unreachable_receiver_is_retried(subscription, lead, monkeypatch):
    Subscription.objects.filter(pk=subscription.pk).update(url="http://127.0.0.1:9/closed")
    monkeypatch.setattr(transport, "TIMEOUT", 1)
    (delivery,) = services.emit("lead.mql", lead=lead)

    services.send_delivery(delivery.pk)

    delivery.refresh_from_db()
    assert (delivery.status, delivery.last_status_code) == (DeliveryStatus.PENDING, None)
    assert delivery.last_error


@pytest.mark.parametrize("url", ["ftp://files.example/hook", "file:///etc/passwd", "not a url"])
def test_only_http_urls_are_accepted(url):
    with pytest.raises(ValidationError):
        services.save_subscription(subscription=Subscription(name="X", url=url, events=[]))


def test_the_sweep_stops_claiming_when_its_time_is_up(receiver, subscription, lead, monkeypatch):
    services.emit("lead.mql", lead=lead)
    services.emit("lead.sql", lead=lead)
    monkeypatch.setattr(services, "SWEEP_BUDGET", -1)

    assert services.send_due_deliveries() == 0
    assert Delivery.objects.filter(status=DeliveryStatus.PENDING).count() == 2


def test_a_url_the_client_cannot_send_to_is_a_failed_attempt_not_a_crash(subscription, lead):
    Subscription.objects.filter(pk=subscription.pk).update(url="http://127.0.0.1:8x/")
    (delivery,) = services.emit("lead.mql", lead=lead)

    services.send_delivery(delivery.pk)

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("pending", 1, None)


def test_the_payload_names_the_lead_as_its_script_writes_it_and_gives_the_country_code():
    lead = LeadFactory(first_name="伟", last_name="王", country="CN")

    payload = services.lead_payload(lead)

    assert (payload["display_name"], payload["middle_name"], payload["country"]) == (
        "王伟", "", "CN",
    )  # fmt: skip


def test_a_fan_out_to_many_leads_queues_one_sweep_not_a_task_per_delivery(
    subscription, monkeypatch, django_capture_on_commit_callbacks
):
    queued = []
    monkeypatch.setattr("core.jobs.async_task", lambda *args: queued.append(args))
    leads = LeadFactory.create_batch(5)

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        deliveries = services.emit_many("lead.mql", [(lead.pk, None) for lead in leads])
        services.emit("lead.sql", lead=leads[0])

    assert len(deliveries) == 5
    assert queued == [("webhooks.tasks.send_due_deliveries",)]


def test_a_receiver_answering_byte_by_byte_is_cut_off_at_the_total_deadline(monkeypatch, settings):
    """Each read gets TIMEOUT, but the whole request no more than DEADLINE, which is shorter
    than the lease: no second sender starts on a delivery while the first still waits."""
    settings.WEBHOOKS_ALLOW_LOOPBACK = True
    monkeypatch.setattr(transport, "DEADLINE", 1)
    assert services.LEASE.total_seconds() > transport.DEADLINE
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def drip():
        connection, _address = listener.accept()
        with connection:
            connection.recv(65536)
            for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"x" * 100:
                if stop.wait(0.1):
                    return
                with contextlib.suppress(OSError):
                    connection.sendall(bytes([byte]))

    thread = threading.Thread(target=drip, daemon=True)
    thread.start()
    started = time.monotonic()
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/hooks"

    response = transport.post(url, b"{}", {"Content-Type": "application/json"})

    stop.set()
    listener.close()
    assert time.monotonic() - started < 5
    assert response.status_code is None
    assert response.error == "No answer within 1 seconds."


def test_the_sweep_claims_sends_and_records_a_chunk_in_a_fixed_number_of_statements(
    receiver, subscription
):
    leads = LeadFactory.create_batch(services.CLAIM_SIZE)
    services.emit_many("lead.mql", [(lead.pk, None) for lead in leads[:2]])
    with CaptureQueriesContext(connection) as few:
        assert services.send_due_deliveries() == 2
    services.emit_many("lead.mql", [(lead.pk, None) for lead in leads])
    with CaptureQueriesContext(connection) as many:
        assert services.send_due_deliveries() == services.CLAIM_SIZE

    assert len(many.captured_queries) == len(few.captured_queries)
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SUCCEEDED}
    delivered = {r["headers"]["X-Accord-Delivery"] for r in receiver.requests}
    assert len(delivered) == len(receiver.requests) == services.CLAIM_SIZE + 2


def test_a_chunks_requests_are_sent_side_by_side(receiver, subscription, monkeypatch):
    # Each request waits until SENDERS of them are in flight: one at a time, the first would
    # wait alone until the barrier gives up, and nothing would be delivered.
    together = threading.Barrier(services.SENDERS, timeout=10)
    post = transport.post

    def post_together(*args):
        together.wait()
        return post(*args)

    monkeypatch.setattr(transport, "post", post_together)
    leads = LeadFactory.create_batch(services.SENDERS)
    services.emit_many("lead.mql", [(lead.pk, None) for lead in leads])

    assert services.send_due_deliveries() == services.SENDERS
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SUCCEEDED}
