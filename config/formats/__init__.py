"""Accord's date, time and number formats, one set per language (settings.FORMAT_MODULE_PATH).

Every page writes a date with DATE_FORMAT (or SHORT_DATE_FORMAT, the same here), a moment with
DATETIME_FORMAT, so a language shows one date format everywhere. They follow CLDR's medium
patterns for the language; numbers use the Latin digits and separators babel writes amounts
with (core/formats.py), so an amount and a count read alike on one page.
"""
