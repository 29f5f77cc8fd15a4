"""django-q2 entry points: thin, idempotent, taking ids."""

from django.utils import timezone

from leads.partitions import prepare_partitions


def prepare_activity_partitions() -> None:
    """Daily: the coming months' activity partitions, before their first event arrives (does
    nothing unless the table is partitioned; leads.partitions)."""
    prepare_partitions(today=timezone.now().date())
