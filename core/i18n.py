"""Words that ship as data (seeded return reasons, SLA policy names, the starter agreement) and
labels a manager gives per language, shown in the reader's language.

Shipped defaults are stored in English and marked with `gettext_noop` where they are defined, so
the catalogs carry their translations and a row still holding its default reads in the reader's
language; text a person typed (a policy they renamed, an agreement they wrote) is theirs and has
no catalog entry, so it shows as written. A label that managers add can carry its own
translations in a `{language code: label}` map, which wins over the catalog.
"""

from django.conf import settings
from django.utils.translation import get_language, gettext


def shipped(text: str) -> str:
    """`text` in the reader's language when it is a shipped default, else as it is."""
    return gettext(text) if text else text


def localized(default: str, labels: dict | None) -> str:
    """The reader's language's own label when one was given, else the shipped translation (or
    the text itself) of the default."""
    if labels:
        language = (get_language() or settings.LANGUAGE_CODE).lower()
        for code in (language, language.split("-")[0]):
            if labels.get(code):
                return labels[code]
    return shipped(default)


def other_languages() -> list[tuple[str, str]]:
    """The languages a label can be given in besides the default (English) one."""
    return [(code, name) for code, name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
