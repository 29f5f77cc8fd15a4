from django.core.management.base import BaseCommand
from django.utils import timezone
from django_q.models import Schedule

from core.schedules import PERIODIC_TASKS

PREFIX = "accord: "


class Command(BaseCommand):
    help = "Create or update Accord's periodic tasks (idempotent; safe to run on every deploy)."

    def handle(self, *args, **options):
        names = []
        for entry in PERIODIC_TASKS:
            spec = dict(entry)
            name = PREFIX + spec.pop("name")
            names.append(name)
            schedule, created = Schedule.objects.update_or_create(name=name, defaults=spec)
            if created:
                schedule.next_run = timezone.now()
                schedule.save(update_fields=["next_run"])
        # A task dropped from PERIODIC_TASKS stops running.
        Schedule.objects.filter(name__startswith=PREFIX).exclude(name__in=names).delete()
        self.stdout.write(f"{len(names)} periodic tasks in place.")
