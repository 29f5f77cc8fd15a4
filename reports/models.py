from django.db import models
from django.utils.translation import gettext_lazy as _


class ChannelSpend(models.Model):
    """What marketing spent on one channel in one month, in one currency (never converted)."""

    channel = models.ForeignKey(
        "leads.Channel", models.CASCADE, related_name="spend", verbose_name=_("channel")
    )
    # The first day of the month the money was spent in.
    month = models.DateField(_("month"))
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, help_text=_("ISO 4217, e.g. USD"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-month", "channel__name", "currency"]
        verbose_name = _("channel spend")
        verbose_name_plural = _("channel spend")
        constraints = [
            # Also the index the spend grid and channel economics read by (month, then channel).
            models.UniqueConstraint(
                fields=["month", "channel", "currency"], name="channelspend_once_per_month"
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="channelspend_amount_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(month__day=1), name="channelspend_month_first_day"
            ),
            models.CheckConstraint(
                condition=models.Q(currency__regex=r"^[A-Z]{3}$"),
                name="channelspend_currency_iso",
            ),
        ]

    def __str__(self):
        return f"{self.channel} · {self.month:%Y-%m} · {self.amount} {self.currency}"
