import gettext

import pytest
from django.core.management import CommandError, call_command

HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'


def write_catalog(root, language, body):
    folder = root / language / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "django.po").write_text(HEADER + body, encoding="utf-8")
    return folder


def test_catalogs_compile_to_what_gettext_reads(tmp_path, settings):
    settings.LOCALE_PATHS = [tmp_path]
    folder = write_catalog(
        tmp_path,
        "ru",
        '#, python-format\nmsgid "%(count)s leads"\nmsgstr "%(count)s лидов"\n\n'
        '#, fuzzy\nmsgid "Queue"\nmsgstr "Очередь?"\n',
    )

    call_command("compile_catalogs")

    with (folder / "django.mo").open("rb") as compiled:
        catalog = gettext.GNUTranslations(compiled)
    assert catalog.gettext("%(count)s leads") == "%(count)s лидов"
    assert catalog.gettext("Queue") == "Queue"  # a fuzzy guess is never shown


def test_a_translation_that_breaks_its_placeholders_stops_the_compile(tmp_path, settings):
    settings.LOCALE_PATHS = [tmp_path]
    folder = write_catalog(
        tmp_path, "ar", '#, python-format\nmsgid "%(count)s leads"\nmsgstr "%(number)s عملاء"\n'
    )

    with pytest.raises(CommandError, match=r"django\.po"):
        call_command("compile_catalogs")
    assert not (folder / "django.mo").exists()


def test_a_fuzzy_guess_with_other_placeholders_does_not_stop_the_compile(tmp_path, settings):
    settings.LOCALE_PATHS = [tmp_path]
    folder = write_catalog(
        tmp_path,
        "ar",
        '#, python-format\nmsgid "%(count)s leads"\nmsgstr "%(count)s عملاء"\n\n'
        '#, fuzzy, python-format\nmsgid "waiting for: %(sides)s"\nmsgstr "التوقيع عن %(side)s"\n',
    )

    call_command("compile_catalogs")

    with (folder / "django.mo").open("rb") as compiled:
        catalog = gettext.GNUTranslations(compiled)
    assert catalog.gettext("waiting for: %(sides)s") == "waiting for: %(sides)s"
