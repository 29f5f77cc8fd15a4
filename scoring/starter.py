"""The starter agreement: a sensible first version for a B2B team to edit, and the seed data.

Rule ids are stable names so that explanations recorded under this version stay readable.
"""

from django.utils.translation import gettext_noop

from scoring.engine import (
    ActionRule,
    AgreementSpec,
    NegativeRule,
    ProfileRule,
    PropertyCondition,
)

# Personal mailboxes rather than company addresses, in the markets Accord's teams sell to; a
# domain rule covers its subdomains too (vip.qq.com, vip.163.com).
FREE_MAIL_DOMAINS = (
    # worldwide
    "gmail.com",
    "googlemail.com",
    "yahoo.com",
    "hotmail.com",
    "outlook.com",
    "live.com",
    "icloud.com",
    "proton.me",
    "protonmail.com",
    # China
    "qq.com",
    "163.com",
    "126.com",
    "yeah.net",
    "sina.com",
    "sina.cn",
    "sohu.com",
    "foxmail.com",
    "aliyun.com",
    "139.com",
    # Russia
    "mail.ru",
    "bk.ru",
    "list.ru",
    "inbox.ru",
    "internet.ru",
    "yandex.ru",
    "yandex.com",
    "ya.ru",
    "rambler.ru",
    # Thailand
    "yahoo.co.th",
    "hotmail.co.th",
)

# Titles of people who do not buy (purchasing runs a tender once sales found the buyer; students
# research), in Accord's five languages. `contains` reads stems: "закуп" catches закупки and
# закупщик, "طالب" catches طالبة (and, a known cost, مطالبات, "claims"). Folding (core/text.py)
# makes 採購 read as 采购 and مشتريات match with or without hamza and diacritics.
EXCLUDED_TITLE_WORDS = (
    "procurement",
    "purchasing",
    "student",
    "จัดซื้อ",
    "นักศึกษา",
    "นักเรียน",
    "采购",
    "学生",
    "закуп",
    "снабжен",
    "студент",
    "مشتريات",
    "طالب",
)


def starter_agreement(*, version: int = 1) -> AgreementSpec:
    return AgreementSpec(
        version=version,
        threshold=15,
        decay_after_days=14,
        decay_percent_per_week=25,
        profile_rules=tuple(
            ProfileRule(id=field, field=field, operator="present")
            for field in ("first_name", "last_name", "title", "organization")
        ),
        negative_rules=(
            NegativeRule(
                id="free_mail", field="email_domain", operator="one_of", value=FREE_MAIL_DOMAINS
            ),
            NegativeRule(
                id="excluded_title",
                field="title",
                operator="contains",
                value=EXCLUDED_TITLE_WORDS,
            ),
            NegativeRule(id="unsubscribed", activity_kind="unsubscribe"),
        ),
        action_rules=(
            ActionRule(
                id="ebook_download",
                kind="content_download",
                conditions=(PropertyCondition(key="asset_type", operator="equals", value="ebook"),),
                points=5,
                cap=3,
                window_days=90,
            ),
            ActionRule(id="contact_request", kind="contact_request", points=10),
            ActionRule(id="demo_request", kind="demo_request", points=15),
            ActionRule(id="pricing_view", kind="pricing_view", points=3, cap=3, window_days=30),
            ActionRule(
                id="webinar_attended_30min",
                kind="webinar_attended",
                conditions=(PropertyCondition(key="minutes", operator="at_least", value=30),),
                points=8,
            ),
            ActionRule(id="trade_show_conversation", kind="trade_show_conversation", points=8),
            ActionRule(id="email_click", kind="email_click", points=1, cap=5, window_days=30),
        ),
    )


# Translated when shown (core.i18n) while a team keeps them as shipped.
STARTER_NAME = gettext_noop("Starter agreement")
STARTER_NARRATIVE = gettext_noop(
    "A lead is marketing qualified when we know who they are (first name, last name, title and "
    "organization), they write from a company address in a role that buys, and they have shown "
    "intent: together at least 15 points from content, pricing, events and requests to talk to "
    "sales. Points fade when a lead goes quiet for two weeks."
)


def install_starter_agreement(apps) -> bool:
    """Publish the starter agreement as version 1 when no agreement exists yet; idempotent.

    A fresh install starts from it without sign-offs (nobody exists to sign yet): it is the
    common ground every team edits, and its first edit goes through sign-off like any other.
    `apps` is a migration's app registry or django.apps.apps.
    """
    from django.utils import timezone

    from scoring.convert import rows_from_spec

    Agreement = apps.get_model("scoring", "Agreement")
    if Agreement.objects.exists():
        return False
    spec = starter_agreement(version=1)
    agreement = Agreement.objects.create(
        version=spec.version,
        name=STARTER_NAME,
        narrative=STARTER_NARRATIVE,
        status="published",
        threshold=spec.threshold,
        decay_after_days=spec.decay_after_days,
        decay_percent_per_week=spec.decay_percent_per_week,
        published_at=timezone.now(),
    )
    models = {
        "profile": "ProfileRule",
        "channel": "ChannelRule",
        "action": "ActionRule",
        "negative": "NegativeRule",
    }
    for kind, rows in rows_from_spec(spec).items():
        Model = apps.get_model("scoring", models[kind])
        Model.objects.bulk_create(
            Model(agreement=agreement, position=position, **row)
            for position, row in enumerate(rows)
        )
    return True
