"""The catalogs are complete: no message left untranslated or fuzzy in any language, so a page
never mixes English into a Thai, Chinese, Russian or Arabic one; and shipped data reads in them."""

from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.utils import translation

from core.i18n import shipped
from handoff.models import ReturnReason

CATALOGS = sorted(Path(settings.BASE_DIR, "locale").glob("*/LC_MESSAGES/django.po"))


def test_every_language_has_a_catalog():
    assert {path.parts[-3] for path in CATALOGS} == {"th", "zh_Hans", "ru", "ar"}


@pytest.mark.parametrize("path", CATALOGS, ids=lambda path: path.parts[-3])
def test_no_message_is_left_untranslated_or_fuzzy(path):
    with path.open("rb") as po_file:
        catalog = read_po(po_file)
    unfinished = [
        message.id
        for message in catalog
        if message.id
        and (
            message.fuzzy
            or not (all(message.string) if isinstance(message.string, tuple) else message.string)
        )
    ]
    assert unfinished == []


@pytest.mark.django_db
def test_seeded_reasons_and_policies_read_in_the_readers_language():
    reason = ReturnReason.objects.get(kind="return", code="not_reachable")
    with translation.override("ru"):
        assert str(reason) == "Не удаётся связаться"
        assert shipped("First touch within 4 business hours") == (
            "Первый контакт в течение 4 рабочих часов"
        )
    with translation.override("zh-hans"):
        assert shipped("Starter agreement") == "初始协议"
    with translation.override("en"):
        assert str(reason) == "Not reachable"
