"""Demo data: realistic multilingual leads and their browsing since they arrived, generated
deterministically. The intent that makes some of them MQLs is the demo's history
(pages/demo/history.py)."""

import random
from datetime import datetime

from leads.models import ActivityKind, ChannelKind

DEMO_PASSWORD = "accord-demo"
# The source system of the demo's activities (their external ids are unique within it).
DEMO_SOURCE = "demo"

# username -> (first name, last name, roles)
DEMO_USERS = {
    "marketer": ("Maya", "Marketing", ["marketer"]),
    "sdr": ("Sam", "Rep", ["sdr"]),
    "sdr2": ("Somchai", "Jaidee", ["sdr"]),
    "ae": ("Alex", "Closer", ["account_executive"]),
    "manager": ("Morgan", "Lead", ["manager"]),
    "admin": ("Ada", "Admin", ["admin"]),
}

CHANNELS = [
    ("Website contact form", "website-form", ChannelKind.INBOUND_FORM),
    ("Ebook downloads", "ebook", ChannelKind.INBOUND_FORM),
    ("Webinars", "webinar", ChannelKind.EVENT),
    ("Trade shows", "trade-show", ChannelKind.EVENT),
    ("Email nurture", "email-nurture", ChannelKind.INTERACTION),
    ("Partner referrals", "referral", ChannelKind.REFERRAL),
    ("Paid search", "paid-search", ChannelKind.PAID),
    ("Purchased list", "purchased-list", ChannelKind.OUTBOUND_LIST),
]

# (first name, last name, ascii handle for the address) per language of the market.
PEOPLE = {
    "th": [
        ("สมชาย", "ใจดี", "somchai.j"),
        ("สุภาพร", "วงศ์สวัสดิ์", "supaporn.w"),
        ("ณัฐวุฒิ", "ศรีสุข", "nattawut.s"),
        ("กมลชนก", "แสงทอง", "kamonchanok.s"),
        ("ธนากร", "พงษ์ไพบูลย์", "thanakorn.p"),
        ("พิมพ์ชนก", "บุญมา", "pimchanok.b"),
    ],
    "zh": [
        ("伟", "王", "wei.wang"),
        ("芳", "李", "fang.li"),
        ("静", "张", "jing.zhang"),
        ("磊", "刘", "lei.liu"),
        ("敏", "陈", "min.chen"),
        ("强", "杨", "qiang.yang"),
    ],
    "ru": [
        ("Иван", "Петров", "ivan.petrov"),
        ("Анна", "Смирнова", "anna.smirnova"),
        ("Дмитрий", "Кузнецов", "dmitry.kuznetsov"),
        ("Ольга", "Попова", "olga.popova"),
        ("Сергей", "Соколов", "sergey.sokolov"),
        ("Екатерина", "Волкова", "ekaterina.volkova"),
    ],
    "ar": [
        ("محمد", "العلي", "mohammed.alali"),
        ("فاطمة", "الزهراني", "fatima.alzahrani"),
        ("أحمد", "الحربي", "ahmed.alharbi"),
        ("نورة", "القحطاني", "noura.alqahtani"),
        ("خالد", "المطيري", "khalid.almutairi"),
        ("ليلى", "حداد", "layla.haddad"),
    ],
    "en": [
        ("Olivia", "Johnson", "olivia.johnson"),
        ("Liam", "Smith", "liam.smith"),
        ("Emma", "Brown", "emma.brown"),
        ("Noah", "Williams", "noah.williams"),
        ("Ava", "Garcia", "ava.garcia"),
        ("Lucas", "Müller", "lucas.mueller"),
        ("Sofía", "Fernández", "sofia.fernandez"),
        ("Chloé", "Dubois", "chloe.dubois"),
    ],
}

# (organization, domain, country code, city, industry, employees) per market.
ORGANIZATIONS = {
    "th": [
        ("สยามเทค โซลูชั่น", "siamtech.co.th", "TH", "กรุงเทพมหานคร", "Software", 240),
        ("บางกอก โลจิสติกส์", "bkklogistics.co.th", "TH", "กรุงเทพมหานคร", "Logistics", 1200),
        ("เชียงใหม่ ฟู้ดส์", "cmfoods.co.th", "TH", "เชียงใหม่", "Food", 85),
    ],
    "zh": [
        ("华信科技有限公司", "huaxin-tech.cn", "CN", "上海", "Software", 560),
        ("远航物流集团", "yuanhang-log.cn", "CN", "深圳", "Logistics", 3400),
        ("明德教育科技", "mingde-edu.cn", "CN", "北京", "Education", 130),
    ],
    "ru": [
        ("ООО «СеверСофт»", "seversoft.ru", "RU", "Санкт-Петербург", "Software", 310),
        ("АО «Волга Логистик»", "volga-log.ru", "RU", "Казань", "Logistics", 900),
        ("ООО «Уральские системы»", "uralsys.ru", "RU", "Екатеринбург", "Manufacturing", 450),
    ],
    "ar": [
        ("شركة الخليج للتقنية", "gulftech.sa", "SA", "الرياض", "Software", 380),
        (
            "مجموعة النخبة للتجارة",
            "nukhba-trading.ae",
            "AE",
            "دبي",
            "Retail",
            1500,
        ),
        ("دار الشرق للاستشارات", "alsharq-consult.qa", "QA", "الدوحة", "Consulting", 60),
    ],
    "en": [
        ("Northwind Analytics", "northwind.io", "US", "Austin", "Software", 420),
        ("Bluefin Logistics", "bluefin.co.uk", "GB", "Manchester", "Logistics", 2100),
        ("Acme Robotics", "acmerobotics.de", "DE", "München", "Manufacturing", 780),
        ("Helios Health", "helioshealth.com", "US", "Boston", "Healthcare", 5200),
    ],
}

TITLES = [
    "Head of Operations",
    "VP Marketing",
    "IT Director",
    "Chief Technology Officer",
    "Operations Manager",
    "Marketing Manager",
    "Software Engineer",
    "Data Analyst",
    "Procurement Officer",
    "Purchasing Manager",
    "Student",
    "CEO",
    "Sales Director",
    "",
]
FREE_MAIL = ["gmail.com", "yahoo.com", "outlook.com", "mail.ru", "qq.com"]

# Browsing, the background of every lead's timeline. Under the starter agreement it is worth 14
# points at most (five email clicks and three pricing views a month, no ebook, no webinar watched
# for half an hour), one short of its threshold: browsing alone makes nobody an MQL, so leads
# qualify when the history says they showed intent, not at whatever moment seeding runs.
ACTIVITY_WEIGHTS = [
    (ActivityKind.PAGE_VIEW, 30),
    (ActivityKind.EMAIL_OPEN, 20),
    (ActivityKind.EMAIL_CLICK, 12),
    (ActivityKind.PRICING_VIEW, 6),
    (ActivityKind.CONTENT_DOWNLOAD, 8),
    (ActivityKind.WEBINAR_REGISTERED, 4),
    (ActivityKind.WEBINAR_ATTENDED, 3),
    (ActivityKind.FORM_SUBMIT, 3),
    (ActivityKind.EVENT_ATTENDED, 2),
    (ActivityKind.UNSUBSCRIBE, 1),
]
ASSETS = ["whitepaper", "checklist", "case_study"]
WEBINAR_MINUTES = [5, 10, 15, 20, 25]
PAGES = ["/", "/product", "/pricing", "/blog/sales-marketing-sla", "/customers", "/docs"]


def demo_leads(count: int, seed: int = 20261125, days: int = 90) -> list[dict]:
    """`count` lead profiles, the same ones on every run (email is the idempotency key)."""
    rng = random.Random(seed)
    markets = list(PEOPLE)
    leads = []
    for number in range(count):
        market = markets[number % len(markets)]
        first, last, handle = rng.choice(PEOPLE[market])
        org, domain, country, city, industry, size = rng.choice(ORGANIZATIONS[market])
        if rng.random() < 0.12:
            domain = rng.choice(FREE_MAIL)
        leads.append(
            {
                "email": f"{handle}{number}@{domain}",
                "first_name": first,
                "last_name": last if rng.random() > 0.05 else "",
                "title": rng.choice(TITLES),
                "organization": org if rng.random() > 0.06 else "",
                "phone": f"+{rng.randint(1, 99)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
                "company_size": size,
                "industry": industry,
                "country": country,
                "city": city,
                "social_handles": {"linkedin": f"https://www.linkedin.com/in/{handle}"}
                if rng.random() < 0.5
                else {},
                "channel": rng.choice(CHANNELS)[1],
                "source_detail": rng.choice(
                    ["", "Spring campaign", "Q4 webinar series", "Partner A"]
                ),
                "attributes": {
                    "campaign": rng.choice(["spring-launch", "q4-webinars", "always-on"])
                },
                # Spread over the period without disturbing the random sequence above.
                "created_days_ago": 1 + (number * 37) % days,
            }
        )
    return leads


def demo_activities(leads: list[tuple[str, datetime]], now: datetime, seed: int = 7) -> list[dict]:
    """Browsing of each (email, arrived at) lead between its arrival and `now`, each activity
    with a stable external id so reseeding adds nothing."""
    rng = random.Random(seed)
    kinds = [kind for kind, _ in ACTIVITY_WEIGHTS]
    weights = [weight for _, weight in ACTIVITY_WEIGHTS]
    activities = []
    for lead_number, (email, arrived_at) in enumerate(leads):
        since = now - arrived_at
        for event_number in range(rng.randint(0, 14)):
            kind = rng.choices(kinds, weights)[0]
            properties = {}
            if kind == ActivityKind.PAGE_VIEW:
                properties["url"] = rng.choice(PAGES)
            elif kind == ActivityKind.PRICING_VIEW:
                properties["url"] = "/pricing"
            elif kind == ActivityKind.CONTENT_DOWNLOAD:
                properties["asset_type"] = rng.choice(ASSETS)
            elif kind == ActivityKind.WEBINAR_ATTENDED:
                properties["minutes"] = rng.choice(WEBINAR_MINUTES)
            activities.append(
                {
                    "email": email,
                    "kind": kind,
                    # One draw whatever the span, so a later run draws the same activities.
                    "occurred_at": arrived_at + since * rng.random(),
                    "properties": properties,
                    "external_id": f"demo-{lead_number}-{event_number}",
                }
            )
    return activities
