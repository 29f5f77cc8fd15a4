"""Dates, amounts and moments written the way each language writes them."""

from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from babel.numbers import format_currency
from django.template import Context, Template
from django.utils import timezone, translation
from django.utils.formats import date_format

from core.formats import money
from core.templatetags.locale_format import currency, zoned

AMOUNT = Decimal("1234.5")


@pytest.mark.parametrize(
    ("language", "written"),
    [
        ("en", "$1,234.50"),
        ("ru", "1\xa0234,50\xa0$"),
        ("th", "US$1,234.50"),
        ("zh-hans", "US$1,234.50"),
        ("ar", "\u200f1,234.50\xa0US$"),
    ],
)
def test_an_amount_has_its_currency_symbol_where_the_language_puts_it(language, written):
    with translation.override(language):
        assert currency(AMOUNT, "USD") == written
    assert written == format_currency(AMOUNT, "USD", locale=translation.to_locale(language))


def test_the_symbol_is_the_reader_s_own_currency_s_where_it_has_one():
    assert money(AMOUNT, "THB", "th") == "฿1,234.50"
    assert money(AMOUNT, "THB", "en") == "THB1,234.50"


def test_no_amount_is_a_dash_and_no_currency_the_number_alone():
    assert currency(None, "USD") == "—"
    with translation.override("ru"):
        assert currency(AMOUNT, "") == "1\xa0234,50"


@pytest.mark.parametrize(
    ("language", "written"),
    [
        ("en", "Mar 7, 2026"),
        ("th", "7 มี.ค. 2026"),
        ("zh-hans", "2026年3月7日"),
        ("ru", "07.03.2026"),
        ("ar", "7 مارس 2026"),
    ],
)
def test_each_language_writes_a_date_one_way_on_every_page(language, written):
    day = date(2026, 3, 7)
    with translation.override(language):
        assert date_format(day, "DATE_FORMAT") == written
        assert date_format(day, "SHORT_DATE_FORMAT") == written


def test_a_moment_is_shown_in_the_reader_s_zone_with_the_zone_named():
    moment = datetime(2026, 3, 7, 7, 5, tzinfo=UTC)
    with translation.override("en"), timezone.override(ZoneInfo("Asia/Bangkok")):
        assert zoned(moment) == "Mar 7, 2026, 2:05 PM (Asia/Bangkok)"
        assert zoned(moment, "TIME_FORMAT") == "2:05 PM (Asia/Bangkok)"
    with translation.override("ru"), timezone.override(ZoneInfo("Europe/Moscow")):
        assert zoned(moment) == "07.03.2026 10:05 (Europe/Moscow)"


def test_the_filters_load_in_a_template():
    template = Template("{% load locale_format %}{{ amount|currency:'EUR' }} {{ when|zoned }}")
    with translation.override("en"), timezone.override(ZoneInfo("UTC")):
        rendered = template.render(
            Context({"amount": AMOUNT, "when": datetime(2026, 3, 7, 7, 5, tzinfo=UTC)})
        )
    assert rendered == "€1,234.50 Mar 7, 2026, 7:05 AM (UTC)"
