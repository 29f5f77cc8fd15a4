from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.capabilities import require
from core.currency import CURRENCY_CODE
from core.errors import ApplicationError
from reports.models import ChannelSpend, ExchangeRate

# ExchangeRate.rate is Decimal(18, 8): eight places, below 10**10.
RATE_PLACES = Decimal("0.00000001")
RATE_LIMIT = Decimal(10) ** 10


@transaction.atomic
def channel_spend_save(*, month: date, currency: str, amounts: dict[int, Decimal | None]) -> None:
    """Set one month's spend per channel id in `currency`; None clears a channel's entry.

    Saved as a whole or not at all: one bulk upsert and one delete in a transaction.
    """
    if month.day != 1:
        raise ApplicationError(_("Spend is entered per month."), extra={"month": [str(month)]})
    if not CURRENCY_CODE.match(currency):
        raise ApplicationError(
            _("Use a three-letter currency code such as USD, EUR or THB."),
            extra={"currency": [currency]},
        )
    negative = [channel_id for channel_id, amount in amounts.items() if amount and amount < 0]
    if negative:
        raise ApplicationError(_("Spend cannot be negative."), extra={"channels": negative})
    entered = {channel_id: amount for channel_id, amount in amounts.items() if amount is not None}
    ChannelSpend.objects.filter(
        month=month,
        currency=currency,
        channel_id__in=[channel_id for channel_id in amounts if channel_id not in entered],
    ).delete()
    ChannelSpend.objects.bulk_create(
        [
            ChannelSpend(channel_id=channel_id, month=month, currency=currency, amount=amount)
            for channel_id, amount in entered.items()
        ],
        update_conflicts=True,
        unique_fields=["month", "channel", "currency"],
        update_fields=["amount", "updated_at"],
    )


def _currency_pair(currency: str, into: str) -> None:
    for name, code in (("currency", currency), ("into", into)):
        if not CURRENCY_CODE.match(code):
            message = _("Use a three-letter currency code such as USD, EUR or THB.")
            raise ApplicationError(message, extra={name: [message]})
    if currency == into:
        message = _("A currency converts into itself at 1; pick two different currencies.")
        raise ApplicationError(message, extra={"into": [message]})


def exchange_rate_set(*, user, currency: str, into: str, rate: Decimal) -> ExchangeRate:
    """Make `rate` the current rate of one `currency` in `into`, replacing the one before.

    The rate is rounded half-even to the eight places stored. One upsert, so two managers
    entering the same pair at once leave one row, the last one written.
    """
    require(user, "reports.exchange_rates")
    _currency_pair(currency, into)
    rate = Decimal(rate)
    if rate.is_finite() and 0 < rate < RATE_LIMIT:
        rate = rate.quantize(RATE_PLACES, rounding=ROUND_HALF_EVEN)
    if not rate.is_finite() or not 0 < rate < RATE_LIMIT:
        message = _("A rate is a positive number below 10,000,000,000 (eight decimal places).")
        raise ApplicationError(message, extra={"rate": [message]})
    (saved,) = ExchangeRate.objects.bulk_create(
        [ExchangeRate(currency=currency, into=into, rate=rate, updated_by=user)],
        update_conflicts=True,
        unique_fields=["into", "currency"],
        update_fields=["rate", "updated_by", "updated_at"],
    )
    return saved


def exchange_rate_remove(*, user, currency: str, into: str) -> bool:
    """Remove the rate of `currency` in `into`; False when there was none."""
    require(user, "reports.exchange_rates")
    deleted, _rows = ExchangeRate.objects.filter(currency=currency, into=into).delete()
    return bool(deleted)
