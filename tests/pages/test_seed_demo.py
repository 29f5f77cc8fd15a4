from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts.roles import Role
from handoff.models import Handoff, ReturnReason
from leads.models import Activity, Channel, Lead
from notifications.models import Notification, NotificationKind
from pages.demo.leads import DEMO_PASSWORD, DEMO_USERS
from scoring.models import Agreement, AgreementStatus, SignoffSide

pytestmark = pytest.mark.django_db

# pytest-django runs tests with DEBUG off, where seed_demo wants --force; its refusal is tested
# at the end.


def counts():
    return (
        get_user_model().objects.count(),
        Channel.objects.count(),
        Lead.objects.count(),
        Activity.objects.count(),
    )


def test_seeding_twice_leaves_the_same_counts():
    call_command("seed_demo", leads=40, force=True)
    first = counts()

    with time_machine.travel(timezone.now() + timedelta(days=3, minutes=17)):
        call_command("seed_demo", leads=40, force=True)

    assert counts() == first
    assert first[2] == 40
    assert first[3] > 40


def test_there_is_a_demo_user_for_every_role(client):
    call_command("seed_demo", leads=5, force=True)

    held = set()
    for username in DEMO_USERS:
        user = get_user_model().objects.get(username=username)
        # Axes counts failed logins per request, so authenticate() needs one.
        assert client.login(request=HttpRequest(), username=username, password=DEMO_PASSWORD)
        held |= set(user.groups.values_list("name", flat=True))
    assert held == set(Role.values)


def test_demo_leads_are_multilingual():
    call_command("seed_demo", leads=50, force=True)

    names = " ".join(Lead.objects.values_list("first_name", flat=True))
    assert any("\u0e00" <= char <= "\u0e7f" for char in names)  # Thai
    assert any("\u4e00" <= char <= "\u9fff" for char in names)  # Chinese
    assert any("\u0400" <= char <= "\u04ff" for char in names)  # Cyrillic
    assert any("\u0600" <= char <= "\u06ff" for char in names)  # Arabic


def test_demo_notifications_wait_in_the_inbox_without_email():
    call_command("seed_demo", leads=60, force=True)

    assert Notification.objects.exists()
    assert not Notification.objects.filter(email_wanted=True, emailed_at=None).exists()


def test_a_fresh_demo_tells_the_same_story():
    """Seeded random numbers: the same leads reach the same stages at the same moments."""

    def story():
        moments = ("created_at", "first_touch_at", "accepted_at", "returned_at")
        return sorted(Handoff.objects.values_list("lead__email", "outcome", *moments))

    stories = []
    with time_machine.travel(datetime(2026, 11, 25, 10, 30, tzinfo=UTC), tick=False):
        for _ in range(2):
            with transaction.atomic():
                call_command("seed_demo", leads=60, force=True)
                stories.append(story())
                transaction.set_rollback(True)

    assert stories[0] == stories[1]
    assert len(stories[0]) > 5


def test_it_seeds_a_flushed_database_without_return_reasons():
    ReturnReason.objects.all().delete()

    call_command("seed_demo", leads=60, force=True)

    assert Handoff.objects.filter(outcome="returned", return_reason__isnull=False).exists()


def test_it_refuses_to_run_without_debug(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo", leads=5)

    assert not get_user_model().objects.filter(username="admin").exists()


def test_force_seeds_without_debug(settings):
    settings.DEBUG = False

    call_command("seed_demo", leads=5, force=True)

    assert get_user_model().objects.filter(username="admin").exists()


def test_a_draft_waits_for_sales_to_sign_and_sales_is_told(client):
    call_command("seed_demo", leads=5, force=True)
    call_command("seed_demo", leads=5, force=True)

    (draft,) = Agreement.objects.filter(status=AgreementStatus.DRAFT)
    assert draft.is_submitted
    assert [signoff.side for signoff in draft.signoffs.all()] == [SignoffSide.MARKETING]
    sdr = get_user_model().objects.get(username="sdr")
    assert Notification.objects.filter(
        user=sdr, kind=NotificationKind.AGREEMENT_AWAITS_SIGNATURE
    ).exists()
    client.force_login(get_user_model().objects.get(username="marketer"))
    home = client.get("/").content.decode()
    assert f"v{draft.version}" in home
