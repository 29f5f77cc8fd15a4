"""django-q2 entry points: thin, idempotent, taking ids."""

from notifications import emails


def send_notification_email(notification_id: int) -> bool:
    return emails.send_notification_email(notification_id)


def send_waiting_emails() -> int:
    return emails.send_waiting_emails()
