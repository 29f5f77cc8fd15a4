"""Cells that CRMs and spreadsheets write in their own words: a lead status ("Working -
Contacted", "В работе", "未处理") and a company size ("51-200", "1,001-5,000", "10000+", "от 50 до
100", "51–200 人"), read as Accord's values. Both are data tables and one small reader each."""

import functools
import re
import unicodedata

from django.conf import settings
from django.utils import translation

from intake.imports.headers import header_key
from leads.models import OPEN_COMPANY_SIZE, LeadStatus

S = LeadStatus
# The status words of the CRMs teams move in from -> Accord's eight work statuses. Besides
# these, each status's own name in each of Accord's languages is known (status_index).
# Sources: HubSpot's hs_lead_status options are Accord's eight (New, Open, In Progress, Open
# Deal, Unqualified, Attempted to Contact, Connected, Bad Timing). Salesforce's default Lead
# Status picklist (Open - Not Contacted, Working - Contacted, Closed - Converted, Closed - Not
# Converted; Sales Cloud's newer New, Working, Nurturing, Qualified, Unqualified). Zoho CRM's
# (Not Contacted, Attempted to Contact, Contact in Future, Contacted, Junk Lead, Lost Lead, Not
# Qualified, Pre-Qualified). Bitrix24's lead stages (Не обработан, В работе, Уточнение
# информации, Качественный лид / Сконвертирован, Некачественный лид). Chinese CRMs' 线索状态
# (未处理, 跟进中, 已联系, 已转换, 无效).
STATUS_WORDS: dict[str, tuple[str, ...]] = {
    S.NEW: (
        "new", "open - not contacted", "not contacted", "new lead", "не обработан", "новый",
        "новый лид", "未处理", "未联系", "新建", "新线索", "ใหม่", "ยังไม่ได้ติดต่อ",
        "جديد", "لم يتم التواصل",
    ),
    S.OPEN: ("open", "открыт", "открытый", "打开", "开放", "เปิด", "مفتوح"),
    S.IN_PROGRESS: (
        "in progress", "working", "working - contacted", "pre-qualified", "pre qualified",
        "в работе", "уточнение информации", "обрабатывается", "跟进中", "处理中", "进行中",
        "กำลังติดตาม", "قيد المتابعة",
    ),
    S.ATTEMPTED_TO_CONTACT: (
        "attempted to contact", "attempting to contact", "attempting contact", "недозвон",
        "попытка связаться", "尝试联系", "联系未果", "未接通", "ติดต่อไม่ได้",
        "محاولة التواصل",
    ),
    S.CONNECTED: (
        "connected", "contacted", "связались", "обработан", "已联系", "已沟通", "ติดต่อแล้ว",
        "تم التواصل",
    ),
    S.OPEN_DEAL: (
        "open deal", "closed - converted", "converted", "qualified", "качественный лид",
        "сконвертирован", "已转换", "已转化", "已转商机", "合格", "ผ่านคุณสมบัติ", "مؤهل",
    ),
    S.UNQUALIFIED: (
        "unqualified", "closed - not converted", "not qualified", "junk lead", "lost lead",
        "некачественный лид", "некачественный", "спам", "无效", "无效线索", "不合格", "已关闭",
        "ไม่ผ่านคุณสมบัติ", "غير مؤهل",
    ),
    S.BAD_TIMING: (
        "bad timing", "nurturing", "contact in future", "отложен", "позже", "暂缓", "以后联系",
        "暂不考虑", "ไว้ติดต่อภายหลัง", "التوقيت غير مناسب",
    ),
}  # fmt: skip


@functools.cache
def status_index() -> dict[str, str]:
    """Status word (as header_key spells it) -> LeadStatus value: each status's value and its
    name in every language Accord speaks (from its catalogs, so that Accord's own export comes
    back as it left: its 待处理 is Open), then the CRMs' words above."""
    index = {header_key(status.value): status.value for status in LeadStatus}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for status in LeadStatus:
                index.setdefault(header_key(str(status.label)), status.value)
    for status, words in STATUS_WORDS.items():
        for word in words:
            index.setdefault(header_key(word), status)
    return index


def read_status(text: str) -> str | None:
    """The LeadStatus a cell names, or None when its word is unknown."""
    return status_index().get(header_key(text))


# Numbers as people write them, with thousands separators: "1,001", "10 000", "1.000", "١٬٠٠٠".
_NUMBER = re.compile(r"\d{1,3}(?:[,.\s\u066c\u00a0\u202f']\d{3})+(?!\d)|\d+")
# Words that open a range on one side, longest first so that "не более" is not read as "более".
# "At least N" words: the range starts at N (or N + 1 for "more than") and has no upper end.
_FROM = {
    "or more": 0, "and more": 0, "and above": 0, "and over": 0, "+": 0, "и более": 0,
    "и больше": 0, "и выше": 0, "или более": 0, "以上": 0, "及以上": 0, "ขึ้นไป": 0,
    "فأكثر": 0, "أو أكثر": 0, "وأكثر": 0,
    "more than": 1, "over": 1, "above": 1, "greater than": 1, ">": 1, "более": 1, "больше": 1,
    "свыше": 1, "超过": 1, "多于": 1, "大于": 1, "มากกว่า": 1, "أكثر من": 1,
}  # fmt: skip
# "Up to N" words: the range ends at N (or N - 1 for "less than") and starts at 1.
_UP_TO = {
    "up to": 0, "at most": 0, "не более": 0, "не больше": 0, "до": 0, "以下": 0, "以内": 0,
    "及以下": 0, "ไม่เกิน": 0, "حتى": 0, "≤": 0,
    "less than": 1, "fewer than": 1, "under": 1, "below": 1, "<": 1, "менее": 1, "меньше": 1,
    "少于": 1, "不到": 1, "小于": 1, "น้อยกว่า": 1, "أقل من": 1,
}  # fmt: skip


def read_size(text: str) -> tuple[int, int | None] | None:
    """A company size cell as (lower end, upper end): (85, None) for an exact 85, (51, 200) for a
    range, (10000, OPEN_COMPANY_SIZE) for "10000+"; None when it names no size.

    Units and words around the numbers ("employees", "сотрудников", "人", "คน") do not matter;
    the words that open a range on one side do (_FROM, _UP_TO).
    """
    text = unicodedata.normalize("NFKC", text).casefold().strip()
    numbers = [int(re.sub(r"\D", "", match)) for match in _NUMBER.findall(text)]
    if len(numbers) == 2:
        low, high = numbers
        return (low, None if high == low else high) if low <= high else None
    if len(numbers) != 1:
        return None
    size = numbers[0]
    words = _NUMBER.sub(" ", text)
    for says, strict in _FROM_PHRASES:
        if says(words):
            return size + strict, OPEN_COMPANY_SIZE
    for says, strict in _UP_TO_PHRASES:
        if says(words):
            high = size - strict
            return (1, None if high == 1 else high) if high >= 1 else None
    return size, None


def _finder(phrase: str):
    """Whether some words hold the phrase: as a word of its own in scripts that space their
    words ("до" is not the end of "мордо"), anywhere in those that do not (以上, ขึ้นไป) and for
    signs."""
    if _spaced(phrase):
        return re.compile(rf"(?<!\w){re.escape(phrase)}(?!\w)").search
    return re.compile(re.escape(phrase)).search


def _spaced(phrase: str) -> bool:
    letters = [char for char in phrase if char != " "]
    return all(
        char.isalpha() and unicodedata.name(char, "").startswith(("LATIN", "CYRILLIC", "ARABIC"))
        for char in letters
    )


def _phrases(table: dict[str, int]) -> list:
    """(finder, strictness) of each phrase, the longest first ("or more" before "more"): built
    once, since every size cell of an import is read against all of them."""
    ordered = sorted(table.items(), key=lambda item: -len(item[0]))
    return [(_finder(phrase), strict) for phrase, strict in ordered]


_FROM_PHRASES = _phrases(_FROM)
_UP_TO_PHRASES = _phrases(_UP_TO)
