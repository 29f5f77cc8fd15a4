"""Demo channel spend, so channel economics has costs to show, and exchange rates, so the
pipeline report adds the demo's deals up in one currency."""

import zlib
from datetime import date, timedelta
from decimal import Decimal

from leads.models import Channel
from reports.filters import month_start
from reports.models import ChannelSpend, ExchangeRate

DEMO_CURRENCY = "USD"
# Monthly spend by channel kind; free channels (referrals, nurture email) still cost tooling.
MONTHLY_BASE = {
    "paid": 6000,
    "event": 4500,
    "inbound_form": 1800,
    "outbound_list": 1200,
    "interaction": 600,
    "referral": 400,
}


def previous_months(today: date, count: int) -> list[date]:
    months, month = [], month_start(today)
    for _ in range(count):
        months.append(month)
        month = month_start(month - timedelta(days=1))
    return months


def seed_channel_spend(*, today: date, months: int = 4) -> int:
    """Spend for every channel over the last `months` months; what is already there is kept.

    Returns how many rows were added (0 on a second run).
    """
    rows = [
        ChannelSpend(
            channel=channel,
            month=month,
            currency=DEMO_CURRENCY,
            # Stable per channel and month, and varied enough to make the chart worth reading.
            amount=Decimal(MONTHLY_BASE.get(channel.kind, 500))
            + Decimal(zlib.crc32(f"{channel.slug}:{month}".encode()) % 900),
        )
        for channel in Channel.objects.all()
        for month in previous_months(today, months)
    ]
    before = ChannelSpend.objects.count()
    ChannelSpend.objects.bulk_create(rows, ignore_conflicts=True)
    return ChannelSpend.objects.count() - before


# One unit of each currency the demo's deals are priced in (pages/demo/handoff.py), in USD.
DEMO_RATES = {
    "EUR": Decimal("1.08"),
    "THB": Decimal("0.0285"),
    "CNY": Decimal("0.138"),
    "RUB": Decimal("0.0112"),
    "AED": Decimal("0.2723"),
}


def seed_exchange_rates() -> int:
    """The rates into the demo's reporting currency; a rate already there (a manager may have
    changed it) is kept. Returns how many were added."""
    before = ExchangeRate.objects.count()
    ExchangeRate.objects.bulk_create(
        [
            ExchangeRate(currency=code, into=DEMO_CURRENCY, rate=rate)
            for code, rate in DEMO_RATES.items()
        ],
        ignore_conflicts=True,
    )
    return ExchangeRate.objects.count() - before
