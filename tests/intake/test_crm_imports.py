"""Moving in from the CRMs teams use today (issue 16): exports of Bitrix24, Salesforce, HubSpot,
Zoho, Odoo and Chinese CRMs, and trade-fair lists in Thai and Arabic, map without a hand-made
mapping, and their leads pass the starter agreement's name gates."""

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from intake.imports.mapping import ATTRIBUTE, guess_mapping
from intake.imports.names import COMPOUND_FAMILY_NAMES, NameParts, split_full_name
from intake.imports.values import read_size, read_status
from leads.models import OPEN_COMPANY_SIZE, Lead, LeadStatus
from leads.services import store_leads
from tests.intake.test_imports import (
    checked,
    imported,
    media,  # noqa: F401  (autouse: files in tmp, tasks at once)
    upload,
)

pytestmark = pytest.mark.django_db

# A Bitrix24 lead export from the Russian interface: semicolons, both e-mails and both phones.
BITRIX24 = (
    "ID;Название лида;Имя;Отчество;Фамилия;Статус;Источник;Название компании;Должность;"
    "Личный e-mail;Рабочий e-mail;Мобильный телефон;Рабочий телефон;Кол-во сотрудников\n"
    "101;Заявка с сайта;Иван;Петрович;Смирнов;В работе;Веб-сайт;ООО «СеверСофт»;"
    "Технический директор;ivan.smirnov@mail.ru;i.smirnov@severosoft.ru;+7 921 000-00-00;"
    "+7 812 000-00-00;от 50 до 100\n"
    "102;Выставка;Ольга;Сергеевна;Кузнецова;Некачественный лид;Выставка;АО «Вектор»;"
    "Финансовый директор;;o.kuznetsova@vector.ru;;;более 500\n"
)
SALESFORCE = (
    "First Name,Last Name,Title,Company / Account,Email,Phone,Lead Source,Lead Status,"
    "No. of Employees,Country\n"
    "Olivia,Martin,VP Marketing,Northwind Traders,olivia@northwind.io,+1 415 555 0100,"
    "Web,Working - Contacted,1500,United States\n"
    'Liam,Chen,CTO,Contoso,liam@contoso.com,,Trade Show,Open - Not Contacted,"1,001-5,000",'
    "Singapore\n"
)
HUBSPOT = (
    "Record ID,First Name,Last Name,Email,Phone Number,Job Title,Company Name,Country/Region,"
    "Lead Status,Number of Employees,Lifecycle Stage\n"
    "5101,Somchai,Jaidee,somchai@siamtech.co.th,+66 2 123 4567,IT Manager,Siam Tech,Thailand,"
    "Attempted to Contact,51-200,lead\n"
)
ZOHO = (
    "Lead Owner,First Name,Last Name,Company,Designation,Email,Secondary Email,Mobile,"
    "Lead Status,Lead Source,No. of Employees\n"
    "Priya Rao,Ahmed,Al-Farsi,Gulf Logistics,Operations Director,ahmed@gulflog.sa,"
    "ahmed@gmail.com,+966 50 000 0000,Contact in Future,Trade Show,10000+\n"
)
ODOO = (
    "Opportunity,Contact Name,Company Name,Job Position,Email,Phone,Mobile,Country,Tags\n"
    "Office design,Maria Garcia,Deco Addict,Purchasing Manager,maria@decoaddict.example,"
    "+34 600 000 000,,Spain,Design\n"
    "ERP rollout,Hans van der Berg,Gemini Furniture,Chief Operations Officer,"
    "hans@gemini.example,,,Netherlands,ERP\n"
)
CHINESE_CRM = (
    "姓名,手机,邮箱,公司名称,职位,线索来源,线索状态,公司规模\n"
    "王伟,13800000000,wang.wei@huatong.cn,华通科技,技术总监,展会,未处理,51–200 人\n"
    "欧阳娜娜,13900000000,ouyang@jiaxin.cn,嘉信咨询,市场经理,官网,跟进中,5000以上\n"
)
THAI_FAIR = (
    "ชื่อ-นามสกุล,อีเมล,บริษัท,ตำแหน่ง,เบอร์มือถือ,จำนวนพนักงาน\n"
    "สมชาย ใจดี,somchai@siamtech.co.th,สยามเทค โซลูชั่น,ผู้จัดการฝ่ายไอที,081 000 0000,201-500\n"
)


def arabic_fair_xlsx() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["الاسم الكامل", "البريد الإلكتروني", "اسم الشركة", "المسمى الوظيفي", "الجوال"])
    sheet.append(["عبد الله الأحمد", "abdullah@gulf.sa", "الخليج للتقنية", "مدير المبيعات", "+966"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def fields_of(job) -> dict[str, str]:
    """Field -> the header it was guessed from."""
    return {
        target: job.headers[int(index)]
        for index, target in job.mapping.items()
        if target not in ("", ATTRIBUTE)
    }


def import_file(content: bytes, django_capture_on_commit_callbacks, name="leads.csv"):
    job = imported(checked(upload(content, name=name)), django_capture_on_commit_callbacks)
    assert job.rejected_count == 0, list(job.rejections.values_list("row_number", "reason"))
    return job, {lead.email: lead for lead in Lead.objects.all()}


def name_gates_unmet(lead) -> list[str]:
    return [
        gate["id"]
        for gate in lead.score_explanation["gates_unmet"]
        if gate["id"] in ("first_name", "last_name")
    ]


def test_a_bitrix24_export_from_the_russian_interface_imports_without_a_mapping(
    django_capture_on_commit_callbacks,
):
    job, leads = import_file(BITRIX24.encode(), django_capture_on_commit_callbacks)

    assert fields_of(job) == {
        "first_name": "Имя", "middle_name": "Отчество", "last_name": "Фамилия",
        "status": "Статус", "source_detail": "Источник", "organization": "Название компании",
        "title": "Должность", "email": "Рабочий e-mail", "phone": "Рабочий телефон",
        "company_size": "Кол-во сотрудников",
    }  # fmt: skip
    ivan = leads["i.smirnov@severosoft.ru"]
    assert (ivan.first_name, ivan.last_name, ivan.title) == (
        "Иван",
        "Смирнов",
        "Технический директор",
    )
    assert ivan.middle_name == "Петрович"
    assert "middle_name" not in ivan.attributes
    # The personal address and the mobile are kept, as attributes, beside the work ones.
    assert ivan.attributes["Личный e-mail"] == "ivan.smirnov@mail.ru"
    assert ivan.attributes["Мобильный телефон"] == "+7 921 000-00-00"
    assert (ivan.status, ivan.company_size, ivan.company_size_max) == (
        LeadStatus.IN_PROGRESS,
        50,
        100,
    )
    olga = leads["o.kuznetsova@vector.ru"]
    assert (olga.status, olga.company_size, olga.company_size_max) == (
        LeadStatus.UNQUALIFIED, 501, OPEN_COMPANY_SIZE,
    )  # fmt: skip
    assert [name_gates_unmet(lead) for lead in leads.values()] == [[], []]
    # The personal mail.ru address did not make them free-mail leads: the work one is the lead's.
    assert all(
        "free_mail" not in [n["id"] for n in lead.score_explanation["negatives"]]
        for lead in leads.values()
    )


def test_a_salesforce_lead_report_imports_without_a_mapping(django_capture_on_commit_callbacks):
    job, leads = import_file(SALESFORCE.encode(), django_capture_on_commit_callbacks)

    assert fields_of(job) == {
        "first_name": "First Name", "last_name": "Last Name", "title": "Title",
        "organization": "Company / Account", "email": "Email", "phone": "Phone",
        "source_detail": "Lead Source", "status": "Lead Status",
        "company_size": "No. of Employees", "country": "Country",
    }  # fmt: skip
    olivia, liam = leads["olivia@northwind.io"], leads["liam@contoso.com"]
    assert (olivia.organization, olivia.status, olivia.company_size) == (
        "Northwind Traders", LeadStatus.IN_PROGRESS, 1500,
    )  # fmt: skip
    assert olivia.company_size_max is None
    assert (liam.status, liam.company_size, liam.company_size_max) == (LeadStatus.NEW, 1001, 5000)
    assert [name_gates_unmet(lead) for lead in leads.values()] == [[], []]


def test_a_hubspot_contact_export_imports_without_a_mapping(django_capture_on_commit_callbacks):
    job, leads = import_file(HUBSPOT.encode(), django_capture_on_commit_callbacks)

    assert fields_of(job)["country"] == "Country/Region"
    assert fields_of(job)["organization"] == "Company Name"
    lead = leads["somchai@siamtech.co.th"]
    assert (lead.country.code, lead.title, lead.phone) == ("TH", "IT Manager", "+66 2 123 4567")
    assert (lead.status, lead.company_size_text) == (LeadStatus.ATTEMPTED_TO_CONTACT, "51–200")
    assert lead.attributes == {"Record ID": "5101", "Lifecycle Stage": "lead"}
    assert name_gates_unmet(lead) == []


def test_a_zoho_export_imports_without_a_mapping(django_capture_on_commit_callbacks):
    job, leads = import_file(ZOHO.encode(), django_capture_on_commit_callbacks)

    assert fields_of(job)["title"] == "Designation"
    assert fields_of(job)["email"] == "Email"
    assert fields_of(job)["phone"] == "Mobile"
    lead = leads["ahmed@gulflog.sa"]
    assert lead.attributes["Secondary Email"] == "ahmed@gmail.com"
    assert (lead.status, lead.company_size_text) == (LeadStatus.BAD_TIMING, "10000+")
    assert name_gates_unmet(lead) == []


def test_an_odoo_export_imports_with_its_contact_name_split(django_capture_on_commit_callbacks):
    job, leads = import_file(ODOO.encode(), django_capture_on_commit_callbacks)

    assert fields_of(job) == {
        "full_name": "Contact Name", "organization": "Company Name", "title": "Job Position",
        "email": "Email", "phone": "Phone", "country": "Country",
    }  # fmt: skip
    maria, hans = leads["maria@decoaddict.example"], leads["hans@gemini.example"]
    assert (maria.first_name, maria.last_name, maria.title) == (
        "Maria", "Garcia", "Purchasing Manager",
    )  # fmt: skip
    assert (hans.first_name, hans.last_name) == ("Hans", "van der Berg")
    assert [name_gates_unmet(lead) for lead in leads.values()] == [[], []]
    # Imported like any lead: the purchasing title is still a negative under the starter.
    assert "excluded_title" in [n["id"] for n in maria.score_explanation["negatives"]]


def test_a_chinese_crm_export_imports_family_name_first(django_capture_on_commit_callbacks):
    job, leads = import_file(CHINESE_CRM.encode(), django_capture_on_commit_callbacks)

    assert fields_of(job) == {
        "full_name": "姓名", "phone": "手机", "email": "邮箱", "organization": "公司名称",
        "title": "职位", "source_detail": "线索来源", "status": "线索状态",
        "company_size": "公司规模",
    }  # fmt: skip
    wang, ouyang = leads["wang.wei@huatong.cn"], leads["ouyang@jiaxin.cn"]
    assert (wang.last_name, wang.first_name, wang.status) == ("王", "伟", LeadStatus.NEW)
    assert (wang.company_size, wang.company_size_max) == (51, 200)
    assert (ouyang.last_name, ouyang.first_name) == ("欧阳", "娜娜")
    assert (ouyang.status, ouyang.company_size_text) == (LeadStatus.IN_PROGRESS, "5000+")
    assert [name_gates_unmet(lead) for lead in leads.values()] == [[], []]


def test_trade_fair_lists_in_thai_and_arabic_import_with_their_full_names_split(
    django_capture_on_commit_callbacks,
):
    _job, leads = import_file(THAI_FAIR.encode(), django_capture_on_commit_callbacks)
    somchai = leads["somchai@siamtech.co.th"]
    assert (somchai.first_name, somchai.last_name, somchai.phone) == (
        "สมชาย",
        "ใจดี",
        "081 000 0000",
    )
    assert somchai.company_size_text == "201–500"

    _job, leads = import_file(
        arabic_fair_xlsx(), django_capture_on_commit_callbacks, name="fair.xlsx"
    )
    abdullah = leads["abdullah@gulf.sa"]
    assert (abdullah.first_name, abdullah.last_name) == ("عبد الله", "الأحمد")
    assert abdullah.organization == "الخليج للتقنية"
    assert name_gates_unmet(somchai) == name_gates_unmet(abdullah) == []


def test_a_first_and_last_name_column_wins_over_the_split_full_name(
    django_capture_on_commit_callbacks,
):
    content = "Full name,First name,Email\nMaría José García,María José,mj@acme.io\n"

    _job, leads = import_file(content.encode(), django_capture_on_commit_callbacks)

    lead = leads["mj@acme.io"]
    assert (lead.first_name, lead.last_name) == ("María José", "García")


@pytest.mark.parametrize(
    ("headers", "email", "phone"),
    [
        (["Личный e-mail", "Рабочий e-mail"], 1, None),
        (["Рабочий e-mail", "Личный e-mail"], 0, None),
        (["Личный e-mail", "Имя"], 0, None),
        (["Мобильный телефон", "Рабочий телефон", "E-mail"], 2, 1),
        (["Mobile", "Email"], 1, 0),
        (["手机", "固话", "邮箱"], 2, 0),
    ],
)
def test_of_two_columns_for_one_field_the_work_one_is_chosen(headers, email, phone):
    mapping = guess_mapping(headers)

    assert mapping[str(email)] == "email"
    if phone is not None:
        assert mapping[str(phone)] == "phone"
    fields = [target for target in mapping.values() if target != ATTRIBUTE]
    assert len(fields) == len(set(fields))


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Company / Account", "organization"), ("No. of Employees", "company_size"),
        ("Country/Region", "country"), ("Designation", "title"), ("Contact Name", "full_name"),
        ("Job Position", "title"), ("Рабочий e-mail", "email"), ("Рабочий телефон", "phone"),
        ("ФИО", "full_name"), ("Ф.И.О.", "full_name"), ("姓名", "full_name"),
        ("ชื่อ-นามสกุล", "full_name"), ("الاسم الكامل", "full_name"), ("Full name", "full_name"),
        ("Lead Status", "status"), ("Статус", "status"), ("线索状态", "status"),
        ("สถานะ", "status"), ("الحالة", "status"), ("Кол-во сотрудников", "company_size"),
        ("公司规模", "company_size"), ("ขนาดบริษัท", "company_size"), ("حجم الشركة", "company_size"),
        ("Отчество", "middle_name"), ("客户名称", "organization"), ("手机号码", "phone"),
    ],
)  # fmt: skip
def test_the_headers_of_real_exports_are_recognized(header, field):
    assert guess_mapping([header]) == {"0": field}


@pytest.mark.parametrize(
    ("word", "status"),
    [
        ("Attempting to Contact", LeadStatus.ATTEMPTED_TO_CONTACT),
        ("Working - Contacted", LeadStatus.IN_PROGRESS),
        ("Closed - Converted", LeadStatus.OPEN_DEAL),
        ("Closed - Not Converted", LeadStatus.UNQUALIFIED),
        ("Nurturing", LeadStatus.BAD_TIMING),
        ("Junk Lead", LeadStatus.UNQUALIFIED),
        ("Contacted", LeadStatus.CONNECTED),
        ("open deal", LeadStatus.OPEN_DEAL),
        ("В работе", LeadStatus.IN_PROGRESS),
        ("Некачественный лид", LeadStatus.UNQUALIFIED),
        ("Не обработан", LeadStatus.NEW),
        ("Неподходящее время", LeadStatus.BAD_TIMING),
        ("未处理", LeadStatus.NEW),
        ("已联系", LeadStatus.CONNECTED),
        ("无效", LeadStatus.UNQUALIFIED),
        ("商机进行中", LeadStatus.OPEN_DEAL),
        ("กำลังดำเนินการ", LeadStatus.IN_PROGRESS),
        ("พยายามติดต่อแล้ว", LeadStatus.ATTEMPTED_TO_CONTACT),
        ("تمت محاولة التواصل", LeadStatus.ATTEMPTED_TO_CONTACT),
        ("توقيت غير مناسب", LeadStatus.BAD_TIMING),
        ("in_progress", LeadStatus.IN_PROGRESS),
    ],
)
def test_the_status_words_of_crms_and_languages_map_to_the_eight_statuses(word, status):
    assert read_status(word) == status


def test_each_status_is_known_by_its_name_in_each_language():
    from django.conf import settings as django_settings
    from django.utils import translation

    for language, _name in django_settings.LANGUAGES:
        with translation.override(language):
            for status in LeadStatus:
                assert read_status(f"  {str(status.label).upper()} ") == status, language


def test_a_row_with_an_unknown_status_is_rejected_with_the_word_and_the_others_import(
    django_capture_on_commit_callbacks,
):
    content = "Email,Name,Lead Status\nana@acme.io,Ana Lima,Hot\nbo@acme.io,Bo Berg,New\n"

    job = imported(checked(upload(content.encode())), django_capture_on_commit_callbacks)

    assert (job.created_count, job.rejected_count) == (1, 1)
    reason = job.rejections.get().reason
    assert "“Hot”" in reason and "Bad timing" in reason
    assert Lead.objects.get().status == LeadStatus.NEW


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("85", (85, None)), ("51-200", (51, 200)), ("51 – 200", (51, 200)),
        ("1,001-5,000", (1001, 5000)), ("10000+", (10000, OPEN_COMPANY_SIZE)),
        ("10,001+", (10001, OPEN_COMPANY_SIZE)), ("от 50 до 100", (50, 100)),
        ("51–200 人", (51, 200)), ("1 000 – 5 000 сотрудников", (1000, 5000)),
        ("более 500", (501, OPEN_COMPANY_SIZE)), ("менее 50", (1, 49)), ("до 50", (1, 50)),
        ("5000以上", (5000, OPEN_COMPANY_SIZE)), ("少于50人", (1, 49)),
        ("201-500 คน", (201, 500)), ("500 คนขึ้นไป", (500, OPEN_COMPANY_SIZE)),
        ("أكثر من 1000", (1001, OPEN_COMPANY_SIZE)), ("٥١-٢٠٠", (51, 200)),
        ("1-10 employees", (1, 10)), ("100-100", (100, None)),
        ("lots", None), ("200-51", None), ("1-2-3", None), ("", None),
    ],
)  # fmt: skip
def test_company_sizes_are_read_as_exact_numbers_or_ranges(text, size):
    assert read_size(text) == size


def test_an_unreadable_size_is_rejected_and_a_range_replaces_an_exact_size_on_update(
    django_capture_on_commit_callbacks,
):
    store_leads([{"email": "ana@acme.io", "company_size": 40}])
    content = "Email,Employees\nana@acme.io,51-200\nbo@acme.io,a few\n"

    job = imported(checked(upload(content.encode())), django_capture_on_commit_callbacks)

    assert (job.updated_count, job.rejected_count) == (1, 1)
    assert "“a few”" in job.rejections.get().reason
    assert Lead.objects.get().company_size_text == "51–200"
    # An exact size written later replaces the range whole.
    store_leads([{"email": "ana@acme.io", "company_size": 75}])
    lead = Lead.objects.get()
    assert (lead.company_size, lead.company_size_max) == (75, None)


# Full names


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("王伟", NameParts(first="伟", last="王")),
        ("欧阳娜娜", NameParts(first="娜娜", last="欧阳")),
        ("司马相如", NameParts(first="相如", last="司马")),
        ("諸葛亮", NameParts(first="亮", last="諸葛")),
        ("王 伟", NameParts(first="伟", last="王")),
        ("阿卜杜拉·买买提", NameParts(first="阿卜杜拉", last="买买提")),
        ("Иванов Иван Петрович", NameParts(first="Иван", last="Иванов", middle="Петрович")),
        ("Иван Петрович Иванов", NameParts(first="Иван", last="Иванов", middle="Петрович")),
        ("Ким Ольга Сергеевна", NameParts(first="Ольга", last="Ким", middle="Сергеевна")),
        ("Мамедов Рашид Ахмед оглы", NameParts(first="Рашид", last="Мамедов", middle="Ахмед оглы")),
        ("Иванов Иван", NameParts(first="Иван", last="Иванов")),
        ("Иван Петров", NameParts(first="Иван", last="Петров")),
        ("สมชาย ใจดี", NameParts(first="สมชาย", last="ใจดี")),
        ("محمد الأحمد", NameParts(first="محمد", last="الأحمد")),
        ("عبد الرحمن بن خالد", NameParts(first="عبد الرحمن", last="بن خالد")),
        ("Olivia Martin", NameParts(first="Olivia", last="Martin")),
        ("Mary Jane Watson", NameParts(first="Mary Jane", last="Watson")),
        ("Ludwig van Beethoven", NameParts(first="Ludwig", last="van Beethoven")),
        ("Cher", NameParts(first="Cher")),
        ("  ", NameParts()),
    ],
)  # fmt: skip
def test_a_full_name_is_split_in_the_order_its_tradition_writes_it(text, parts):
    assert split_full_name(text) == parts


NAME_CHARACTERS = st.sampled_from(
    list("王李张欧阳司马伟娜ИванПетровичоглыสมชายใจดีمحمدعبدالله Mary-Jané·'")
)


@settings(max_examples=300)
@given(st.text(NAME_CHARACTERS, max_size=30))
def test_splitting_keeps_every_character_of_the_name_in_exactly_one_part(text):
    parts = split_full_name(text)

    kept = parts.first + parts.last + parts.middle
    # Only the spaces and the middle dots between the parts are not kept.
    assert sorted(kept.replace(" ", "")) == sorted(c for c in text if c not in " ·")
    if text.strip(" ·"):
        assert parts.first or parts.last


@given(
    family=st.sampled_from(sorted(COMPOUND_FAMILY_NAMES | set("王李张刘陈"))),
    given_name=st.text(st.sampled_from(list("伟娜芳敏静丽强磊军洋")), min_size=1, max_size=2),
)
def test_a_chinese_or_korean_name_is_family_name_first(family, given_name):
    assert split_full_name(family + given_name) == NameParts(first=given_name, last=family)
