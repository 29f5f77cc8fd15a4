import json
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from accounts.roles import Role
from intake import capture
from intake.models import FormKey
from leads.models import Activity, ActivityKind, Lead, Stage
from pages.demo.intake import seed_demo_form_keys
from tests.factories import ChannelFactory, LeadFactory

pytestmark = pytest.mark.django_db


SITE = "https://www.northwind.io"


@pytest.fixture
def form_key():
    return capture.new_form_key(
        name="Pricing guide",
        channel=ChannelFactory(slug="ebook", name="Ebook downloads"),
        allowed_origins=[SITE + "/"],
        activity_kind=ActivityKind.CONTENT_DOWNLOAD,
        properties={"asset_type": "ebook"},
    )


def url(form_key):
    return reverse("intake:capture", args=[form_key.key])


PERSON = {"email": "Somchai@SiamTech.co.th", "first_name": "สมชาย", "organization": "สยามเทค"}


def test_a_form_post_upserts_the_lead_and_records_the_activity(client, form_key):
    response = client.post(url(form_key), {**PERSON, "campaign": "q3-ebook", "ebook": "pricing"})

    assert response.status_code == 200
    assert "Thank you" in response.content.decode()
    lead = Lead.objects.get()
    assert (lead.email, lead.first_name, lead.channel) == (
        "somchai@siamtech.co.th", "สมชาย", form_key.channel,
    )  # fmt: skip
    assert lead.source_detail == "q3-ebook"
    activity = Activity.objects.get()
    assert (activity.lead, activity.kind) == (lead, ActivityKind.CONTENT_DOWNLOAD)
    assert activity.properties["asset_type"] == "ebook"
    assert activity.properties["ebook"] == "pricing"
    assert activity.properties["campaign"] == "q3-ebook"


def test_the_captured_lead_is_rescored_and_becomes_an_mql_when_it_qualifies(client, form_key):
    contact = capture.new_form_key(
        name="Talk to sales",
        channel=form_key.channel,
        allowed_origins=[],
        activity_kind=ActivityKind.CONTACT_REQUEST,
    )
    profile = {**PERSON, "last_name": "ใจดี", "title": "Head of IT", "company_size": "240"}

    client.post(url(form_key), profile)
    lead = Lead.objects.get()
    assert (lead.score_agreement_version, lead.stage) == (1, Stage.LEAD)
    client.post(url(contact), profile)

    lead.refresh_from_db()
    assert lead.stage == Stage.MQL


def test_posting_again_updates_the_same_lead(client, form_key):
    client.post(url(form_key), PERSON)
    client.post(url(form_key), {**PERSON, "title": "CTO"})

    assert Lead.objects.get().title == "CTO"
    assert Activity.objects.count() == 2


def test_a_post_never_overwrites_what_the_lead_already_has(client, form_key):
    lead = LeadFactory(
        email="somchai@siamtech.co.th", first_name="Somchai", last_name="", title="CTO",
        organization="Siam Tech", phone="",
    )  # fmt: skip

    client.post(
        url(form_key),
        {**PERSON, "last_name": "Jaidee", "title": "Intern", "phone": "+66 2 000 0000"},
    )

    lead.refresh_from_db()
    assert (lead.first_name, lead.title, lead.organization) == ("Somchai", "CTO", "Siam Tech")
    assert (lead.last_name, lead.phone) == ("Jaidee", "+66 2 000 0000")  # empty ones are filled
    submitted = Activity.objects.get().properties["submitted"]
    assert submitted["first_name"] == "สมชาย"
    assert (submitted["title"], submitted["organization"]) == ("Intern", "สยามเทค")


def test_the_lead_page_shows_what_the_form_submitted(client_as, client, form_key):
    LeadFactory(email="somchai@siamtech.co.th", first_name="Somchai")
    client.post(url(form_key), {**PERSON, "title": "Intern"})

    lead = Lead.objects.get()
    page = client_as(Role.MARKETER).get(reverse("leads:detail", args=[lead.pk])).content.decode()
    assert "submitted via form:" in page
    assert "สมชาย" in page and "Intern" in page


def test_the_key_alone_sets_the_channel_and_the_activity_kind(client, form_key):
    ChannelFactory(slug="webinar", name="Webinars")

    client.post(
        url(form_key),
        {**PERSON, "channel": "webinar", "activity": "demo_request", "kind": "demo_request"},
    )

    assert Lead.objects.get().channel == form_key.channel
    activity = Activity.objects.get()
    assert (activity.channel, activity.kind) == (form_key.channel, ActivityKind.CONTENT_DOWNLOAD)


def test_a_json_post_is_accepted(client, form_key):
    response = client.post(
        url(form_key), json.dumps(PERSON), content_type="application/json", HTTP_ORIGIN=SITE
    )

    assert response.status_code == 200
    assert response.json() == {"ok": True}
    assert response["Access-Control-Allow-Origin"] == SITE
    assert Lead.objects.filter(email="somchai@siamtech.co.th").exists()


def test_a_filled_honeypot_looks_like_success_and_stores_nothing(client, form_key):
    response = client.post(url(form_key), {**PERSON, capture.HONEYPOT_FIELD: "http://spam"})

    assert response.status_code == 200
    assert "Thank you" in response.content.decode()
    assert not Lead.objects.exists()
    assert not Activity.objects.exists()


def test_a_filled_honeypot_redirects_like_success_too(client, form_key):
    response = client.post(
        url(form_key),
        {**PERSON, capture.HONEYPOT_FIELD: "x", "next": SITE + "/thanks"},
    )

    assert (response.status_code, response["Location"]) == (302, SITE + "/thanks")
    assert not Lead.objects.exists()


def test_the_visitor_is_sent_back_to_an_allowed_next_page_only(client, form_key):
    allowed = client.post(url(form_key), {**PERSON, "next": SITE + "/thanks"})
    foreign = client.post(url(form_key), {**PERSON, "next": "https://evil.example/"})

    assert allowed["Location"] == SITE + "/thanks"
    assert foreign.status_code == 200


@pytest.fixture
def one_window(time_machine):
    """The limits count in fixed windows: posts that straddled a window's end (a slow run) would
    start counting again. The clock stands at the start of an hour while the test posts."""
    time_machine.move_to(datetime(2026, 12, 7, 9, 0, tzinfo=UTC), tick=False)


def test_too_many_posts_from_one_address_answer_429_with_retry_after(client, form_key, one_window):
    rule = capture.ADDRESS_LIMIT
    for n in range(rule.limit):
        response = client.post(url(form_key), {**PERSON, "email": f"p{n}@y.co"})
        assert response.status_code == 200

    response = client.post(url(form_key), PERSON)

    assert response.status_code == 429
    assert "your address" in response.json()["detail"]
    assert 1 <= int(response["Retry-After"]) <= rule.window
    other = client.post(url(form_key), PERSON, REMOTE_ADDR="198.51.100.7")
    assert other.status_code == 200


def test_behind_a_proxy_posts_are_counted_per_forwarded_address(
    client, form_key, settings, one_window
):
    settings.TRUSTED_PROXIES = 1
    behind_the_proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for n in range(capture.ADDRESS_LIMIT.limit):
        response = client.post(
            url(form_key),
            {**PERSON, "email": f"p{n}@y.co"},
            HTTP_X_FORWARDED_FOR="203.0.113.9",
            **behind_the_proxy,
        )
        assert response.status_code == 200

    same = client.post(
        url(form_key), PERSON, HTTP_X_FORWARDED_FOR="203.0.113.9", **behind_the_proxy
    )
    other = client.post(
        url(form_key), PERSON, HTTP_X_FORWARDED_FOR="198.51.100.7", **behind_the_proxy
    )

    assert (same.status_code, other.status_code) == (429, 200)


def test_too_many_posts_for_one_email_answer_429_from_any_address(client, form_key, one_window):
    for n in range(capture.EMAIL_LIMIT.limit):
        response = client.post(url(form_key), PERSON, REMOTE_ADDR=f"198.51.100.{n}")
        assert response.status_code == 200

    response = client.post(
        url(form_key), {**PERSON, "email": "SOMCHAI@siamtech.co.th"}, REMOTE_ADDR="203.0.113.9"
    )

    assert response.status_code == 429
    assert "this email" in response.json()["detail"]
    assert client.post(url(form_key), {**PERSON, "email": "x@y.co"}).status_code == 200


def test_too_many_posts_to_one_key_answer_429_from_any_address(
    client, form_key, monkeypatch, one_window
):
    monkeypatch.setattr(capture, "KEY_LIMIT", capture.RateLimit(3, 60))
    for n in range(3):
        response = client.post(
            url(form_key), {**PERSON, "email": f"p{n}@y.co"}, REMOTE_ADDR=f"198.51.100.{n}"
        )
        assert response.status_code == 200

    response = client.post(url(form_key), {**PERSON, "email": "p9@y.co"}, REMOTE_ADDR="203.0.113.9")

    assert response.status_code == 429
    assert "This form" in response.json()["detail"]
    assert int(response["Retry-After"]) >= 1


def test_cors_preflight_answers_the_keys_own_sites_only(client, form_key):
    allowed = client.options(url(form_key), HTTP_ORIGIN=SITE)
    foreign = client.options(url(form_key), HTTP_ORIGIN="https://evil.example")

    assert allowed.status_code == 204
    assert allowed["Access-Control-Allow-Origin"] == SITE
    assert "POST" in allowed["Access-Control-Allow-Methods"]
    assert "Content-Type" in allowed["Access-Control-Allow-Headers"]
    assert "Access-Control-Allow-Origin" not in foreign


def test_cors_is_per_key(client, form_key):
    other_key = capture.new_form_key(
        name="Contact us",
        channel=form_key.channel,
        allowed_origins=["https://partner.example"],
    )

    response = client.options(url(other_key), HTTP_ORIGIN=SITE)
    post = client.post(url(other_key), PERSON, HTTP_ORIGIN=SITE)

    assert "Access-Control-Allow-Origin" not in response
    assert post.status_code == 403
    assert not Lead.objects.exists()


def test_bad_input_is_answered_400_with_the_field(client, form_key):
    response = client.post(
        url(form_key), json.dumps({"email": "nope"}), content_type="application/json"
    )
    page = client.post(url(form_key), {"email": "nope"})

    assert response.status_code == 400
    assert "email" in response.json()
    assert page.status_code == 400
    assert "email" in page.content.decode()
    assert not Lead.objects.exists()


def test_an_inactive_or_unknown_key_is_not_found(client, form_key):
    capture.set_form_key_active(form_key=form_key, active=False)

    assert client.post(url(form_key), PERSON).status_code == 404
    assert client.post(reverse("intake:capture", args=["nope"]), PERSON).status_code == 404


# The marketers' page of form keys


def test_a_marketer_creates_a_key_and_sees_its_snippet(client_as):
    channel = ChannelFactory(slug="website-form", name="Website contact form")
    client = client_as(Role.MARKETER)

    response = client.post(
        reverse("intake:form-keys"),
        {
            "name": "Contact us",
            "channel": channel.pk,
            "activity_kind": ActivityKind.CONTACT_REQUEST,
            "allowed_origins": "https://www.northwind.io",
            "properties": "{}",
        },
    )

    assert response.status_code == 302
    key = FormKey.objects.get()
    page = client.get(reverse("intake:form-keys")).content.decode()
    assert key.key in page
    assert f"/capture/{key.key}/" in page
    assert capture.HONEYPOT_FIELD in page
    assert "Website contact form" in page


def test_a_bad_origin_is_shown_next_to_the_field(client_as):
    channel = ChannelFactory()

    response = client_as(Role.MARKETER).post(
        reverse("intake:form-keys"),
        {"name": "X", "channel": channel.pk, "activity_kind": "form_submit",
         "allowed_origins": "ftp://files.example", "properties": "{}"},
    )  # fmt: skip

    assert response.status_code == 400
    assert "ftp://files.example" in response.content.decode()
    assert not FormKey.objects.exists()


def test_a_marketer_deactivates_a_key(client_as, form_key):
    client_as(Role.MARKETER).post(reverse("intake:form-key-toggle", args=[form_key.pk]))

    form_key.refresh_from_db()
    assert not form_key.is_active


def test_a_marketer_rotates_a_key_and_the_old_one_stops_working(client_as, client, form_key):
    old_key = form_key.key
    marketer = client_as(Role.MARKETER)

    response = marketer.post(
        reverse("intake:form-key-rotate", args=[form_key.pk]), HTTP_HX_REQUEST="true"
    )

    form_key.refresh_from_db()
    assert response.status_code == 200
    assert form_key.key != old_key
    assert form_key.key in response.content.decode()
    assert old_key not in response.content.decode()
    client.logout()
    assert client.post(reverse("intake:capture", args=[old_key]), PERSON).status_code == 404
    assert client.post(url(form_key), PERSON).status_code == 200


def test_a_marketer_deletes_a_key(client_as, form_key):
    response = client_as(Role.MARKETER).post(
        reverse("intake:form-key-delete", args=[form_key.pk]), HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    assert not FormKey.objects.exists()


def test_without_htmx_rotating_and_deleting_go_back_to_the_page(client_as, form_key):
    client = client_as(Role.ADMIN)

    rotated = client.post(reverse("intake:form-key-rotate", args=[form_key.pk]))
    deleted = client.post(reverse("intake:form-key-delete", args=[form_key.pk]))

    assert rotated["Location"] == deleted["Location"] == reverse("intake:form-keys")
    assert not FormKey.objects.exists()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.MARKETER, 200), (Role.ADMIN, 200), (Role.SDR, 403),
        (Role.ACCOUNT_EXECUTIVE, 403), (Role.MANAGER, 403), (None, 403),
    ],
)  # fmt: skip
def test_only_marketers_and_admins_manage_form_keys(client_as, form_key, role, status):
    client = client_as(*([role] if role else []))

    assert client.get(reverse("intake:form-keys")).status_code == status
    for name in ("intake:form-key-toggle", "intake:form-key-rotate", "intake:form-key-delete"):
        response = client.post(reverse(name, args=[form_key.pk]))
        assert response.status_code == (302 if status == 200 else 403)
    assert FormKey.objects.exists() == (status != 200)


def test_anonymous_visitors_are_sent_to_login_for_the_keys_page(client):
    response = client.get(reverse("intake:form-keys"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_keys_page_runs_a_fixed_number_of_queries(
    client_as, form_key, django_assert_max_num_queries
):
    client = client_as(Role.MARKETER)
    with django_assert_max_num_queries(8):
        client.get(reverse("intake:form-keys"))
    for n in range(5):
        capture.new_form_key(name=f"Form {n}", channel=ChannelFactory(), allowed_origins=[])
    with django_assert_max_num_queries(8):
        client.get(reverse("intake:form-keys"))


def test_the_demo_form_keys_are_seeded_once():
    ChannelFactory(slug="website-form", name="Website contact form")
    ChannelFactory(slug="ebook", name="Ebook downloads")

    seed_demo_form_keys()
    seed_demo_form_keys()

    assert sorted(FormKey.objects.values_list("channel__slug", "activity_kind")) == [
        ("ebook", ActivityKind.CONTENT_DOWNLOAD),
        ("website-form", ActivityKind.CONTACT_REQUEST),
    ]
