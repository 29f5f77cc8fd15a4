"""One spelling per text, for every comparison a person expects to ignore spelling variants:
the agreement's rules (scoring/normal.py) and lead search (leads.models.search_key) fold with
this one function, so a keyword that finds a lead in search also fires its rule.

What does not count, in the scripts Accord's teams write:
- case and width, in every script (NFKC, then case-folding): "ＣＥＯ" is "ceo";
- Arabic diacritics (harakat, the superscript alef) and the tatweel, and the spellings writers
  use interchangeably: alef with hamza or madda is alef, hamza on waw or ya is waw or ya, alef
  maqsura is ya, ta marbuta is ha ("مشتريات" = "مشتريات", "إدارة" = "ادارة");
- Traditional or Simplified Chinese characters (OpenCC's phrase-aware conversion to Simplified):
  "採購" is "采购";
- Russian ё and е, which most Russian text does not distinguish.
"""

import functools
import re
import unicodedata

import opencc

_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_ARABIC_LETTERS = str.maketrans(
    {
        "\u0622": "\u0627",  # alef with madda above
        "\u0623": "\u0627",  # alef with hamza above
        "\u0625": "\u0627",  # alef with hamza below
        "\u0671": "\u0627",  # alef wasla
        "\u0624": "\u0648",  # waw with hamza above
        "\u0626": "\u064a",  # ya with hamza above
        "\u0649": "\u064a",  # alef maqsura
        "\u0629": "\u0647",  # ta marbuta
        "\u0451": "\u0435",  # Cyrillic ё
    }
)
# CJK Unified Ideographs and their extension A, and the compatibility block: only text with
# Han characters is worth handing to OpenCC.
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


@functools.cache
def _to_simplified() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def fold(text: str) -> str:
    """`text` in the one spelling comparisons use (stripped of surrounding whitespace)."""
    text = unicodedata.normalize("NFKC", text).casefold()
    if _HAN.search(text):
        text = _to_simplified().convert(text)
    return _ARABIC_MARKS.sub("", text).translate(_ARABIC_LETTERS).strip()
