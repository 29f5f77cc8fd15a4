"""Shipped words and labels given per language (core.i18n)."""

from django.utils import translation

from core.i18n import localized, other_languages


def test_a_label_given_in_the_readers_language_wins():
    labels = {"ru": "Нет бюджета", "zh-hans": "没有预算"}
    with translation.override("ru"):
        assert localized("No budget", labels) == "Нет бюджета"
    with translation.override("zh-hans"):
        assert localized("No budget", labels) == "没有预算"


def test_without_a_label_in_the_readers_language_the_default_is_shown():
    with translation.override("th"):
        assert localized("No budget", {"ru": "Нет бюджета"}) == "No budget"
        assert localized("No budget", {}) == "No budget"
        assert localized("No budget", None) == "No budget"


def test_a_blank_label_does_not_hide_the_default():
    with translation.override("ar"):
        assert localized("No budget", {"ar": ""}) == "No budget"


def test_labels_are_offered_in_every_language_but_the_default():
    assert [code for code, _name in other_languages()] == ["th", "zh-hans", "ru", "ar"]
