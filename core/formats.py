"""What Django's per-language formats (config/formats/) cannot say, from CLDR through babel:
an amount with its currency symbol in the place the reader's language puts it, and the day a
week starts on where the language is read."""

from contextlib import suppress
from datetime import date, timedelta
from decimal import Decimal
from functools import cache

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.numbers import format_currency, format_decimal
from django.utils.translation import get_language, to_locale


def _babel_locale(language: str | None) -> Locale:
    try:
        return Locale.parse(to_locale(language or "en"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


def money(amount: Decimal | float | int, currency: str, language: str | None = None) -> str:
    """e.g. $1,234.50 in English, 1 234,50 $ in Russian; a code without a symbol is written
    where the symbol would be (CHF1,234.50)."""
    return format_currency(amount, currency, locale=_babel_locale(language or get_language()))


@cache
def first_weekday(language: str | None) -> int:
    """The first day of the week (0 Monday … 6 Sunday) in the country where the language is
    mostly read (CLDR's likely territory): Sunday for en (US) and th, Saturday for ar (EG),
    Monday for ru and zh-hans."""
    locale = _babel_locale(language)
    if locale.territory is None:
        likely = get_global("likely_subtags")
        tag = likely.get(str(locale)) or likely.get(locale.language) or str(locale)
        with suppress(UnknownLocaleError, ValueError):
            locale = Locale.parse(tag)
    return locale.first_week_day


def week_start(day: date, first: int) -> date:
    """The first day of the week holding `day`, weeks starting on weekday `first`."""
    return day - timedelta(days=(day.weekday() - first) % 7)


def number(amount, language: str | None = None) -> str:
    """An amount without a currency, with the decimals and grouping of `money`."""
    locale = _babel_locale(language or get_language())
    return format_decimal(amount, format="#,##0.00", locale=locale)
