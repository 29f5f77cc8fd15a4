"""Outgoing webhooks: record a delivery per subscriber inside the caller's transaction, send it
after the commit, retry with exponential backoff, and let a manager replay a failed one.

The deliveries are the outbox. Sending is done by one sweep (`send_due_deliveries`), prompted once
per committing transaction and run every minute, never by one task per delivery: a publish that
moves 100,000 leads queues one task. Each delivery is claimed with a lease longer than a
request's total deadline (transport.DEADLINE), sent, then marked; a worker killed in between
leaves the lease to run out and the sweep sends it again, so a receiver sees a delivery at most
twice (de-duplicating on the X-Accord-Delivery header) and never zero times.
"""

import json
import logging
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import Action
from audit.services import (
    record,
    record_changes,
    record_saved,
    recorded_fields,
    snapshot,
    stored,
)
from core.errors import ConflictError
from core.jobs import budget, prompt, prompt_after_commit
from leads.models import Lead
from webhooks import signing, transport
from webhooks.models import Delivery, DeliveryStatus, Event, Subscription, new_secret

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
FIRST_RETRY = timedelta(seconds=30)
LONGEST_WAIT = timedelta(hours=6)
# A claimed delivery belongs to its worker this long (well over a request's total deadline,
# transport.DEADLINE); after it, the sweep takes it back, so a worker that died mid-send loses
# nothing.
LEASE = timedelta(minutes=2)
SWEEP_LIMIT = 500
# Deliveries claimed, sent and recorded together; their requests run SENDERS at a time, so one
# chunk takes at most CLAIM_SIZE / SENDERS request deadlines (2 × 30 s), well inside LEASE.
CLAIM_SIZE = 16
SENDERS = 8
RECORDED_FIELDS = [
    "status",
    "next_attempt_at",
    "last_status_code",
    "last_duration_ms",
    "last_error",
]
# The sweep stops claiming after this long (at most half the worker's task timeout); what is left
# is prompted again at once.
SWEEP_BUDGET = 300  # seconds
SWEEP_TASK = "webhooks.tasks.send_due_deliveries"


def lead_payload(lead) -> dict:
    return {
        "id": lead.pk,
        "email": lead.email,
        "display_name": lead.full_name,
        "first_name": lead.first_name,
        "middle_name": lead.middle_name,
        "last_name": lead.last_name,
        "title": lead.title,
        "organization": lead.organization,
        "country": lead.country.code,
        "stage": lead.stage,
        "status": lead.status,
        "score": lead.score,
        "channel": lead.channel.slug if lead.channel_id else None,
        "owner": lead.owner.get_username() if lead.owner_id else None,
    }


def emit(event: str, *, lead, data: dict | None = None) -> list[Delivery]:
    """Record `event` for every active subscription that wants it; send once the caller commits.

    Call it inside the transaction that made the change: if that rolls back, nothing is sent.
    The lead is read again there, so the payload shows it as that transaction left it.
    """
    return emit_many(event, [(lead.pk, data)])


def emit_many(event: str, occurrences: list[tuple[int, dict | None]]) -> list[Delivery]:
    """`emit` for many leads at once: (lead id, data) each, one delivery per lead and subscriber,
    with the subscriptions and leads read once and the deliveries written in one statement."""
    Event(event)  # an unknown event name is a programming error, not a silent no-op
    subscriptions = [s for s in Subscription.objects.filter(is_active=True) if event in s.events]
    if not subscriptions or not occurrences:
        return []
    leads = Lead.objects.select_related("channel", "owner").in_bulk(
        [lead_id for lead_id, _data in occurrences]
    )
    now = timezone.now()
    payloads = [
        {
            "id": str(uuid.uuid4()),
            "event": event,
            "occurred_at": now.isoformat(),
            "lead": lead_payload(leads[lead_id]),
            "data": data or {},
        }
        for lead_id, data in occurrences
    ]
    deliveries = [
        Delivery(subscription=subscription, event=event, payload=payload, next_attempt_at=now)
        for payload in payloads
        for subscription in subscriptions
    ]
    Delivery.objects.bulk_create(deliveries)
    prompt_after_commit(SWEEP_TASK)
    return deliveries


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, 4 min … after each failed attempt, at most 6 h."""
    return min(FIRST_RETRY * 2 ** (attempts - 1), LONGEST_WAIT)


def body_of(delivery: Delivery) -> bytes:
    return json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode()


def send_delivery(delivery_id: int, *, now: datetime | None = None) -> Delivery | None:
    """Send one due delivery if this worker claims it; None when it is not due or taken."""
    now = now or timezone.now()
    sent = _send_claimed(_claim([delivery_id], now), now)
    return sent[0] if sent else None


def _claim(delivery_ids: list[int], now: datetime) -> list[Delivery]:
    """Take the due ones of `delivery_ids` for LEASE, each by a conditional update that only one
    worker can win (a second finds it no longer due), and read them with their subscriptions.

    The rows are locked first, skipping those another sweep holds (PostgreSQL; SQLite writes
    one transaction at a time), so two sweeps over the same due list share it out instead of
    waiting on each other row by row."""
    due = Delivery.objects.filter(
        pk__in=delivery_ids, status=DeliveryStatus.PENDING, next_attempt_at__lte=now
    )
    with transaction.atomic():
        mine = list(due.select_for_update(skip_locked=True).values_list("pk", flat=True))
        due.filter(pk__in=mine).update(
            next_attempt_at=now + LEASE, attempts=F("attempts") + 1, last_attempt_at=now
        )
    return list(Delivery.objects.filter(pk__in=mine).select_related("subscription").order_by("pk"))


def _post(delivery: Delivery) -> transport.Response:
    subscription = delivery.subscription
    if not subscription.is_active:
        return transport.Response(None, None, _("The subscription is inactive."))
    body = body_of(delivery)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Accord-Webhooks/1.0",
        "X-Accord-Event": delivery.event,
        "X-Accord-Delivery": str(delivery.pk),
        signing.HEADER: signing.sign(subscription.secret, body),
    }
    return transport.post(subscription.url, body, headers)


def _send_claimed(deliveries: list[Delivery], now: datetime) -> list[Delivery]:
    """POST claimed deliveries, SENDERS at a time, then record every answer in one statement.

    Only the HTTP requests run in threads (each waits on a receiver, not on Python); reading and
    writing stay in the caller's thread and connection. A worker killed after sending and
    before recording sends those deliveries once more when their lease ends: at most twice,
    never zero times."""
    if not deliveries:
        return []
    if len(deliveries) == 1:
        responses = [_post(deliveries[0])]
    else:
        with ThreadPoolExecutor(max_workers=min(SENDERS, len(deliveries))) as senders:
            responses = list(senders.map(_post, deliveries))
    for delivery, response in zip(deliveries, responses, strict=True):
        if response.ok:
            delivery.status, delivery.next_attempt_at = DeliveryStatus.SUCCEEDED, None
        elif delivery.attempts >= MAX_ATTEMPTS or not delivery.subscription.is_active:
            delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED, None
        else:
            delivery.next_attempt_at = now + backoff(delivery.attempts)
        delivery.last_status_code = response.status_code
        delivery.last_duration_ms = response.duration_ms
        delivery.last_error = response.error[:300]
        logger.info(
            "webhook %s #%s to %s: attempt %s, answer %s, now %s",
            delivery.event,
            delivery.pk,
            delivery.subscription.url,
            delivery.attempts,
            response.status_code,
            delivery.status,
        )
    Delivery.objects.bulk_update(deliveries, RECORDED_FIELDS)
    return deliveries


def send_due_deliveries(*, now: datetime | None = None) -> int:
    """The sweep: send every pending delivery that is due, including ones a dead worker left.

    Idempotent and failure-isolated: deliveries are claimed CLAIM_SIZE at a time, each claim
    only one worker can win, and a chunk that raises does not stop the others. It works through
    SWEEP_LIMIT deliveries at a time until none is due or its budget is spent; what is left then
    is prompted again at once.
    """
    now = now or timezone.now()
    due = Delivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
    sent, deadline = 0, time.monotonic() + budget(SWEEP_BUDGET)
    while True:
        batch = list(
            due.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:SWEEP_LIMIT]
        )
        for start in range(0, len(batch), CLAIM_SIZE):
            if time.monotonic() > deadline:
                prompt(SWEEP_TASK)
                return sent
            chunk = batch[start : start + CLAIM_SIZE]
            try:
                sent += len(_send_claimed(_claim(chunk, now), now))
            except Exception:
                logger.exception("webhook deliveries %s could not be sent", chunk)
        if len(batch) < SWEEP_LIMIT:
            return sent


def replay(*, delivery: Delivery) -> Delivery:
    """Send a failed delivery again, with a fresh set of attempts."""
    now = timezone.now()
    reset = Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.FAILED).update(
        status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=now
    )
    if reset != 1:
        raise ConflictError(_("Only a failed delivery can be replayed."))
    prompt_after_commit(SWEEP_TASK)
    delivery.refresh_from_db()
    return delivery


# Never the secret (audit.services leaves it out of every record too).
SUBSCRIPTION_FIELDS = recorded_fields(Subscription, exclude=["secret", "created_by"])


def save_subscription(*, subscription: Subscription, user=None) -> Subscription:
    """Create or edit a subscription; known events only, and a URL `addresses` allows (https,
    unless WEBHOOKS_ALLOW_HTTP, to a host that resolves to public addresses only)."""
    if subscription.pk is None:
        subscription.created_by = user
    subscription.events = [event for event in Event.values if event in subscription.events]
    subscription.full_clean()
    with transaction.atomic():
        before = stored(subscription, SUBSCRIPTION_FIELDS)
        subscription.save()
        record_saved(subscription, before, SUBSCRIPTION_FIELDS, actor=user)
    return subscription


@transaction.atomic
def delete_subscription(*, subscription: Subscription, user=None) -> None:
    """Delete a subscription and its delivery log; the audit trail keeps what it was."""
    record_changes(subscription, snapshot(subscription, SUBSCRIPTION_FIELDS), {}, actor=user,
                   action=Action.DELETED)  # fmt: skip
    subscription.delete()


def rotate_secret(*, subscription: Subscription, user=None) -> str:
    """Give the subscription a new signing secret and return it, the one time it is shown.

    Every request sent from now on, retries of older deliveries included, is signed with it.
    """
    secret = new_secret()
    with transaction.atomic():
        Subscription.objects.filter(pk=subscription.pk).update(secret=secret)
        record(subscription, Action.SECRET_ROTATED, actor=user)
    subscription.secret = secret
    logger.info("webhook subscription %s: signing secret rotated", subscription.pk)
    return secret
