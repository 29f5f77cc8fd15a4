"""Which lead field a column header names: the spellings of the CRMs teams move in from, of
trade-fair lists, and of Accord's five languages, as data.

Headers are compared after `mapping.header_key` (case-folded, without spaces and punctuation), so
"Country/Region", "country region" and "COUNTRY-REGION" are one spelling. A spelling in
`PREFERRED` beats one in `FALLBACK` for the same field: a Bitrix24 export has both "Рабочий
e-mail" and "Личный e-mail", and the work address is the one a B2B lead is matched by.

Where the spellings come from (looked up, not guessed):
- Salesforce: the Data Import Wizard's "Field Mapping for Importing Leads" (help.salesforce.com,
  field_mapping_for_importing_leads) and the Lead field reference (developer.salesforce.com,
  salesforce_field_reference_Lead): "No. of Employees", "Lead Source", "Lead Status", "Mobile
  Phone", "Full Name"; report exports label the lead's company "Company / Account".
- HubSpot: the default contact properties as an import or export names them ("Email address",
  "Phone number", "Mobile phone number", "Job title", "Company name", "Country/Region",
  "State/Region", "Lead status", "Number of Employees"; HubSpot knowledge base, "HubSpot's
  default contact properties").
- Zoho CRM: the Leads module's fields (zoho.com/crm/help/api/modules-fields.html): "Lead Owner",
  "Designation", "Secondary Email", "No. of Employees", "Lead Source", "Lead Status"; Zoho's
  Chinese edition labels them 名, 姓, 公司, 职位, 邮箱, 手机, 线索来源, 线索状态, 员工数.
- Odoo: the string labels of crm.lead's fields (odoo/odoo addons/crm/models/crm_lead.py), which
  its export uses as headers: "Contact Name", "Company Name", "Job Position", "Email", "Phone",
  "Mobile".
- Bitrix24 (Russian interface): the lead's system fields (helpdesk.bitrix24.ru, "Системные поля
  в CRM"; REST names NAME Имя, SECOND_NAME Отчество, LAST_NAME Фамилия, POST Должность,
  COMPANY_TITLE Название компании, SOURCE_ID Источник, STATUS_ID Статус) and the columns of its
  CSV export as scripts that read it name them: "Рабочий e-mail", "Рабочий телефон", "Мобильный
  телефон", "Кол-во сотрудников"; the English interface says "Work e-mail", "Work phone".
- Chinese CRMs (纷享销客, 销售易, 外勤365): lead fields 姓名, 手机/手机号码, 固话, 邮箱, 公司名称 /
  客户名称, 职位/职务, 联系人, 线索来源, 线索状态 (e.g. api.waiqin365.com salesleads, and the
  import templates these products hand out).
- Trade-fair lists (badge scans): "Name", "Full Name", "Company", "Job Title", "Mobile".
"""

import re
import unicodedata

PUNCTUATION = re.compile(r"[\s\-_.:/()#*]+")


def header_key(header: str) -> str:
    """One spelling per header (and per status word): NFKC, case-folded, without spaces and
    punctuation."""
    return PUNCTUATION.sub("", unicodedata.normalize("NFKC", header).casefold())


# Lead field (or one of the import's own targets: full_name, middle_name) -> spellings.
PREFERRED: dict[str, tuple[str, ...]] = {
    "email": (
        "email", "e-mail", "email address", "e-mail address", "mail", "work email",
        "work e-mail", "business email", "primary email", "email 1",
        "почта", "электронная почта", "e-mail адрес", "рабочий e-mail", "рабочая почта",
        "邮箱", "电子邮件", "电子邮箱", "邮件", "邮箱地址", "工作邮箱",
        "อีเมล", "อีเมล์", "อีเมลที่ทำงาน",
        "البريد الإلكتروني", "البريد الالكتروني", "بريد إلكتروني", "الإيميل",
        "البريد الإلكتروني للعمل",
    ),
    "first_name": (
        "first name", "firstname", "given name", "first", "имя", "名", "名字", "ชื่อ",
        "ชื่อจริง", "الاسم", "الاسم الأول",
    ),
    "last_name": (
        "last name", "lastname", "surname", "family name", "фамилия", "姓", "姓氏", "นามสกุล",
        "اسم العائلة", "الكنية",
    ),
    "full_name": (
        "full name", "fullname", "name", "contact name", "contact", "lead name", "contact person",
        "фио", "ф.и.о.", "полное имя", "контактное лицо",
        "姓名", "联系人", "联系人姓名", "客户姓名",
        "ชื่อ-นามสกุล", "ชื่อ นามสกุล", "ชื่อและนามสกุล", "ชื่อผู้ติดต่อ",
        "الاسم الكامل", "اسم جهة الاتصال", "الاسم بالكامل",
    ),
    "middle_name": ("middle name", "отчество", "ชื่อกลาง", "اسم الأب"),
    "title": (
        "title", "job title", "position", "role", "job role", "designation", "job position",
        "job function",
        "должность", "职位", "职务", "头衔", "ตำแหน่ง", "ตำแหน่งงาน",
        "المسمى الوظيفي", "الوظيفة", "المنصب",
    ),
    "organization": (
        "company", "organization", "organisation", "company name", "account", "account name",
        "company / account",
        "компания", "организация", "название компании",
        "公司", "单位", "公司名称", "客户名称", "企业名称", "单位名称",
        "บริษัท", "องค์กร", "ชื่อบริษัท",
        "الشركة", "المؤسسة", "المنظمة", "اسم الشركة",
    ),
    "phone": (
        "phone", "phone number", "telephone", "tel", "direct phone", "work phone",
        "business phone", "direct dial",
        "телефон", "рабочий телефон",
        "电话", "手机", "手机号", "手机号码", "联系电话", "移动电话",
        "โทรศัพท์", "เบอร์โทร", "เบอร์โทรศัพท์", "โทรศัพท์ที่ทำงาน",
        "الهاتف", "رقم الهاتف", "هاتف العمل",
    ),
    "company_size": (
        "company size", "employees", "number of employees", "no. of employees", "headcount",
        "employee count", "company headcount",
        "размер компании", "сотрудники", "число сотрудников", "кол-во сотрудников",
        "количество сотрудников", "численность сотрудников",
        "员工人数", "公司规模", "员工数", "人员规模", "企业规模",
        "จำนวนพนักงาน", "ขนาดบริษัท", "ขนาดองค์กร",
        "عدد الموظفين", "حجم الشركة",
    ),
    "industry": (
        "industry", "sector", "отрасль", "сфера деятельности", "行业", "所属行业",
        "อุตสาหกรรม", "ประเภทธุรกิจ", "الصناعة", "القطاع",
    ),
    "country": (
        "country", "country/region", "country or region", "страна", "国家", "国家/地区",
        "ประเทศ", "الدولة", "البلد",
    ),
    "city": ("city", "town", "город", "城市", "เมือง", "จังหวัด", "المدينة"),
    "channel": ("channel", "lead channel", "канал", "渠道", "ช่องทาง", "القناة"),
    "source_detail": (
        "source", "lead source", "campaign", "original source", "источник", "кампания",
        "来源", "线索来源", "活动", "市场活动", "แหล่งที่มา", "แคมเปญ", "المصدر", "الحملة",
        "مصدر العميل المحتمل",
    ),
    "status": (
        "lead status", "status", "статус", "статус лида", "стадия", "线索状态", "状态",
        "跟进状态", "สถานะ", "สถานะลีด", "الحالة", "حالة العميل المحتمل",
    ),
}  # fmt: skip

# Spellings taken only when no column has a PREFERRED one for the same field: a second address
# or number is still better than none, and is kept as an attribute when the first is there.
FALLBACK: dict[str, tuple[str, ...]] = {
    "email": (
        "secondary email", "personal email", "personal e-mail", "private e-mail", "other e-mail",
        "email 2", "личный e-mail", "частный e-mail", "другой e-mail", "личная почта", "备用邮箱",
        "个人邮箱", "البريد الإلكتروني الشخصي",
    ),
    "phone": (
        "mobile", "mobile phone", "mobile phone number", "cell", "cell phone", "home phone",
        "other phone", "мобильный телефон", "мобильный", "домашний телефон", "другой телефон",
        "固话", "座机", "มือถือ", "เบอร์มือถือ", "โทรศัพท์มือถือ", "الجوال", "رقم الجوال",
        "الهاتف المحمول",
    ),
    "organization": ("customer", "клиент", "客户"),
}  # fmt: skip
