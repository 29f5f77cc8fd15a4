import json
import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from accounts.roles import Role
from handoff.models import Handoff
from intake.api import activity_source
from intake.ingest import MAX_BATCH, ingest_activities
from leads.models import Activity, ConsentScope, Lead, Stage
from leads.suppression import is_suppressed
from tests.factories import ChannelFactory, LeadFactory

pytestmark = pytest.mark.django_db
WHEN = "2026-03-02T15:04:05+07:00"
NESTED_40 = json.loads("[" * 40 + "]" * 40)


def item(external_id, **fields):
    return {"external_id": str(external_id), "kind": "page_view", "occurred_at": WHEN, **fields}


def post(api, body, **query):
    url = "/api/v1/activities/"
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    raw = body if isinstance(body, bytes) else json.dumps(body)
    return api.post(url, raw, content_type="application/json")


def statuses(response):
    return [result["status"] for result in response.json()["results"]]


@pytest.fixture
def lead():
    return LeadFactory(email="ana@northwind.io")


@pytest.mark.parametrize("role", [Role.MARKETER, Role.MANAGER, Role.ADMIN])
def test_writers_post_a_batch_and_each_item_is_reported(api_as, lead, role):
    ChannelFactory(slug="webinar")

    response = post(
        api_as(role),
        [
            item("e1", lead=lead.pk, kind="webinar_attended", properties={"minutes": 42}),
            item("e2", email="ANA@northwind.io", channel="webinar"),
        ],
    )

    assert response.status_code == 200
    assert response.json() == {
        "created": 2,
        "duplicates": 0,
        "rejected": 0,
        "suppressed": 0,
        "leads_created": 0,
        "results": [
            {"index": 0, "status": "created", "external_id": "e1"},
            {"index": 1, "status": "created", "external_id": "e2"},
        ],
    }
    stored = Activity.objects.get(external_id="e1")
    assert (stored.lead, stored.kind, stored.properties) == (
        lead,
        "webinar_attended",
        {"minutes": 42},
    )
    assert stored.occurred_at == datetime(2026, 3, 2, 8, 4, 5, tzinfo=UTC)
    assert Activity.objects.get(external_id="e2").channel.slug == "webinar"


def test_a_single_object_is_a_batch_of_one(api_as, lead):
    response = post(api_as(Role.MARKETER), item("solo", lead=lead.pk))

    assert statuses(response) == ["created"]


def test_the_source_is_the_sending_user_so_ids_are_scoped_per_system(api_as, lead):
    first, second = api_as(Role.MARKETER), api_as(Role.MARKETER)

    assert statuses(post(first, [item("e1", lead=lead.pk)])) == ["created"]
    assert statuses(post(second, [item("e1", lead=lead.pk)])) == ["created"]
    assert statuses(post(first, [item("e1", lead=lead.pk)])) == ["duplicate"]
    assert Activity.objects.filter(external_id="e1").count() == 2


@pytest.mark.parametrize(
    ("bad", "path"),
    [
        ({"occurred_at": "2026-03-02T15:04:05"}, "[1].occurred_at"),
        ({"occurred_at": "yesterday"}, "[1].occurred_at"),
        ({"kind": "telepathy"}, "[1].kind"),
        ({"kind": 5}, "[1].kind"),
        ({"external_id": ""}, "[1].external_id"),
        ({"external_id": "x" * 201}, "[1].external_id"),
        ({"external_id": "nul\u0000"}, "[1].external_id"),
        ({"lead": 999_999}, "[1].lead"),
        ({"lead": 10**30}, "[1].lead"),
        ({"lead": None, "email": None}, "[1].lead"),
        ({"email": "nobody@example.com"}, "[1].email"),
        ({"channel": "nope"}, "[1].channel"),
        ({"properties": []}, "[1].properties"),
        ({"properties": {"x": "a\u0000b"}}, "[1].properties"),
        ({"properties": {"x": NESTED_40}}, "[1].properties"),
        ({"surprise": 1}, "[1]"),
    ],
)
def test_a_bad_item_is_rejected_with_its_path_and_the_good_ones_are_stored(api_as, lead, bad, path):
    bad_item = {**item("bad", lead=lead.pk), **bad}
    if "email" in bad and "lead" not in bad:
        del bad_item["lead"]
    body = [item("good-1", lead=lead.pk), bad_item, item("good-2", lead=lead.pk)]

    response = post(api_as(Role.MARKETER), body)

    assert response.status_code == 200
    assert statuses(response) == ["created", "rejected", "created"]
    (error,) = response.json()["results"][1]["errors"]
    assert error["path"] == path
    assert error["message"]
    assert set(Activity.objects.values_list("external_id", flat=True)) == {"good-1", "good-2"}


def test_a_number_too_large_for_a_float_is_rejected_on_its_item(api_as, lead):
    good = json.dumps(item("good", lead=lead.pk)).encode()
    huge = b'{"external_id": "huge", "lead": %d, "kind": "page_view", "occurred_at": "%s", '
    huge = huge % (lead.pk, WHEN.encode()) + b'"properties": {"x": 1e400}}'

    response = post(api_as(Role.MARKETER), b"[" + good + b"," + huge + b"]")

    assert statuses(response) == ["created", "rejected"]
    assert response.json()["results"][1]["errors"][0]["path"].startswith("[1].properties")


@pytest.mark.parametrize("item_body", [b"5", b'"text"', b"null", b"[1]"])
def test_an_item_that_is_not_an_object_is_rejected(api_as, lead, item_body):
    body = b"[" + json.dumps(item("good", lead=lead.pk)).encode() + b"," + item_body + b"]"

    response = post(api_as(Role.MARKETER), body)

    assert statuses(response) == ["created", "rejected"]
    assert response.json()["results"][1]["errors"][0]["path"] == "[1]"


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"",
        b"42",
        b'"text"',
        b"[1, 2",
        b"\xff\xfe",
        b'{"a": "\\ud800"}',
        b"[" * 100_000 + b"]" * 100_000,
    ],
)
def test_a_malformed_body_is_400_not_500(api_as, body):
    response = post(api_as(Role.MARKETER), body)

    assert response.status_code == 400
    assert response.json()["detail"]


def test_a_bad_create_leads_flag_is_400(api_as, lead):
    response = post(api_as(Role.MARKETER), [item("e1", lead=lead.pk)], create_leads="maybe")

    assert response.status_code == 400
    assert "create_leads" in response.json()


def test_an_unknown_email_creates_a_lead_only_when_allowed(api_as):
    ChannelFactory(slug="trade-show")
    api = api_as(Role.MARKETER)
    body = [item("e1", email="New.Person@Example.com", channel="trade-show")]

    refused = post(api, body)
    allowed = post(api, body, create_leads="true")

    assert statuses(refused) == ["rejected"]
    assert refused.json()["results"][0]["errors"][0]["path"] == "[0].email"
    assert statuses(allowed) == ["created"]
    assert allowed.json()["leads_created"] == 1
    lead = Lead.objects.get()
    assert (lead.email, lead.channel.slug) == ("new.person@example.com", "trade-show")
    assert lead.activities.count() == 1


def test_create_leads_still_rejects_an_invalid_email(api_as):
    response = post(api_as(Role.MARKETER), [item("e1", email="not-an-email")], create_leads="true")

    assert statuses(response) == ["rejected"]
    assert response.json()["results"][0]["errors"][0]["path"] == "[0].email"
    assert not Lead.objects.exists()


def test_a_repeated_external_id_in_one_batch_is_a_duplicate(api_as, lead):
    response = post(api_as(Role.MARKETER), [item("e1", lead=lead.pk), item("e1", lead=lead.pk)])

    assert statuses(response) == ["created", "duplicate"]
    assert Activity.objects.count() == 1


def test_replaying_a_1000_event_batch_stores_nothing_new(api_as):
    leads = LeadFactory.create_batch(10)
    body = [item(f"evt-{i}", lead=leads[i % 10].pk) for i in range(1000)]
    api = api_as(Role.MARKETER)

    first = post(api, body).json()
    second = post(api, body).json()

    assert (first["created"], first["duplicates"]) == (1000, 0)
    assert (second["created"], second["duplicates"]) == (0, 1000)
    assert Activity.objects.count() == 1000


@pytest.mark.django_db(transaction=True)
def test_the_same_batch_from_two_threads_at_once_stores_each_event_once(make_user):
    leads = LeadFactory.create_batch(10)
    user = make_user(Role.MARKETER)
    payload = json.dumps([item(f"evt-{i}", lead=leads[i % 10].pk) for i in range(1000)]).encode()
    barrier = threading.Barrier(2)
    reports = []

    def send():
        try:
            barrier.wait(timeout=5)
            result = ingest_activities(payload=payload, source=activity_source(user), actor=user)
            reports.append((result.count("created"), result.count("duplicate")))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(reports) == [(0, 1000), (1000, 0)]
    assert Activity.objects.count() == 1000


def test_last_engagement_moves_to_the_latest_event_but_not_for_unsubscribes(api_as, lead):
    api = api_as(Role.MARKETER)
    post(api, [item("e1", lead=lead.pk, occurred_at="2026-03-01T10:00:00Z")])
    post(
        api,
        [
            item("e0", lead=lead.pk, occurred_at="2026-02-01T10:00:00Z"),
            item("e2", lead=lead.pk, kind="unsubscribe", occurred_at="2026-03-05T10:00:00Z"),
        ],
    )

    lead.refresh_from_db()
    assert lead.last_engaged_at == datetime(2026, 3, 1, 10, tzinfo=UTC)


def test_an_unsubscribe_another_system_reports_is_honoured_once(api_as, lead):
    api = api_as(Role.MARKETER)
    opt_out = item("u1", lead=lead.pk, kind="unsubscribe", occurred_at="2026-03-05T10:00:00Z")

    post(api, [opt_out])
    post(api, [opt_out])  # the same batch again: a duplicate, nothing recorded twice

    lead.refresh_from_db()
    assert lead.do_not_contact
    assert set(lead.consents.values_list("granted", "source")) == {(False, "api")}
    assert lead.consents.count() == len(ConsentScope.values)
    assert is_suppressed(lead.email)
    again = post(api, [item("e9", email=lead.email, occurred_at=WHEN)], create_leads="true")
    assert statuses(again) == ["suppressed"]


def test_an_event_from_the_future_is_stored_but_is_not_engagement_yet(api_as, lead):
    later = (datetime.now(UTC) + timedelta(days=3)).isoformat()

    post(api_as(Role.MARKETER), [item("e1", lead=lead.pk, occurred_at=later)])

    lead.refresh_from_db()
    assert lead.activities.count() == 1
    assert lead.last_engaged_at is None


def test_more_than_the_batch_limit_breaks_the_schema_400(api_as, lead):
    """The schema's maxItems: breaking it is bad input (413 is for a body too many bytes)."""
    body = [item(f"e{i}", lead=lead.pk) for i in range(MAX_BATCH + 1)]

    response = post(api_as(Role.MARKETER), body)

    assert response.status_code == 400
    assert "At most 10000 activities" in response.json()["detail"]
    assert not Activity.objects.exists()


def test_storing_a_batch_takes_a_fixed_number_of_queries(api_as, django_assert_max_num_queries):
    api = api_as(Role.MARKETER)
    leads = LeadFactory.create_batch(30)
    post(api, [item("warm", lead=leads[0].pk)])

    with django_assert_max_num_queries(20) as few:
        post(api, [item(f"a{i}", lead=leads[i].pk) for i in range(3)])
    # Naming leads by email adds one query for the batch: the suppression list's.
    with django_assert_max_num_queries(len(few.captured_queries) + 1):
        post(api, [item(f"b{i}", email=lead.email) for i, lead in enumerate(leads)])


def test_a_batch_that_makes_a_lead_qualify_moves_it_to_mql_with_its_handoff(api_as):
    lead = LeadFactory()  # a complete profile at a company address
    api = api_as(Role.MARKETER)
    now = timezone.now().isoformat()

    post(api, [item("demo-1", lead=lead.pk, kind="demo_request", occurred_at=now)])

    lead.refresh_from_db()
    assert lead.stage == Stage.MQL
    assert Handoff.objects.filter(lead=lead).count() == 1
    body = api.get(f"/api/v1/leads/{lead.pk}/").json()
    assert (body["stage"], body["score"], body["agreement_version"]) == ("mql", 15, 1)
    assert body["explanation"]["qualifies"] is True
    assert [line["points"] for line in body["explanation"]["lines"]] == [15]


def test_a_batch_below_the_threshold_scores_the_lead_but_leaves_it_a_lead(api_as):
    lead = LeadFactory()
    now = timezone.now().isoformat()

    post(api_as(Role.MARKETER), [item("p1", lead=lead.pk, kind="pricing_view", occurred_at=now)])

    lead.refresh_from_db()
    assert (lead.stage, lead.score, lead.score_agreement_version) == (Stage.LEAD, 3, 1)


@pytest.mark.django_db(transaction=True)
def test_two_batches_creating_the_same_new_leads_at_once_create_each_lead_once(make_user):
    user = make_user(Role.MARKETER)
    emails = [f"new{i}@northwind.io" for i in range(50)]
    barrier = threading.Barrier(2)
    reports = []

    def send(run):
        payload = json.dumps([item(f"{run}-{i}", email=e) for i, e in enumerate(emails)])
        try:
            barrier.wait(timeout=5)
            result = ingest_activities(
                payload=payload.encode(),
                source=activity_source(user),
                actor=user,
                create_leads=True,
            )
            reports.append((result.count("created"), result.leads_created))
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(run,)) for run in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(reports) == [(50, 0), (50, 50)]
    assert Lead.objects.count() == 50
    assert all(lead.activities.count() == 2 for lead in Lead.objects.all())
