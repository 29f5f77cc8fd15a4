from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from leads.partitions import PartitioningRefused, partition_activities


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
                # "Label: number" so that no language needs a plural form of the words.
                _(
                    "The activity table is partitioned already. Partitions added for this "
                    "month and the months ahead: %(added)d."
                )
                % {"added": len(done.months)}
            )
        else:
            self.stdout.write(
                _(
                    "The activity table is partitioned by month. Rows moved: %(rows)d. "
                    "Monthly partitions: %(months)d, and a default one."
                )
                % {"rows": done.rows, "months": len(done.months)}
            )
