"""How a lead's name is written, in the order its own script writes it.

Chinese, Japanese and Korean names put the family name first, with no space: 王 + 伟 is "王伟",
never "伟 王". Every other script (Latin, Cyrillic, Thai, Arabic) puts the given name first, then
the middle name or patronymic, then the family name, as CRMs show them: "Иван Петрович Сидоров".
A name is written the CJK way only when every part of it is in those scripts, so "Wei 王"
(a Latin given name) keeps the given name first.
"""

import re

# Han (with extension A and the compatibility block), kana and Hangul.
_CJK = re.compile(
    "[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\u31f0-\u31ff"
    "\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]"
)
# What may stand beside CJK characters in such a name: spaces and the middle dots of
# transliterated names.
_CJK_NAME = re.compile(
    "[\\s\u00b7\u30fb\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\u31f0-\u31ff"
    "\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]+"
)


def _is_cjk(part: str) -> bool:
    return bool(_CJK.search(part)) and _CJK_NAME.fullmatch(part) is not None


def display_name(first: str = "", middle: str = "", last: str = "") -> str:
    """The name as people of its script write it; "" when every part is empty."""
    parts = [part.strip() for part in (first or "", middle or "", last or "")]
    given, middle, family = parts
    present = [part for part in parts if part]
    if present and all(_is_cjk(part) for part in present):
        return "".join(part for part in (family, given, middle) if part)
    return " ".join(present)
