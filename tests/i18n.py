"""Catalogs written at test time: a few messages in a language, compiled into a temporary
LOCALE_PATHS directory (no catalog of Accord's is read or written)."""

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from django.utils.translation import to_locale


def write_catalog(root: Path, language: str, messages: dict[str, str]) -> Path:
    """root/<locale>/LC_MESSAGES/django.mo holding `messages` (msgid -> msgstr)."""
    catalog = Catalog(locale=to_locale(language), domain="django")
    for msgid, msgstr in messages.items():
        catalog.add(msgid, msgstr)
    folder = root / to_locale(language) / "LC_MESSAGES"
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "django.mo", "wb") as mo:
        write_mo(mo, catalog)
    return root
