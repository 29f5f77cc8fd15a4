"""E-mailing notifications through their own rows: the notification is the outbox.

A notification wanting an e-mail is written by the transaction that caused it. Sending claims it
with a lease (`email_lease_until`), sends, then marks it sent (`emailed_at`), each step committed
on its own, so no transaction stays open while the mail server answers. A worker killed before
the mark leaves a lease that runs out; the sweep then sends the message again: at most one
duplicate, never a lost message. A send that fails gives the lease back at once.
"""

import logging
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.preferences import language_of
from core.jobs import budget, prompt
from notifications.models import Notification
from notifications.wording import word

logger = logging.getLogger(__name__)

# Longer than the mail server's timeout (EMAIL_TIMEOUT, 30 s), so a slow send keeps its claim.
LEASE = timedelta(minutes=2)
SWEEP_LIMIT = 1000
# The sweep stops claiming after this long (at most half the worker's task timeout); what is left
# is prompted again at once.
SWEEP_BUDGET = 240  # seconds
SWEEP_TASK = "notifications.tasks.send_waiting_emails"


def unsent(now: datetime):
    """Notifications whose e-mail is wanted, not sent, and not claimed by a live sender."""
    return Notification.objects.filter(
        Q(email_lease_until__isnull=True) | Q(email_lease_until__lt=now),
        email_wanted=True,
        emailed_at__isnull=True,
    )


def send_notification_email(notification_id: int, *, now: datetime | None = None) -> bool:
    """E-mail one notification if this call claims it; False when sent or claimed already."""
    now = now or timezone.now()
    claimed = unsent(now).filter(pk=notification_id).update(email_lease_until=now + LEASE)
    if claimed != 1:
        return False
    notification = Notification.objects.select_related("user").get(pk=notification_id)
    # The worker has no reader: subject and body are in the recipient's language.
    with translation.override(language_of(notification.user)):
        body = word(notification.kind, notification.params)
        if notification.url:
            body += "\n\n" + notification.url
        subject = _("Accord: %(kind)s") % {"kind": notification.get_kind_display()}
    try:
        send_mail(
            subject=subject,
            message=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[notification.user.email],
        )
    except Exception:
        Notification.objects.filter(pk=notification_id).update(email_lease_until=None)
        raise
    Notification.objects.filter(pk=notification_id).update(emailed_at=timezone.now())
    return True


def send_waiting_emails(*, now: datetime | None = None) -> int:
    """The sweep (queued after each commit that wants e-mails, and every minute): send every
    unsent, unclaimed e-mail, including those a killed worker left; one failure stops no other."""
    now = now or timezone.now()
    sent, deadline = 0, time.monotonic() + budget(SWEEP_BUDGET)
    waiting = unsent(now).order_by("pk").values_list("pk", flat=True)[:SWEEP_LIMIT]
    for notification_id in waiting:
        if time.monotonic() > deadline:
            prompt(SWEEP_TASK)
            break
        try:
            sent += send_notification_email(notification_id, now=now)
        except Exception:
            logger.exception(
                "E-mail of notification %s failed; the sweep retries it.", notification_id
            )
    return sent
