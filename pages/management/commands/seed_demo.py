import logging
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from handoff.models import Handoff, Outcome, ReturnReason
from handoff.reasons import seed_default_reasons
from leads.activities import NewActivity, store_activities
from leads.models import Activity, Channel, Lead
from pages.demo import leads as demo
from pages.demo.history import WEEKS, seed_history
from pages.demo.intake import seed_demo_form_keys
from pages.demo.reports import seed_channel_spend, seed_exchange_rates
from pages.demo.scoring import seed_agreement, seed_draft_awaiting_signature, seed_scoring
from pages.demo.sla import seed_team_calendars
from sla.services import advance_clocks


@contextmanager
def quiet_task_queue():
    """django-q2 logs every task it queues ("Enqueued [accord] 12"), and the demo's past queues
    one per decision when it commits; the command says what it seeded instead."""
    queue_log = logging.getLogger("django-q")
    level = queue_log.level
    queue_log.setLevel(logging.WARNING)
    try:
        yield
    finally:
        queue_log.setLevel(level)


@contextmanager
def addresses_held_back():
    """The demo's people without their e-mail addresses for a while: notify() queues an e-mail
    only for someone with an address, and the demo writes hundreds of notifications at once (its
    whole past). They wait in the inboxes; e-mailing them to the console at start-up would bury
    the address and logins that `make run` prints."""
    people = get_user_model().objects.filter(username__in=demo.DEMO_USERS)
    addresses = dict(people.values_list("pk", "email"))
    people.update(email="")
    yield
    for pk, email in addresses.items():
        get_user_model().objects.filter(pk=pk).update(email=email)


class Command(BaseCommand):
    help = "Load demo users, channels, leads and activities. Running it again changes nothing."

    def add_arguments(self, parser):
        parser.add_argument("--leads", type=int, default=300, help="How many demo leads.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Seed even with DEBUG off (the demo users share one published password).",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                _(
                    "DEBUG is off, so this looks like a real installation: the demo users, "
                    "including an administrator, share a published password. Run with DEBUG=1, "
                    "or pass --force if you really want demo data here."
                )
            )
        with quiet_task_queue():
            self.seed(options["leads"])

    @transaction.atomic
    def seed(self, lead_count):
        now = timezone.now()
        self.seed_users()
        channels = self.seed_channels()
        leads = self.seed_leads(lead_count, channels, now)
        self.seed_activities(leads, now)
        seed_channel_spend(today=timezone.localdate(now))
        seed_exchange_rates()
        seed_team_calendars()
        seed_agreement()
        # The data migration seeds the reasons; a flushed database (transactional tests) has none.
        seed_default_reasons(ReturnReason)
        with addresses_held_back():
            # The past weeks through the queue, then every lead scored and every clock scanned
            # as of now, as the worker would.
            seed_history(now=now)
            seed_scoring()
            advance_clocks(now=timezone.now())
        seed_demo_form_keys()
        with addresses_held_back():
            seed_draft_awaiting_signature()
        handoffs = Handoff.objects.all()
        self.stdout.write(
            f"Demo data in place: {Lead.objects.count()} leads, "
            f"{Activity.objects.count()} activities, {len(demo.DEMO_USERS)} demo users, "
            f"{handoffs.count()} handoffs over the last {WEEKS} weeks "
            f"({handoffs.filter(outcome=Outcome.OPEN).count()} in the queue now)."
        )

    def seed_users(self):
        User = get_user_model()
        # One hash for all: hashing is slow on purpose, and the password is published anyway.
        password = None
        for username, (first, last, roles) in demo.DEMO_USERS.items():
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@example.com",
                },
            )
            if created:
                password = password or make_password(demo.DEMO_PASSWORD)
                user.password = password
            # The demo administrator holds the admin role as a real one would: staff for the
            # Django admin, not a superuser (who would hold every role and bypass the admin's
            # limits). Set on every run so that older demo databases lose the superuser.
            user.is_staff = "admin" in roles
            user.is_superuser = False
            user.save()
            user.groups.add(*Group.objects.filter(name__in=roles))

    def seed_channels(self) -> dict[str, Channel]:
        channels = {}
        for name, slug, kind in demo.CHANNELS:
            channels[slug], _ = Channel.objects.get_or_create(
                slug=slug, defaults={"name": name, "kind": kind}
            )
        return channels

    def seed_leads(self, count, channels, now) -> dict[str, Lead]:
        """The demo leads by email, in the order of their profiles (their activities' ids
        follow it)."""
        profiles = demo.demo_leads(count)
        existing = {
            lead.email: lead
            for lead in Lead.objects.filter(email__in=[p["email"] for p in profiles])
        }
        leads = {}
        for profile in profiles:
            if profile["email"] in existing:
                leads[profile["email"]] = existing[profile["email"]]
                continue
            created_days_ago = profile.pop("created_days_ago")
            lead = Lead(**{**profile, "channel": channels[profile["channel"]]})
            lead.save()
            # Demo leads arrived over the last months, not all today (reports need the spread).
            lead.created_at = lead.stage_changed_at = now - timedelta(days=created_days_ago)
            Lead.objects.filter(pk=lead.pk).update(
                created_at=lead.created_at, stage_changed_at=lead.created_at
            )
            leads[lead.email] = lead
        return leads

    def seed_activities(self, leads, now):
        rows = demo.demo_activities([(lead.email, lead.created_at) for lead in leads.values()], now)
        # Each under its key, so a second run stores none again.
        store_activities(
            [
                NewActivity(
                    leads[row["email"]].pk,
                    row["kind"],
                    row["occurred_at"],
                    leads[row["email"]].channel_id,
                    row["properties"],
                    row["external_id"],
                )
                for row in rows
            ],
            source=demo.DEMO_SOURCE,
            now=now,
        )
