from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from notifications import emails
from notifications.emails import send_waiting_emails
from notifications.models import Notification
from notifications.selectors import unread_count
from notifications.services import mark_read, notify
from notifications.tasks import send_notification_email

pytestmark = pytest.mark.django_db


def test_notify_queues_the_email_after_commit(sdr, django_capture_on_commit_callbacks, monkeypatch):
    queued = []
    monkeypatch.setattr("core.jobs.async_task", lambda *args: queued.append(args))

    with django_capture_on_commit_callbacks(execute=True):
        notify(user=sdr, kind="lead_assigned", params={"lead": "Ana Ruiz"}, url="/x/")
        assert queued == []

    assert queued == [("notifications.tasks.send_waiting_emails",)]


def test_no_email_is_queued_when_not_wanted_or_without_an_address(
    sdr, make_user, django_capture_on_commit_callbacks
):
    nobody = make_user()
    nobody.email = ""
    nobody.save()

    with django_capture_on_commit_callbacks() as callbacks:
        notify(user=sdr, kind="other", params={"text": "Quiet"}, email=False)
        notify(user=nobody, kind="other", params={"text": "No address"})

    assert callbacks == []


def test_the_email_goes_out_once_even_if_the_task_runs_twice(sdr):
    notification = notify(user=sdr, kind="other", params={"text": "Returned: Ana"}, url="/leads/1/")

    assert send_notification_email(notification.pk) is True
    assert send_notification_email(notification.pk) is False

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [sdr.email]
    assert "Returned: Ana" in mail.outbox[0].body


def test_a_failed_send_is_retried(sdr, monkeypatch):
    notification = notify(user=sdr, kind="other", params={"text": "Hello"})

    def smtp_down(**kwargs):
        raise OSError("SMTP down")

    with monkeypatch.context() as patched:
        patched.setattr("notifications.emails.send_mail", smtp_down)
        with pytest.raises(OSError):
            send_notification_email(notification.pk)

    assert Notification.objects.get().emailed_at is None
    assert send_notification_email(notification.pk) is True


def test_unread_count_and_mark_read(sdr):
    first = notify(user=sdr, kind="other", params={"text": "One"}, email=False)
    notify(user=sdr, kind="other", params={"text": "Two"}, email=False)

    assert unread_count(user=sdr) == 2
    mark_read(user=sdr, notification_ids=[first.pk])
    assert unread_count(user=sdr) == 1
    mark_read(user=sdr)
    assert unread_count(user=sdr) == 0


def test_the_list_page_the_badge_and_marking_read(client, sdr, marketer):
    notify(user=sdr, kind="lead_assigned", params={"lead": "Ana Ruiz"}, email=False)
    notify(user=marketer, kind="other", params={"text": "Not for Sam"}, email=False)
    client.force_login(sdr)

    page = client.get(reverse("notifications:list"))
    badge = client.get(reverse("notifications:badge"))
    client.post(reverse("notifications:read"))

    assert b"A lead is yours in the queue: <bdi>Ana Ruiz</bdi>" in page.content
    assert b"Not for Sam" not in page.content
    assert b">1<" in badge.content
    assert unread_count(user=sdr) == 0
    assert unread_count(user=marketer) == 1


def test_a_user_without_a_role_cannot_open_the_list(client_as):
    assert client_as().get(reverse("notifications:list")).status_code == 403


def test_anonymous_people_are_sent_to_log_in(client):
    assert client.get(reverse("notifications:list")).status_code == 302


def test_an_email_whose_sender_died_before_marking_it_is_sent_again_once_by_the_sweep(
    sdr, monkeypatch
):
    """Killed between sending and marking: the lease runs out, the sweep sends it again; a
    duplicate at most, never a lost message."""
    notification = notify(user=sdr, kind="other", params={"text": "Hello"})
    now = timezone.now()

    def killed_after_sending(**kwargs):
        mail.outbox.append(kwargs)
        raise SystemExit  # the worker dies before the mark; nothing gives the lease back

    with monkeypatch.context() as patched:
        patched.setattr("notifications.emails.send_mail", killed_after_sending)
        with pytest.raises(SystemExit):
            send_notification_email(notification.pk)

    assert send_waiting_emails(now=now + emails.LEASE - timedelta(seconds=1)) == 0
    assert send_waiting_emails(now=now + emails.LEASE + timedelta(seconds=1)) == 1
    assert send_waiting_emails(now=now + 3 * emails.LEASE) == 0
    assert len(mail.outbox) == 2
    assert Notification.objects.get().emailed_at is not None


def test_the_sweep_sends_an_email_whose_prompt_was_lost(sdr):
    notify(user=sdr, kind="other", params={"text": "One"})
    notify(user=sdr, kind="other", params={"text": "Two"}, email=False)

    assert send_waiting_emails() == 1
    assert send_waiting_emails() == 0
    assert len(mail.outbox) == 1
