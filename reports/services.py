from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from core.currency import CURRENCY_CODE
from core.errors import ApplicationError
from reports.models import ChannelSpend


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
