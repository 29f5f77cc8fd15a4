from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """One row the background worker touches every minute; /healthz reads its age."""

    beat_at = models.DateTimeField(_("last heartbeat"))

    class Meta:
        verbose_name = _("worker heartbeat")

    def __str__(self):
        return f"{self.beat_at:%Y-%m-%d %H:%M:%S}"
