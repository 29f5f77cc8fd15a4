"""Demo channel spend: a few months per channel, so channel economics has costs to show."""

import zlib
from datetime import date, timedelta
from decimal import Decimal

from leads.models import Channel
from reports.filters import month_start
from reports.models import ChannelSpend

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
