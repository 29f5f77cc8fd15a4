from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from leads.models import Activity, Channel, Lead
from notifications.models import Notification
from pages.demo import leads as demo
from pages.demo.handoff import seed_handoffs
from pages.demo.intake import seed_demo_form_keys
from pages.demo.reports import seed_channel_spend
from pages.demo.scoring import seed_scoring
from pages.demo.sla import seed_clocks, seed_team_calendars

DEMO_SOURCE = "demo"


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
        self.seed(options["leads"])

    @transaction.atomic
    def seed(self, lead_count):
        started = timezone.now()
        self.seed_users()
        channels = self.seed_channels()
        leads = self.seed_leads(lead_count, channels)
        self.seed_activities(leads)
        seed_channel_spend(today=timezone.localdate())
        seed_team_calendars()
        # Scoring moves the leads that meet the agreement to MQL and opens their handoffs;
        # the demo queue work then happens on those.
        seed_scoring()
        seed_handoffs()
        seed_clocks()
        seed_demo_form_keys()
        # The demo's notifications wait in each inbox; e-mailing dozens of them to the console
        # at start-up would bury the address and logins that `make run` prints.
        Notification.objects.filter(created_at__gte=started, emailed_at=None).update(
            email_wanted=False
        )
        self.stdout.write(
            f"Demo data in place: {Lead.objects.count()} leads, "
            f"{Activity.objects.count()} activities, {len(demo.DEMO_USERS)} demo users."
        )

    def seed_users(self):
        User = get_user_model()
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
                user.set_password(demo.DEMO_PASSWORD)
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

    def seed_leads(self, count, channels) -> dict[str, Lead]:
        profiles = demo.demo_leads(count)
        existing = {
            lead.email: lead
            for lead in Lead.objects.filter(email__in=[p["email"] for p in profiles])
        }
        for profile in profiles:
            if profile["email"] in existing:
                continue
            created_days_ago = profile.pop("created_days_ago")
            lead = Lead(**{**profile, "channel": channels[profile["channel"]]})
            lead.save()
            # Demo leads arrived over the last months, not all today (reports need the spread).
            lead.created_at = timezone.now() - timedelta(days=created_days_ago)
            Lead.objects.filter(pk=lead.pk).update(created_at=lead.created_at)
            existing[lead.email] = lead
        return existing

    def seed_activities(self, leads):
        rows = demo.demo_activities(list(leads), timezone.now())
        Activity.objects.bulk_create(
            [
                Activity(
                    lead=leads[row["email"]],
                    kind=row["kind"],
                    occurred_at=row["occurred_at"],
                    channel=leads[row["email"]].channel,
                    properties=row["properties"],
                    source=DEMO_SOURCE,
                    external_id=row["external_id"],
                )
                for row in rows
            ],
            ignore_conflicts=True,
            batch_size=1000,
        )
