from datetime import date
from decimal import Decimal

import pytest

from pages.demo.reports import previous_months, seed_channel_spend, seed_exchange_rates
from reports.models import ChannelSpend, ExchangeRate
from tests.factories import ChannelFactory

pytestmark = pytest.mark.django_db


def test_previous_months_run_back_across_a_year_end():
    assert previous_months(date(2026, 2, 14), 3) == [
        date(2026, 2, 1),
        date(2026, 1, 1),
        date(2025, 12, 1),
    ]


def test_it_enters_months_of_spend_per_channel_once():
    ChannelFactory(), ChannelFactory()

    assert seed_channel_spend(today=date(2026, 11, 25), months=4) == 8
    assert seed_channel_spend(today=date(2026, 11, 25), months=4) == 0
    assert ChannelSpend.objects.filter(amount__gt=0, currency="USD").count() == 8


def test_it_keeps_what_a_marketer_entered():
    channel = ChannelFactory()
    ChannelSpend.objects.create(channel=channel, month=date(2026, 11, 1), amount=7, currency="USD")

    seed_channel_spend(today=date(2026, 11, 25), months=1)

    assert ChannelSpend.objects.get().amount == 7


def test_it_enters_the_rates_once_and_keeps_a_managers_own():
    ExchangeRate.objects.create(currency="THB", into="USD", rate=Decimal("0.03"))

    assert seed_exchange_rates() == 4
    assert seed_exchange_rates() == 0
    assert ExchangeRate.objects.get(currency="THB").rate == Decimal("0.03")
    assert set(ExchangeRate.objects.values_list("into", flat=True)) == {"USD"}
