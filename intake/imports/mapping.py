"""Which column is which lead field, and whether one row makes an acceptable lead.

Both are pure functions: the dry run and the real import call the same `validate_row`, so what
the dry run promises is what the import does.
"""

import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from leads.models import Channel
from leads.services import clean_lead_data

IGNORE = ""
ATTRIBUTE = "attribute"

# Lead field -> header spellings seen in the wild, in English and the users' languages,
# compared after `header_key` (case-folded, without spaces and punctuation).
ALIASES: dict[str, tuple[str, ...]] = {
    "email": (
        "email", "e-mail", "email address", "e-mail address", "mail", "work email",
        "почта", "электронная почта", "e-mail адрес", "邮箱", "电子邮件", "电子邮箱", "邮件",
        "อีเมล", "อีเมล์", "البريد الإلكتروني", "البريد الالكتروني", "بريد إلكتروني", "الإيميل",
    ),
    "first_name": (
        "first name", "firstname", "given name", "first", "имя", "名", "名字", "ชื่อ",
        "ชื่อจริง", "الاسم", "الاسم الأول",
    ),
    "last_name": (
        "last name", "lastname", "surname", "family name", "фамилия", "姓", "姓氏", "นามสกุล",
        "اسم العائلة", "الكنية",
    ),
    "title": (
        "title", "job title", "position", "role", "job role", "должность", "职位", "职务",
        "ตำแหน่ง", "ตำแหน่งงาน", "المسمى الوظيفي", "الوظيفة", "المنصب",
    ),
    "organization": (
        "company", "organization", "organisation", "company name", "account", "account name",
        "компания", "организация", "公司", "单位", "公司名称", "บริษัท", "องค์กร", "الشركة",
        "المؤسسة", "المنظمة",
    ),
    "phone": (
        "phone", "phone number", "telephone", "mobile", "tel", "direct phone", "телефон",
        "电话", "手机", "联系电话", "โทรศัพท์", "เบอร์โทร", "เบอร์โทรศัพท์", "الهاتف",
        "رقم الهاتف", "الجوال",
    ),
    "company_size": (
        "company size", "employees", "number of employees", "headcount", "размер компании",
        "сотрудники", "число сотрудников", "员工人数", "公司规模", "จำนวนพนักงาน", "عدد الموظفين",
    ),
    "industry": ("industry", "sector", "отрасль", "行业", "อุตสาหกรรม", "الصناعة", "القطاع"),
    "country": ("country", "страна", "国家", "ประเทศ", "الدولة", "البلد"),
    "city": ("city", "town", "город", "城市", "เมือง", "จังหวัด", "المدينة"),
    "channel": ("channel", "lead channel", "канал", "渠道", "ช่องทาง", "القناة"),
    "source_detail": (
        "source", "lead source", "campaign", "источник", "кампания", "来源", "活动", "แหล่งที่มา",
        "แคมเปญ", "المصدر", "الحملة",
    ),
}  # fmt: skip

TARGET_LABELS = {
    IGNORE: gettext_lazy("— ignore —"),
    "email": gettext_lazy("Email"),
    "first_name": gettext_lazy("First name"),
    "last_name": gettext_lazy("Last name"),
    "title": gettext_lazy("Job title"),
    "organization": gettext_lazy("Organization"),
    "phone": gettext_lazy("Phone"),
    "company_size": gettext_lazy("Company size"),
    "industry": gettext_lazy("Industry"),
    "country": gettext_lazy("Country"),
    "city": gettext_lazy("City"),
    "channel": gettext_lazy("Channel"),
    "source_detail": gettext_lazy("Source / campaign"),
    ATTRIBUTE: gettext_lazy("Keep as an extra attribute"),
}
PUNCTUATION = re.compile(r"[\s\-_.:/()#*]+")


def header_key(header: str) -> str:
    return PUNCTUATION.sub("", unicodedata.normalize("NFKC", header).casefold())


FIELD_LABELS = {**TARGET_LABELS, "attributes": TARGET_LABELS[ATTRIBUTE]}
ALIAS_INDEX = {header_key(alias): target for target, names in ALIASES.items() for alias in names}


def guess_mapping(headers: list[str], saved: dict[str, str] | None = None) -> dict[str, str]:
    """Column index -> field: a saved mapping for the source first, then the known spellings."""
    saved_by_key = {header_key(header): target for header, target in (saved or {}).items()}
    mapping, taken = {}, set()
    for index, header in enumerate(headers):
        key = header_key(header)
        target = saved_by_key.get(key, ALIAS_INDEX.get(key, ATTRIBUTE if header else IGNORE))
        if target in taken and target not in (IGNORE, ATTRIBUTE):
            target = ATTRIBUTE
        taken.add(target)
        mapping[str(index)] = target
    return mapping


def check_mapping(mapping: dict[str, str]) -> str:
    """The reason a mapping cannot be used, or "" when it can."""
    targets = [target for target in mapping.values() if target not in (IGNORE, ATTRIBUTE)]
    if "email" not in targets:
        return _("Choose the column that holds the email address: leads are matched by email.")
    if len(targets) != len(set(targets)):
        return _("Each lead field can come from one column only.")
    return ""


@dataclass(frozen=True)
class RowRules:
    """What checking a row needs besides the row: headers, mapping, the known channels."""

    headers: list[str]
    mapping: dict[str, str]
    channels: dict[str, Channel]  # by slug, as leads.services expects
    channel_names: dict[str, str]  # case-folded slug or name -> slug, as people type them
    default_channel: str
    source: str

    @classmethod
    def build(cls, *, headers, mapping, default_channel: Channel | None = None, source=""):
        channels = {channel.slug: channel for channel in Channel.objects.all()}
        names = {}
        for channel in channels.values():
            names[channel.slug.casefold()] = channel.slug
            names[channel.name.casefold()] = channel.slug
        default = default_channel.slug if default_channel else ""
        return cls(list(headers), dict(mapping), channels, names, default, source)


def validate_row(values: list[str], rules: RowRules) -> tuple[dict | None, str]:
    """Lead data for one row, or None and why not: what the import will do with it.

    The checks are the ones every door into Accord uses (leads.services.clean_lead_data, which
    store_leads runs again when it writes), so the dry run promises exactly what the import does.
    """
    data, reason = row_data(values, rules)
    if data is None:
        return None, reason
    _cleaned, errors = clean_lead_data(data, channels=rules.channels)
    if errors:
        return None, describe_errors(errors)
    return data, ""


def row_data(values: list[str], rules: RowRules) -> tuple[dict | None, str]:
    """The row as raw lead data (as leads.services.store_leads takes it), not yet validated.

    Cells stay the text they are: "=SUM(A1)" is stored as those characters, never evaluated,
    and only neutralized when written back out to a spreadsheet.
    """
    if len(values) > len(rules.headers) and any(v.strip() for v in values[len(rules.headers) :]):
        return None, _("Expected %(expected)d columns, found %(found)d.") % {
            "expected": len(rules.headers),
            "found": len(values),
        }
    data: dict = {}
    attributes = {}
    for index, target in rules.mapping.items():
        position = int(index)
        value = values[position].strip() if position < len(values) else ""
        if target == ATTRIBUTE:
            if value:
                attributes[rules.headers[position]] = value
        elif target != IGNORE and value:
            data[target] = value
    data.setdefault("email", "")
    if attributes:
        data["attributes"] = attributes
    if "channel" in data:
        data["channel"] = rules.channel_names.get(data["channel"].casefold(), data["channel"])
    elif rules.default_channel:
        data["channel"] = rules.default_channel
    if rules.source:
        data.setdefault("source_detail", rules.source[:200])
    return data, ""


def describe_errors(errors: dict[str, list[str]]) -> str:
    """Field errors as one sentence for the rejected-rows table: "Email: Enter a valid…"."""
    return " ".join(
        f"{FIELD_LABELS.get(field, field)}: {' '.join(messages)}"
        for field, messages in errors.items()
    )
