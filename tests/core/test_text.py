"""core.text.fold: one spelling per text for the agreement's rules and lead search."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.text import fold
from leads.models import search_key
from scoring.normal import folded


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("CEO", "ceo"),
        ("ＣＥＯ", "ceo"),  # full-width
        ("採購經理", "采购经理"),  # Traditional and Simplified Chinese
        ("學生", "学生"),
        ("إدارة المشتريات", "ادارة المشتريات"),  # alef with hamza below
        ("أحمد", "احمد"),
        ("آمنة", "امنه"),  # madda, ta marbuta
        ("مُشْتَرِيَات", "مشتريات"),  # harakat
        ("مشـــتريات", "مشتريات"),  # tatweel
        ("مصطفى", "مصطفي"),  # alef maqsura
        ("Фёдоров", "федоров"),
        ("  จัดซื้อ  ", "จัดซื้อ"),
    ],
)
def test_spellings_a_reader_does_not_distinguish_fold_together(one, other):
    assert fold(one) == fold(other)


def test_different_words_stay_different():
    assert fold("采购") != fold("学生")
    assert fold("Иванов") != fold("Петров")


@given(st.text(max_size=40))
def test_folding_is_idempotent(text):
    assert fold(fold(text)) == fold(text)


@given(st.text(min_size=1, max_size=40))
def test_rules_and_search_fold_alike(text):
    """The one-truth check: a keyword that finds a lead in search is the keyword a rule sees."""
    assert (folded(text) or "") == search_key(text)
