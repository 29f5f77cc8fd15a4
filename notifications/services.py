"""Telling people about work: an in-app notification, and an e-mail sent after the commit."""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django_q.tasks import async_task

from notifications.models import Notification
from notifications.wording import stored_params


def notify(*, user, kind: str, params: dict, url: str = "", email: bool = True) -> Notification:
    """Record a notification for `user`, worded from `kind` and `params` when read or sent
    (notifications/wording.py); its e-mail goes out only if the transaction commits."""
    notification = Notification.objects.create(
        user=user,
        kind=kind,
        params=stored_params(params),
        url=url,
        email_wanted=email and bool(user.email),
    )
    if notification.email_wanted:
        transaction.on_commit(
            lambda: async_task("notifications.tasks.send_notification_email", notification.pk)
        )
    return notification


def notify_each(items: Iterable[tuple]) -> list[Notification]:
    """`notify` for many (user, kind, params, url) at once: one INSERT, e-mails after commit."""
    notifications = Notification.objects.bulk_create(
        Notification(
            user=user,
            kind=kind,
            params=stored_params(params),
            url=url,
            email_wanted=bool(user.email),
        )
        for user, kind, params, url in items
    )
    emailed = [notification.pk for notification in notifications if notification.email_wanted]

    def send_emails():
        for pk in emailed:
            async_task("notifications.tasks.send_notification_email", pk)

    if emailed:
        transaction.on_commit(send_emails)
    return notifications


def notify_many(*, users, kind: str, params: dict, url: str = "", email: bool = True) -> None:
    for user in users:
        notify(user=user, kind=kind, params=params, url=url, email=email)


def mark_read(*, user, notification_ids: list[int] | None = None, now=None) -> int:
    """Mark the user's notifications read (all unread ones when no ids are given)."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    return unread.update(read_at=now or timezone.now())
