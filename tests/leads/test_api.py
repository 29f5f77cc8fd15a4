import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient
from rest_framework.throttling import UserRateThrottle

from accounts.roles import Role
from leads.models import Lead, LeadStatus, Stage
from tests.factories import ActivityFactory, ChannelFactory, LeadFactory

pytestmark = pytest.mark.django_db

LEAD_FIELDS = {
    "id",
    "email",
    "do_not_contact",
    "erased_at",
    "display_name",
    "first_name",
    "middle_name",
    "last_name",
    "title",
    "organization",
    "phone",
    "company_size",
    "company_size_max",
    "industry",
    "country",
    "country_name",
    "city",
    "channel",
    "stage",
    "status",
    "owner",
    "score",
    "agreement_version",
    "explanation",
    "created_at",
    "updated_at",
    "attributes",
    "social_handles",
    "source_detail",
}
WRITERS = [Role.MARKETER, Role.MANAGER, Role.ADMIN]
NON_WRITERS = [Role.SDR, Role.ACCOUNT_EXECUTIVE]


@pytest.fixture
def lead():
    return LeadFactory(email="ana@northwind.io", channel=ChannelFactory(slug="webinar"))


@pytest.mark.parametrize("role", list(Role))
def test_every_role_reads_leads_with_the_contract_fields(api_as, lead, role):
    api = api_as(role)

    listed = api.get("/api/v1/leads/")
    detail = api.get(f"/api/v1/leads/{lead.pk}/")

    assert listed.status_code == detail.status_code == 200
    assert set(listed.json()["results"][0]) == LEAD_FIELDS
    assert detail.json()["email"] == "ana@northwind.io"
    assert detail.json()["channel"] == "webinar"
    assert detail.json()["stage"] == Stage.LEAD


def test_a_user_without_a_role_is_forbidden(api_as, lead):
    api = api_as()

    assert api.get("/api/v1/leads/").status_code == 403
    assert api.get(f"/api/v1/leads/{lead.pk}/").status_code == 403
    assert api.post("/api/v1/activities/", [], format="json").status_code == 403


@pytest.mark.parametrize(
    ("method", "url"),
    [("get", "/api/v1/leads/"), ("post", "/api/v1/leads/"), ("post", "/api/v1/activities/")],
)
def test_anonymous_calls_are_401_with_a_challenge(method, url):
    response = getattr(APIClient(), method)(url, {}, format="json")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_a_bad_token_is_401(lead):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION="Token not-a-real-key")

    assert api.get("/api/v1/leads/").status_code == 401


def test_the_browser_session_works_too(client_as, lead):
    response = client_as(Role.SDR).get("/api/v1/leads/")

    assert response.status_code == 200


def test_an_unknown_lead_is_404(api_as):
    api = api_as(Role.MARKETER)

    assert api.get("/api/v1/leads/-1/").json() == {"detail": "Not found."}
    assert api.get("/api/v1/leads/?cursor=garbage").status_code == 404
    assert api.get("/api/v1/leads/999999/").status_code == 404
    assert api.patch("/api/v1/leads/999999/", {"status": "open"}, format="json").status_code == 404


@pytest.mark.parametrize("role", WRITERS)
def test_writers_upsert_by_email_201_then_200(api_as, role):
    ChannelFactory(slug="ebook")
    api = api_as(role)

    created = api.post(
        "/api/v1/leads/",
        {"email": "Ana@Northwind.io", "first_name": "Ana", "channel": "ebook"},
        format="json",
    )
    updated = api.post(
        "/api/v1/leads/", {"email": "ana@northwind.io", "title": "CTO"}, format="json"
    )

    assert created.status_code == 201
    assert updated.status_code == 200
    assert set(created.json()) == LEAD_FIELDS
    assert created.json()["id"] == updated.json()["id"]
    assert (updated.json()["first_name"], updated.json()["title"]) == ("Ana", "CTO")
    assert updated.json()["channel"] == "ebook"
    assert Lead.objects.get().title == "CTO"


@pytest.mark.parametrize("role", NON_WRITERS)
def test_sales_roles_may_not_create_leads_or_post_activities(api_as, role):
    api = api_as(role)

    assert api.post("/api/v1/leads/", {"email": "a@b.io"}, format="json").status_code == 403
    assert api.post("/api/v1/activities/", [], format="json").status_code == 403
    assert not Lead.objects.exists()


@pytest.mark.parametrize("role", WRITERS)
def test_every_writing_role_may_patch_the_status_of_a_lead_never_queued(api_as, lead, role):
    response = api_as(role).patch(
        f"/api/v1/leads/{lead.pk}/", {"status": "connected"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["status"] == LeadStatus.CONNECTED


@pytest.mark.parametrize("role", NON_WRITERS)
def test_sales_roles_may_patch_the_status_of_the_leads_they_work_only(make_user, lead, role):
    rep, api = make_user(role), APIClient()
    api.force_authenticate(rep)
    mine = LeadFactory(owner=rep)

    refused = api.patch(f"/api/v1/leads/{lead.pk}/", {"status": "connected"}, format="json")
    allowed = api.patch(f"/api/v1/leads/{mine.pk}/", {"status": "connected"}, format="json")

    assert refused.status_code == 403
    assert Lead.objects.get(pk=lead.pk).status == LeadStatus.NEW
    assert allowed.status_code == 200
    assert allowed.json()["status"] == LeadStatus.CONNECTED


@pytest.mark.parametrize("role", NON_WRITERS)
def test_sales_roles_may_not_patch_other_fields(api_as, lead, role):
    response = api_as(role).patch(f"/api/v1/leads/{lead.pk}/", {"title": "CEO"}, format="json")

    assert response.status_code == 403
    lead.refresh_from_db()
    assert lead.title != "CEO"


def test_an_upsert_that_completes_an_engaged_profile_makes_the_lead_an_mql(api_as):
    lead = LeadFactory(email="ana@northwind.io", title="")
    ActivityFactory(lead=lead, kind="demo_request")

    response = api_as(Role.MARKETER).post(
        "/api/v1/leads/", {"email": "ana@northwind.io", "title": "CTO"}, format="json"
    )

    assert response.status_code == 200
    assert (response.json()["stage"], response.json()["score"]) == ("mql", 15)


def test_a_patch_rescores_the_lead(api_as):
    lead = LeadFactory(title="")
    ActivityFactory(lead=lead, kind="demo_request")

    body = (
        api_as(Role.MANAGER)
        .patch(f"/api/v1/leads/{lead.pk}/", {"title": "CTO"}, format="json")
        .json()
    )

    assert (body["stage"], body["explanation"]["qualifies"]) == ("mql", True)


def test_a_writer_patches_profile_fields(api_as, lead):
    response = api_as(Role.MARKETER).patch(
        f"/api/v1/leads/{lead.pk}/",
        {"title": "CFO", "company_size": 500, "attributes": {"plan": "pro"}},
        format="json",
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["title"], body["company_size"], body["attributes"]) == (
        "CFO",
        500,
        {"plan": "pro"},
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "nope"}, "email"),
        ({"email": "a@b.io", "channel": 7}, "channel"),
        ({"email": "a@b.io", "stage": "mql"}, "stage"),
        ({"email": "a@b.io", "score": 99}, "score"),
        ({"email": "a@b.io", "company_size": "many"}, "company_size"),
        ({"email": "a@b.io", "first_name": "x" * 10_000}, "first_name"),
        ({"email": "a@b.io", "status": 7}, "status"),
    ],
)
def test_bad_lead_input_is_400_naming_the_field(api_as, body, field):
    response = api_as(Role.MARKETER).post("/api/v1/leads/", body, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not Lead.objects.exists()


DEEP = b'{"x":' * 100_000 + b"1" + b"}" * 100_000


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b'"text"', b"null", DEEP])
def test_malformed_lead_bodies_are_400_not_500(api_as, body):
    response = api_as(Role.MARKETER).post("/api/v1/leads/", body, content_type="application/json")

    assert response.status_code == 400


@pytest.mark.parametrize("body", [b'[{"status": "open"}]', b'"open"', DEEP])
def test_a_patch_that_is_not_an_object_is_400(api_as, lead, body):
    response = api_as(Role.MARKETER).patch(
        f"/api/v1/leads/{lead.pk}/", body, content_type="application/json"
    )

    assert response.status_code == 400


def test_attributes_nested_too_deeply_are_400(api_as):
    deep = {}
    for _level in range(40):
        deep = {"x": deep}

    response = api_as(Role.MARKETER).post(
        "/api/v1/leads/", {"email": "a@b.io", "attributes": deep}, format="json"
    )

    assert response.status_code == 400
    assert "attributes" in response.json()


def test_stage_cannot_be_patched(api_as, lead):
    response = api_as(Role.MANAGER).patch(
        f"/api/v1/leads/{lead.pk}/", {"stage": "mql"}, format="json"
    )

    assert response.status_code == 400
    assert "stage" in response.json()


def test_the_explanation_is_told_in_plain_words(api_as, lead):
    Lead.objects.filter(pk=lead.pk).update(
        score=42,
        score_agreement_version=3,
        score_explanation={
            "version": 3,
            "qualifies": False,
            "total": 42,
            "lines": [{"id": 1, "rule": "Title is present", "points": 10}],
            "gates_unmet": [{"id": 2, "rule": "Company size is present"}],
            "negatives": [
                {"id": 5, "rule": "Email is at a free-mail domain", "disqualifies": False}
            ],
        },
    )

    body = api_as(Role.SDR).get(f"/api/v1/leads/{lead.pk}/").json()

    assert (body["score"], body["agreement_version"]) == (42, 3)
    assert body["explanation"] == {
        "qualifies": False,
        "lines": [{"rule": "Title is present", "points": 10}],
        "gates_unmet": ["Company size is present"],
        "negatives": ["Email is at a free-mail domain"],
    }


def test_an_unscored_lead_has_no_explanation(api_as, lead):
    assert api_as(Role.SDR).get(f"/api/v1/leads/{lead.pk}/").json()["explanation"] is None


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"stage": "mql"}, {"mql@x.io"}),
        ({"status": "connected"}, {"connected@x.io"}),
        ({"channel": "ebook"}, {"ebook@x.io"}),
        ({"q": "Иван"}, {"ivan@x.io"}),
    ],
)
def test_the_list_filters(api_as, query, expected):
    LeadFactory(email="mql@x.io")
    Lead.objects.filter(email="mql@x.io").update(stage=Stage.MQL)
    LeadFactory(email="connected@x.io", status=LeadStatus.CONNECTED)
    LeadFactory(email="ebook@x.io", channel=ChannelFactory(slug="ebook"))
    LeadFactory(email="ivan@x.io", first_name="Иван")

    response = api_as(Role.SDR).get("/api/v1/leads/", query)

    assert {lead["email"] for lead in response.json()["results"]} == expected


def test_the_list_filters_by_owner_and_updated_since(api_as, sdr):
    owned = LeadFactory(owner=sdr)
    LeadFactory()
    api = api_as(Role.MANAGER)

    by_owner = api.get("/api/v1/leads/", {"owner": sdr.pk}).json()["results"]
    since = api.get("/api/v1/leads/", {"updated_since": "2999-01-01T00:00:00Z"}).json()

    assert [lead["id"] for lead in by_owner] == [owned.pk]
    assert by_owner[0]["owner"] == sdr.pk
    assert since["results"] == []


@pytest.mark.parametrize(
    ("since", "found"),
    [
        ("2913-02-17T05:15:56+21:24", False),
        ("0001-01-01T00:00:00+05:00", True),
        ("9999-12-31T23:59:59-05:00", False),
        ("2000-01-01T00:00:00-15:30", True),
    ],
)
def test_updated_since_takes_any_iso_offset(api_as, lead, since, found):
    response = api_as(Role.SDR).get("/api/v1/leads/", {"updated_since": since})

    assert response.status_code == 200
    assert bool(response.json()["results"]) is found


def test_a_bad_filter_value_is_400(api_as):
    response = api_as(Role.SDR).get("/api/v1/leads/", {"stage": "nonsense"})

    assert response.status_code == 400
    assert "stage" in response.json()


def test_the_list_pages_with_a_cursor(api_as):
    LeadFactory.create_batch(5)
    api = api_as(Role.SDR)

    first = api.get("/api/v1/leads/", {"page_size": 3}).json()
    second = api.get(first["next"]).json()

    assert len(first["results"]) == 3 and len(second["results"]) == 2
    assert second["next"] is None


def test_the_list_runs_the_same_queries_whatever_the_row_count(api_as):
    channel = ChannelFactory(slug="ebook")
    api = api_as(Role.SDR)
    LeadFactory.create_batch(2, channel=channel)
    api.get("/api/v1/leads/")  # the user's roles and token are warm from here on

    with CaptureQueriesContext(connection) as few:
        assert api.get("/api/v1/leads/").status_code == 200
    LeadFactory.create_batch(40, channel=channel)
    with CaptureQueriesContext(connection) as many:
        assert len(api.get("/api/v1/leads/").json()["results"]) == 42

    assert len(many) == len(few)


def test_oversize_bodies_are_413(api_as, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    api = api_as(Role.MARKETER)
    big = {"email": "a@b.io", "attributes": {"notes": "x" * 2000}}

    assert api.post("/api/v1/leads/", big, format="json").status_code == 413
    response = api.post("/api/v1/activities/", [big], format="json")
    assert response.status_code == 413
    assert "larger" in response.json()["detail"]


def test_throttled_calls_are_429_with_retry_after(api_as, monkeypatch):
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "2/minute"})
    api = api_as(Role.SDR)

    statuses = [api.get("/api/v1/leads/").status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
    response = api.get("/api/v1/leads/")
    assert int(response["Retry-After"]) > 0
