"""A lead's country: an ISO 3166-1 alpha-2 code, read from what people type and shown in the
reader's language.

Forms, imports and the API bring countries as codes ("TH", "THA") or as names in any of Accord's
languages ("Thailand", "ไทย", "泰国", "Таиланд", "تايلاند"). CLDR's territory names (Babel) in
every language of settings.LANGUAGES are the one table that reads them, folded as rules and
search fold text (core.text.fold), so "Thailand", "ประเทศไทย" and "泰國" are one country to a
rule. The same CLDR names show a code to the reader (`LeadCountries`): django-countries' own
catalogs miss Thai (it ships th_TH, which Django's "th" never loads).
"""

import functools
import re

from babel import Locale
from django.conf import settings
from django.utils.translation import get_language
from django_countries import Countries, CountryTuple
from django_countries import countries as iso_countries

from core.text import fold

# Words a writer puts before a country's short name, in the five languages, that CLDR leaves
# out: "ประเทศไทย" is "country Thailand"; "المملكة العربية السعودية" is CLDR's Arabic name for
# Saudi Arabia, where people mostly write "السعودية".
_PREFIXES = {
    "th": ("ประเทศ",),
    "ar": ("المملكة العربية ", "المملكة ", "جمهورية ", "دولة ", "سلطنة ", "الجمهورية "),
}
# Names CLDR does not give and leads commonly carry: the long official forms and abbreviations.
_ALIASES = {
    "RU": ("Российская Федерация", "РФ", "Russian Federation"),
    "CN": ("中华人民共和国", "PRC", "People's Republic of China"),
    "US": ("USA", "U.S.A.", "U.S.", "United States of America", "США"),
    "GB": ("UK", "Great Britain", "England"),
    "SA": ("KSA",),
    "AE": ("UAE",),
    "KR": ("Korea",),
}
_SPACES = re.compile(r"\s+")


def _key(text: str) -> str:
    return _SPACES.sub(" ", fold(text))


def _locale(language: str) -> Locale:
    return Locale.parse(language.replace("-", "_"))


@functools.cache
def _codes_by_name() -> dict[str, str]:
    """Every spelling Accord reads as a country, folded → alpha-2 code."""
    codes = {code for code, _name in iso_countries.countries.items()}
    names: dict[str, str] = {}
    for code in sorted(codes):
        names[_key(code)] = code
        names.setdefault(_key(iso_countries.alpha3(code)), code)
    for language, _label in settings.LANGUAGES:
        territories = _locale(language).territories
        for code in sorted(codes):
            name = territories.get(code)
            if not name:
                continue
            names.setdefault(_key(name), code)
            for prefix in _PREFIXES.get(language, ()):
                if name.startswith(prefix):
                    names.setdefault(_key(name.removeprefix(prefix)), code)
    for code, name in iso_countries.countries.items():
        names.setdefault(_key(str(name)), code)
    for code, aliases in _ALIASES.items():
        for alias in aliases:
            names.setdefault(_key(alias), code)
    return names


def country_code(text: str) -> str | None:
    """The alpha-2 code `text` names (a code, or a name in any of Accord's languages), or None."""
    key = _key(text or "")
    if not key:
        return None
    names = _codes_by_name()
    if key in names:
        return names[key]
    for prefix in _typed_prefixes():
        if key.startswith(prefix):
            return names.get(key.removeprefix(prefix).strip())
    return None


@functools.cache
def _typed_prefixes() -> tuple[str, ...]:
    return tuple(_key(prefix) for prefixes in _PREFIXES.values() for prefix in prefixes)


@functools.cache
def _names_in(language: str) -> dict[str, str]:
    return dict(_locale(language).territories)


def country_name(code: str, language: str | None = None) -> str:
    """The country's CLDR name in `language` (the active one by default); the code when CLDR has
    none."""
    if not code:
        return ""
    language = language or get_language() or settings.LANGUAGE_CODE
    try:
        names = _names_in(language)
    except ValueError:
        names = _names_in(settings.LANGUAGE_CODE)
    return names.get(code) or str(iso_countries.name(code)) or code


class LeadCountries(Countries):
    """django-countries' list of countries, named by CLDR in the reader's language."""

    def translate_pair(self, code, name=None):
        return CountryTuple(code, country_name(code))

    def translate_code(self, code, ignore_first=None):
        if not (ignore_first and code in ignore_first):
            yield self.translate_pair(code)


lead_countries = LeadCountries()
