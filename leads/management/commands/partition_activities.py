from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from leads.partitions import MONTHS_AHEAD, PartitioningRefused, partition_activities


class Command(BaseCommand):
    help = (
        "Turn the activity table into one partitioned by month on PostgreSQL, in one "
        "transaction (ingest waits meanwhile); run again, it adds the coming months. "
        "See docs/scaling.md."
    )

    def handle(self, *args, **options):
        try:
            done = partition_activities(today=timezone.now().date())
        except PartitioningRefused as refused:
            raise CommandError(str(refused)) from None
        if done.already:
            self.stdout.write(
                f"The activity table is partitioned already; {len(done.months)} partitions "
                f"added for the next {MONTHS_AHEAD} months."
            )
        else:
            self.stdout.write(
                f"The activity table is partitioned by month: {done.rows:,} rows moved into "
                f"{len(done.months)} monthly partitions and a default one."
            )
