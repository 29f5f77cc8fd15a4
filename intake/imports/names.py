"""A full name from one column (姓名, ФИО, ชื่อ-นามสกุล, الاسم الكامل, "Full name") split into the
parts the agreement's name gates read, in the order each naming tradition writes them:

- Chinese (and Korean): family name first, without spaces: 王伟 is family 王, given 伟; the
  compound family names (欧阳, 司马, 诸葛 ...) are two characters. A name written with the middle
  dot of transliterated names (阿卜杜拉·买买提) is given name first.
- Russian ФИО: Фамилия Имя Отчество. The patronymic (-вич, -вна, -ична, оглы, кызы) is what tells
  the order: "Иванов Иван Петрович" and "Иван Петрович Иванов" both give family Иванов, given
  Иван, patronymic Петрович. Two words are family name first (the order ФИО promises) unless the
  second one reads as a family name and the first does not ("Иван Петров").
- Thai, Arabic, English and the rest: given name first. The last word is the family name, with
  its particles (van, de, bin, آل ...); in Arabic the given name is the first word, or two for
  the compound names (عبد الله, أبو بكر), and the rest is the family name (father's name first,
  as the nasab is written).

Every character of the name ends up in exactly one part; nothing is dropped or invented.
"""

import re
import unicodedata
from dataclasses import dataclass

# Two-character family names, Simplified and Traditional (the common ones of the Hundred Family
# Surnames, 百家姓), and the Korean ones.
COMPOUND_FAMILY_NAMES = frozenset((
    "欧阳", "歐陽", "司马", "司馬", "上官", "诸葛", "諸葛", "东方", "東方", "皇甫", "尉迟", "尉遲",
    "公孙", "公孫", "慕容", "长孙", "長孫", "宇文", "司徒", "夏侯", "轩辕", "軒轅", "令狐", "端木",
    "独孤", "獨孤", "南宫", "南宮", "西门", "西門", "申屠", "公羊", "澹台", "澹臺", "公冶", "宗政",
    "濮阳", "濮陽", "淳于", "单于", "單于", "太叔", "仲孙", "仲孫", "钟离", "鍾離", "闻人", "聞人",
    "万俟", "萬俟", "赫连", "赫連", "呼延", "百里", "东郭", "東郭", "拓跋", "左丘", "第五", "梁丘",
    "司空", "司寇", "巫马", "巫馬", "亓官", "羊舌", "微生", "谷梁", "乐正", "樂正", "夹谷", "夾谷",
    "段干", "段幹", "漆雕", "壤驷", "壤駟", "公良", "公西", "子车", "子車", "颛孙", "顓孫", "鲜于",
    "鮮于", "闾丘", "閭丘", "东门", "東門",
    "남궁", "제갈", "선우", "황보", "독고", "사공", "서문", "동방",
))  # fmt: skip
PATRONYMIC = re.compile(r"(?:вич|вна|ична|инична|оглы|кызы|улы|қызы)$", re.IGNORECASE)
TURKIC_PATRONYMIC_WORDS = frozenset(("оглы", "кызы", "улы", "қызы"))
RUSSIAN_FAMILY_NAME = re.compile(
    r"(?:ов|ев|ёв|ин|ын|ский|цкий|ской|ова|ева|ёва|ина|ына|ская|цкая|енко|ко|ук|юк|ых|их)$",
    re.IGNORECASE,
)
# Words that belong to the family name that follows them.
PARTICLES = frozenset((
    "van", "von", "der", "den", "de", "del", "della", "di", "da", "dos", "du", "le", "la", "ter",
    "ten", "bin", "binti", "bint", "ibn", "al", "el", "بن", "بنت", "ابن", "آل",
))  # fmt: skip
# Arabic given names of two words: the first word is one of these.
ARABIC_COMPOUND_STARTS = frozenset(("عبد", "أبو", "ابو", "أبي"))
INTERPUNCT = re.compile(r"\s*[·・•‧]\s*")


@dataclass(frozen=True)
class NameParts:
    first: str = ""
    last: str = ""
    middle: str = ""  # a Russian patronymic


def split_full_name(text: str) -> NameParts:
    """The first, last and middle (patronymic) name a full name holds; see the module."""
    name = " ".join(unicodedata.normalize("NFC", text).split())
    if not name:
        return NameParts()
    if INTERPUNCT.search(name):
        parts = INTERPUNCT.split(name)
        return NameParts(first=parts[0], last=" ".join(parts[1:]))
    if _family_first_script(name):
        return _family_first(name)
    words = name.split(" ")
    if len(words) == 1:
        return NameParts(first=name)
    if _is_cyrillic(name):
        return _russian(words)
    if _is_arabic(name):
        given = 2 if words[0] in ARABIC_COMPOUND_STARTS and len(words) > 2 else 1
        return NameParts(first=" ".join(words[:given]), last=" ".join(words[given:]))
    family = len(words) - 1
    while family > 1 and words[family - 1].casefold() in PARTICLES:
        family -= 1
    return NameParts(first=" ".join(words[:family]), last=" ".join(words[family:]))


def _family_first(name: str) -> NameParts:
    compact = name.replace(" ", "")
    if " " in name:
        family, given = name.split(" ", 1)
        return NameParts(first=given, last=family)
    if len(compact) == 1:
        return NameParts(first=compact)
    family = 2 if compact[:2] in COMPOUND_FAMILY_NAMES and len(compact) > 2 else 1
    return NameParts(first=compact[family:], last=compact[:family])


def _russian(words: list[str]) -> NameParts:
    if len(words) == 4 and words[3].casefold() in TURKIC_PATRONYMIC_WORDS:
        # "Мамедов Рашид Ахмед оглы": the patronymic is two words.
        words = [*words[:2], f"{words[2]} {words[3]}"]
    if len(words) == 3 and PATRONYMIC.search(words[2]):
        return NameParts(first=words[1], last=words[0], middle=words[2])
    if len(words) == 3 and PATRONYMIC.search(words[1]):
        return NameParts(first=words[0], last=words[2], middle=words[1])
    if len(words) == 2:
        given_first = RUSSIAN_FAMILY_NAME.search(words[1]) and not RUSSIAN_FAMILY_NAME.search(
            words[0]
        )
        if given_first:
            return NameParts(first=words[0], last=words[1])
        return NameParts(first=words[1], last=words[0])
    # Four words or more, or three without a patronymic: family name first, as ФИО says.
    return NameParts(first=" ".join(words[1:]), last=words[0])


def _scripts(name: str) -> set[str]:
    return {unicodedata.name(char, "").split(" ")[0] for char in name if char.isalpha()}


def _family_first_script(name: str) -> bool:
    """Han or Hangul letters only: Chinese and Korean names, written family name first."""
    scripts = _scripts(name)
    return bool(scripts) and scripts <= {"CJK", "HANGUL"}


def _is_cyrillic(name: str) -> bool:
    return "CYRILLIC" in _scripts(name)


def _is_arabic(name: str) -> bool:
    return "ARABIC" in _scripts(name)
