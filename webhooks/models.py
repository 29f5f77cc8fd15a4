import secrets

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from webhooks import addresses


class Event(models.TextChoices):
    LEAD_MQL = "lead.mql", _("Lead became MQL")
    HANDOFF_ACCEPTED = "handoff.accepted", _("Handoff accepted (SAL)")
    HANDOFF_RETURNED = "handoff.returned", _("Handoff returned")
    LEAD_SQL = "lead.sql", _("Lead became SQL")
    OPPORTUNITY_CREATED = "opportunity.created", _("Opportunity created")
    OPPORTUNITY_WON = "opportunity.won", _("Opportunity won")
    OPPORTUNITY_LOST = "opportunity.lost", _("Opportunity lost")
    SLA_BREACHED = "sla.breached", _("SLA breached")


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


class Subscription(models.Model):
    """Another system that wants to hear about some events, at one URL, signed with a secret."""

    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(
        _("URL"),
        max_length=500,
        validators=[URLValidator(schemes=["http", "https"]), addresses.validate_url],
        help_text=_("An https:// address on the internet; internal addresses are refused."),
    )
    # Shown once, when the subscription is created or the secret rotated; never on a page after.
    secret = models.CharField(_("signing secret"), max_length=100, default=new_secret)
    events = models.JSONField(_("events"), default=list)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(url__startswith="http://")
                | models.Q(url__startswith="https://"),
                name="subscription_url_http",
            ),
        ]

    def __str__(self):
        return self.name


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SUCCEEDED = "succeeded", _("Delivered")
    FAILED = "failed", _("Failed")


class Delivery(models.Model):
    """One event for one subscription and every attempt to send it.

    The row is the source of truth: a pending row is sent by whichever worker claims it first
    (by moving `next_attempt_at` forward in a conditional update), and a row whose worker died
    is claimed again by the periodic sweep once that lease has passed.
    """

    subscription = models.ForeignKey(
        Subscription, models.CASCADE, related_name="deliveries", verbose_name=_("subscription")
    )
    event = models.CharField(_("event"), max_length=40, choices=Event.choices)
    payload = models.JSONField(_("payload"))
    status = models.CharField(
        _("status"), max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(_("last response code"), null=True)
    # What the receiver answered is never kept beyond its status code: only how long it took and,
    # when there was no answer, why (our words, not the receiver's).
    last_duration_ms = models.PositiveIntegerField(_("last duration (ms)"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=DeliveryStatus.values), name="delivery_status_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(status=DeliveryStatus.PENDING)
                | models.Q(next_attempt_at__isnull=False),
                name="delivery_pending_has_next_attempt",
            ),
        ]
        indexes = [
            # Used by webhooks.services.send_due_deliveries (the periodic sweep).
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status=DeliveryStatus.PENDING),
                name="delivery_due_idx",
            ),
            # The subscription page lists its deliveries newest first.
            models.Index(fields=["subscription", "-created_at"], name="delivery_subscription_idx"),
        ]

    def __str__(self):
        return f"{self.event} → {self.subscription}"
