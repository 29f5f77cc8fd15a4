from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """One row the background worker touches every minute; /healthz reads its age."""

    beat_at = models.DateTimeField(_("last heartbeat"))

    class Meta:
        verbose_name = _("worker heartbeat")

    def __str__(self):
        return f"{self.beat_at:%Y-%m-%d %H:%M:%S}"


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
