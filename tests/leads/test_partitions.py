"""The activity table partitioned by month (leads.partitions): ingest, rescoring, the lead
page and erasure work on it as on the plain table. Each test partitions inside its own
transaction (PostgreSQL's DDL is transactional), so the next test finds the plain table."""

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from leads.models import Activity, ActivityKind, Stage
from leads.partitions import (
    DEFAULT_PARTITION,
    PartitioningRefused,
    is_partitioned,
    partition_activities,
    prepare_partitions,
)
from privacy.erasure import erase_lead
from scoring.facts import activities_of, engagement_by_lead
from scoring.services import current_agreement_spec, rescore_leads
from tests.factories import ActivityFactory, LeadFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres_only]
TODAY = date(2026, 12, 6)
SEPTEMBER = datetime(2026, 9, 15, 12, 0, tzinfo=UTC)


def rows_by_partition() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableoid::regclass::text, count(*) FROM leads_activity GROUP BY 1")
        return dict(cursor.fetchall())


def partitions() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT inhrelid::regclass::text FROM pg_inherits "
            "WHERE inhparent = 'leads_activity'::regclass ORDER BY 1"
        )
        return [name for (name,) in cursor.fetchall()]


def item(external_id, lead, at):
    return {"external_id": external_id, "kind": "page_view", "lead": lead.pk, "occurred_at": at}


def post(api, body):
    return api.post("/api/v1/activities/", json.dumps(body), content_type="application/json")


def test_partitioning_moves_every_row_into_its_month_and_keeps_ids_growing():
    lead = LeadFactory()
    old = [
        ActivityFactory(lead=lead, occurred_at=SEPTEMBER),
        ActivityFactory(lead=lead, occurred_at=SEPTEMBER + timedelta(days=30)),
        ActivityFactory(lead=lead, occurred_at=datetime(2019, 1, 1, tzinfo=UTC)),
    ]

    done = partition_activities(today=TODAY)

    assert is_partitioned()
    assert (done.rows, done.already) == (3, False)
    assert partitions() == [
        "leads_activity_2019_01", "leads_activity_2026_09", "leads_activity_2026_10",
        "leads_activity_2026_12", "leads_activity_2027_01", "leads_activity_2027_02",
        "leads_activity_2027_03", DEFAULT_PARTITION,
    ]  # fmt: skip
    assert rows_by_partition() == {
        "leads_activity_2019_01": 1, "leads_activity_2026_09": 1, "leads_activity_2026_10": 1
    }  # fmt: skip
    assert sorted(Activity.objects.values_list("pk", flat=True)) == sorted(a.pk for a in old)
    assert ActivityFactory(lead=lead).pk > max(a.pk for a in old)


def test_the_indexes_and_constraints_keep_their_names_and_the_key_gains_the_month():
    with connection.cursor() as cursor:
        before = connection.introspection.get_constraints(cursor, "leads_activity")
    partition_activities(today=TODAY)
    with connection.cursor() as cursor:
        after = connection.introspection.get_constraints(cursor, "leads_activity")

    assert after.keys() == before.keys()
    assert after["leads_activity_pkey"]["columns"] == ["id", "occurred_at"]
    assert after["activity_lead_occurred_idx"]["columns"] == ["lead_id", "occurred_at"]
    assert after["activity_lead_occurred_idx"]["orders"] == ["ASC", "DESC"]
    assert {name for name, c in after.items() if c["foreign_key"]} == {
        name for name, c in before.items() if c["foreign_key"]
    }


def test_running_it_again_only_prepares_the_coming_months():
    partition_activities(today=TODAY)

    again = partition_activities(today=TODAY)
    later = partition_activities(today=date(2027, 5, 20))

    assert (again.months, again.already) == ([], True)
    assert later.months == [
        "leads_activity_2027_05", "leads_activity_2027_06", "leads_activity_2027_07",
        "leads_activity_2027_08",
    ]  # fmt: skip


def test_a_foreign_key_to_activities_stops_it_before_anything_changes():
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE partition_test_note (activity_id bigint REFERENCES leads_activity (id))"
        )

    with pytest.raises(PartitioningRefused, match="partition_test_note"):
        partition_activities(today=TODAY)

    assert not is_partitioned()


def test_ingest_stores_each_event_once_in_its_month(api_as):
    lead = LeadFactory()
    partition_activities(today=TODAY)
    api = api_as(Role.MARKETER)
    body = [
        item("e1", lead, "2026-12-01T08:00:00Z"),
        item("e2", lead, "2027-01-03T08:00:00Z"),
        item("e3", lead, "2031-06-01T08:00:00Z"),  # past the prepared months
    ]

    first = post(api, body).json()
    replay = post(api, body).json()
    corrected = post(api, [item("e1", lead, "2026-12-24T08:00:00Z")]).json()

    assert (first["created"], first["duplicates"]) == (3, 0)
    assert (replay["created"], replay["duplicates"]) == (0, 3)
    assert (corrected["created"], corrected["duplicates"]) == (0, 1)
    assert Activity.objects.count() == 3
    assert rows_by_partition() == {
        "leads_activity_2026_12": 1, "leads_activity_2027_01": 1, DEFAULT_PARTITION: 1
    }  # fmt: skip


def test_preparing_a_month_takes_its_rows_out_of_the_default_partition():
    lead = LeadFactory()
    partition_activities(today=TODAY)
    early = ActivityFactory(lead=lead, occurred_at=datetime(2027, 6, 2, tzinfo=UTC))

    created = prepare_partitions(today=date(2027, 5, 1))

    assert created == [
        "leads_activity_2027_05", "leads_activity_2027_06", "leads_activity_2027_07",
        "leads_activity_2027_08",
    ]  # fmt: skip
    assert rows_by_partition() == {"leads_activity_2027_06": 1}
    assert Activity.objects.get().pk == early.pk


def test_rescoring_reads_the_same_engagement_and_moves_the_lead():
    lead = LeadFactory()  # a complete profile at a company address
    now = timezone.now()
    ActivityFactory(
        lead=lead,
        kind=ActivityKind.CONTENT_DOWNLOAD,
        occurred_at=now - timedelta(days=40),
        properties={"asset_type": "ebook"},
    )
    ActivityFactory(
        lead=lead, kind=ActivityKind.CONTACT_REQUEST, occurred_at=now - timedelta(days=1)
    )
    spec = current_agreement_spec()
    plain = engagement_by_lead(activities_of([lead.pk]), [spec], now)

    partition_activities(today=now.date())
    summary = rescore_leads([lead.pk], now=now)

    assert engagement_by_lead(activities_of([lead.pk]), [spec], now) == plain
    lead.refresh_from_db()
    assert summary.moved_to_mql == [lead.pk]
    assert (lead.stage, lead.score) == (Stage.MQL, 15)


def test_the_lead_page_shows_the_same_timeline_with_the_same_queries(client_as):
    lead = LeadFactory()
    for day in range(0, 120, 3):  # four months
        ActivityFactory(lead=lead, occurred_at=SEPTEMBER + timedelta(days=day, minutes=day))
    client = client_as(Role.SDR)
    url = reverse("leads:detail", args=[lead.pk])
    client.get(url)

    def shown():
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url)
        entries = [e["item"].pk for e in page.context["timeline"].entries]
        return entries, len(queries)

    plain = shown()
    partition_activities(today=TODAY)

    assert shown() == plain
    assert len(plain[0]) == 40


def test_a_read_bounded_in_time_visits_only_its_months():
    lead = LeadFactory()
    ActivityFactory(lead=lead, occurred_at=SEPTEMBER)
    partition_activities(today=TODAY)

    plan = Activity.objects.filter(lead=lead, occurred_at__gte=datetime(2026, 12, 1, tzinfo=UTC))
    explained = plan.explain()

    assert "leads_activity_2026_12" in explained
    assert "leads_activity_2026_09" not in explained


def test_erasing_a_lead_empties_its_activities_properties(manager):
    lead = LeadFactory()
    ActivityFactory(lead=lead, occurred_at=SEPTEMBER, properties={"submitted": {"name": "Ana"}})
    ActivityFactory(lead=lead, properties={"page": "/pricing"})
    partition_activities(today=TODAY)

    erasure = erase_lead(lead_id=lead.pk, actor=manager, reason="Asked to be forgotten")

    assert erasure.counts["activities"] == 2
    assert list(Activity.objects.filter(lead=lead).values_list("properties", flat=True)) == [
        {},
        {},
    ]
