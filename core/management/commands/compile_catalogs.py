"""Compile locale/*/LC_MESSAGES/django.po into the .mo files Django reads, with Babel.

Pure Python, so `make run` works on machines without GNU gettext (Django's `compilemessages`
needs `msgfmt`). A catalog whose translations break their placeholders stops the command: a
page would otherwise fail at the first `%` formatting in that language. Fuzzy entries (a guess
left by makemessages for a changed msgid) are not compiled, as msgfmt leaves them out, so their
placeholders are not checked either; tests/core/test_catalogs.py fails while any remains.
"""

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Compile the translation catalogs (only those changed since their last compile)."

    def handle(self, *args, **options):
        for locale_path in settings.LOCALE_PATHS:
            for po_path in sorted(Path(locale_path).glob("*/LC_MESSAGES/*.po")):
                mo_path = po_path.with_suffix(".mo")
                if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                    continue
                with po_path.open("rb") as po_file:
                    catalog = read_po(po_file)
                problems = [
                    f"{po_path}:{message.lineno}: {error}"
                    for message, errors in catalog.check()
                    for error in errors
                    if not message.fuzzy
                ]
                if problems:
                    raise CommandError("\n".join(problems))
                partial = mo_path.with_suffix(".mo.tmp")
                with partial.open("wb") as mo_file:
                    write_mo(mo_file, catalog, use_fuzzy=False)
                partial.replace(mo_path)  # readers never see half a file
                if options["verbosity"] > 1:
                    self.stdout.write(f"compiled {po_path}")
