"""Telling people about work: an in-app notification, and an e-mail sent after the commit."""

from collections.abc import Iterable

from django.utils import timezone

from core.jobs import prompt_after_commit
from notifications.emails import SWEEP_TASK
from notifications.models import Notification
from notifications.wording import stored_params


def notify(*, user, kind: str, params: dict, url: str = "", email: bool = True) -> Notification:
    """Record a notification for `user`, worded from `kind` and `params` when read or sent
    (notifications/wording.py); its e-mail goes out only if the transaction commits: the row
    is the outbox, and the e-mail sweep is prompted after the commit (notifications/emails.py)."""
    notification = Notification.objects.create(
        user=user,
        kind=kind,
        params=stored_params(params),
        url=url,
        email_wanted=email and bool(user.email),
    )
    if notification.email_wanted:
        prompt_after_commit(SWEEP_TASK)
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
    if any(notification.email_wanted for notification in notifications):
        prompt_after_commit(SWEEP_TASK)
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
