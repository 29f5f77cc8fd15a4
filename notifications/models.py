from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    LEAD_ASSIGNED = "lead_assigned", _("Lead assigned")
    LEAD_RETURNED = "lead_returned", _("Lead returned")
    SQL_HANDED_OVER = "sql_handed_over", _("SQL handed over")
    OPPORTUNITY_HANDED_OVER = "opportunity_handed_over", _("Opportunity handed over")
    SLA_ESCALATION = "sla_escalation", _("SLA escalation")
    SLA_AT_RISK = "sla_at_risk", _("SLA at risk")
    SLA_BREACHED = "sla_breached", _("SLA breached")
    AGREEMENT_AWAITS_SIGNATURE = "agreement_awaits_signature", _("Agreement awaits signature")
    OTHER = "other", _("Other")


class Notification(models.Model):
    """One message to one person: shown in the app until read, and optionally e-mailed once.

    It keeps its kind and parameters, not words: it is worded when read or sent, in the
    reader's language (notifications/wording.py)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=40, choices=NotificationKind.choices)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    email_wanted = models.BooleanField(_("send by email"), default=True)
    # Set once the e-mail has gone, so a rerun sends nothing twice (notifications/emails.py).
    emailed_at = models.DateTimeField(_("emailed at"), null=True, blank=True)
    # Until then, the sender that claimed the e-mail owns it until this moment.
    email_lease_until = models.DateTimeField(_("e-mail claimed until"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=NotificationKind.values),
                name="notification_kind_valid",
            ),
        ]
        indexes = [
            # The notification list: a user's notifications newest first.
            models.Index(fields=["user", "-created_at"], name="notification_user_idx"),
            # The e-mail sweep: notifications whose e-mail has not gone yet.
            models.Index(
                fields=["id"],
                condition=models.Q(email_wanted=True, emailed_at__isnull=True),
                name="notification_unsent_idx",
            ),
            # The unread badge in the header.
            models.Index(
                fields=["user"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread_idx",
            ),
        ]

    def __str__(self):
        return self.text

    @property
    def text(self) -> str:
        """Worded in the active language (a page's: the reader's own)."""
        from notifications.wording import word  # wording reads the kinds defined here

        return word(self.kind, self.params)

    @property
    def html(self) -> str:
        """`text` for a page: escaped, names isolated in <bdi>."""
        from notifications.wording import word_html

        return word_html(self.kind, self.params)
