from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from core.errors import ApplicationError
from reports.models import ChannelSpend
from reports.services import channel_spend_save
from tests.factories import ChannelFactory

pytestmark = pytest.mark.django_db
NOVEMBER = date(2026, 11, 1)


def spend():
    return {
        (row.channel_id, row.month, row.currency): row.amount for row in ChannelSpend.objects.all()
    }


def test_it_saves_a_months_spend_per_channel():
    first, second = ChannelFactory(), ChannelFactory()

    channel_spend_save(
        month=NOVEMBER, currency="USD", amounts={first.pk: Decimal("1200.50"), second.pk: None}
    )

    assert spend() == {(first.pk, NOVEMBER, "USD"): Decimal("1200.50")}


def test_saving_again_updates_and_an_empty_cell_clears():
    first, second = ChannelFactory(), ChannelFactory()
    channel_spend_save(month=NOVEMBER, currency="USD", amounts={first.pk: 10, second.pk: 20})

    channel_spend_save(month=NOVEMBER, currency="USD", amounts={first.pk: 15, second.pk: None})

    assert spend() == {(first.pk, NOVEMBER, "USD"): Decimal("15.00")}


def test_other_months_and_currencies_are_left_alone():
    channel = ChannelFactory()
    channel_spend_save(month=NOVEMBER, currency="EUR", amounts={channel.pk: 7})
    channel_spend_save(month=date(2026, 10, 1), currency="USD", amounts={channel.pk: 8})

    channel_spend_save(month=NOVEMBER, currency="USD", amounts={channel.pk: None})

    assert len(spend()) == 2


@pytest.mark.parametrize(
    ("month", "currency", "amount", "message"),
    [
        (date(2026, 11, 2), "USD", 1, "Spend is entered per month."),
        (NOVEMBER, "usd", 1, "Use a three-letter currency code such as USD, EUR or THB."),
        (NOVEMBER, "USD", -1, "Spend cannot be negative."),
    ],
)
def test_it_refuses_bad_input_and_saves_nothing(month, currency, amount, message):
    channel, other = ChannelFactory(), ChannelFactory()

    with pytest.raises(ApplicationError, match=message):
        channel_spend_save(
            month=month, currency=currency, amounts={other.pk: 5, channel.pk: Decimal(amount)}
        )
    assert spend() == {}


@pytest.mark.parametrize(
    "fields",
    [
        {"amount": Decimal("-1")},
        {"month": date(2026, 11, 15)},
        {"currency": "us"},
    ],
)
def test_the_database_refuses_bad_rows(fields):
    row = {"month": NOVEMBER, "amount": Decimal(1), "currency": "USD", **fields}

    with pytest.raises(IntegrityError), transaction.atomic():
        ChannelSpend.objects.create(channel=ChannelFactory(), **row)


def test_one_row_per_channel_month_and_currency():
    channel = ChannelFactory()
    ChannelSpend.objects.create(channel=channel, month=NOVEMBER, amount=1, currency="USD")

    with pytest.raises(IntegrityError), transaction.atomic():
        ChannelSpend.objects.create(channel=channel, month=NOVEMBER, amount=2, currency="USD")
