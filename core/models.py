from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class WorkerHeartbeat(models.Model):
    """One row per queue that its cluster touches every minute (the main queue's and the SLA
    queue's, each run by its own cluster); /healthz reads each one's age."""

    # The django-q2 cluster name: Q_CLUSTER["name"] for the main queue, SLA_QUEUE for the SLA's.
    queue = models.CharField(
        pgettext_lazy("background task queue", "queue"), max_length=100, unique=True
    )
    beat_at = models.DateTimeField(_("last heartbeat"))

    class Meta:
        verbose_name = _("worker heartbeat")

    def __str__(self):
        return f"{self.queue}: {self.beat_at:%Y-%m-%d %H:%M:%S}"


class WindowCounter(models.Model):
    """How many times something happened in one fixed window (core.counters), when there is no
    Redis to count in. The key names the window, so rows are only ever added to and forgotten."""

    key = models.CharField(_("key"), max_length=250, unique=True)
    hits = models.PositiveIntegerField(_("hits"))
    # When the window ends, in seconds since the epoch: what the periodic clean-up compares.
    ends_at = models.BigIntegerField(_("ends at"), db_index=True)

    class Meta:
        verbose_name = _("window counter")

    def __str__(self):
        return f"{self.key}: {self.hits}"
