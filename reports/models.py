from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.currency import CURRENCY_PATTERN, currency_code


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
                condition=models.Q(currency__regex=CURRENCY_PATTERN),
                name="channelspend_currency_iso",
            ),
        ]

    def __str__(self):
        return f"{self.channel} · {self.month:%Y-%m} · {self.amount} {self.currency}"


class ExchangeRate(models.Model):
    """The current rate from one currency into another, as a manager entered it: one unit of
    `currency` is worth `rate` units of `into`. Entering a new one replaces it; there is no
    history of rates, and amounts themselves are never rewritten."""

    currency = models.CharField(_("currency"), max_length=3, validators=[currency_code])
    into = models.CharField(_("into currency"), max_length=3, validators=[currency_code])
    rate = models.DecimalField(_("rate"), max_digits=18, decimal_places=8)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["into", "currency"]
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        constraints = [
            # Also the index the pipeline report reads the rates into one currency by.
            models.UniqueConstraint(fields=["into", "currency"], name="exchangerate_one_per_pair"),
            models.CheckConstraint(condition=models.Q(rate__gt=0), name="exchangerate_rate_pos"),
            models.CheckConstraint(
                condition=~models.Q(currency=models.F("into")), name="exchangerate_two_currencies"
            ),
            models.CheckConstraint(
                condition=models.Q(currency__regex=CURRENCY_PATTERN)
                & models.Q(into__regex=CURRENCY_PATTERN),
                name="exchangerate_currencies_iso",
            ),
        ]

    def __str__(self):
        return f"1 {self.currency} = {self.rate} {self.into}"
