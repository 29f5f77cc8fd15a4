"""Events from other systems are stored once per (source, external_id): the key table holds
each key once, whatever becomes of the activity it admitted (leads.activities)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from leads.activities import NewActivity, store_activities
from leads.models import Activity, ActivityKey, Lead
from leads.partitions import is_partitioned, prepare_partitions
from leads.tasks import prepare_activity_partitions
from tests.factories import LeadFactory

pytestmark = pytest.mark.django_db
WHEN = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)


def event(lead, external_id, *, at=WHEN, kind="page_view"):
    return NewActivity(lead.pk, kind, at, None, {"url": "/pricing"}, external_id)


def test_a_key_is_stored_once_and_its_replay_stores_nothing():
    lead = LeadFactory()
    batch = [event(lead, "e1"), event(lead, "e2")]

    first = store_activities(batch, source="crm", now=WHEN)
    second = store_activities(batch, source="crm", now=WHEN)

    assert (first, second) == ({"e1", "e2"}, set())
    assert Activity.objects.count() == ActivityKey.objects.count() == 2
    stored = Activity.objects.get(external_id="e1")
    assert (stored.source, stored.lead_id, stored.properties) == (
        "crm",
        lead.pk,
        {"url": "/pricing"},
    )


def test_the_same_external_id_from_another_source_is_another_event():
    lead = LeadFactory()

    store_activities([event(lead, "e1")], source="crm", now=WHEN)
    other = store_activities([event(lead, "e1")], source="mail", now=WHEN)

    assert other == {"e1"}
    assert sorted(Activity.objects.values_list("source", flat=True)) == ["crm", "mail"]


def test_a_replay_with_a_corrected_time_is_still_a_duplicate():
    lead = LeadFactory()
    store_activities([event(lead, "e1")], source="crm", now=WHEN)

    again = store_activities(
        [event(lead, "e1", at=WHEN + timedelta(days=40))], source="crm", now=WHEN
    )

    assert again == set()
    assert list(Activity.objects.values_list("occurred_at", flat=True)) == [WHEN]


def test_a_key_outlives_its_activity():
    lead = LeadFactory()
    store_activities([event(lead, "e1")], source="crm", now=WHEN)
    Activity.objects.all().delete()

    again = store_activities([event(lead, "e1")], source="crm", now=WHEN)

    assert again == set()
    assert not Activity.objects.exists()


def test_a_batch_of_new_and_known_keys_stores_only_the_new_ones():
    lead = LeadFactory()
    store_activities([event(lead, f"e{n}") for n in range(0, 10, 2)], source="crm", now=WHEN)

    stored = store_activities([event(lead, f"e{n}") for n in range(10)], source="crm", now=WHEN)

    assert stored == {f"e{n}" for n in range(1, 10, 2)}
    assert Activity.objects.count() == ActivityKey.objects.count() == 10


def test_an_unpartitioned_table_gets_no_partitions_from_the_daily_task():
    prepare_activity_partitions()

    assert not is_partitioned()
    assert prepare_partitions(today=WHEN.date()) == []


def test_the_command_partitions_on_postgresql_and_says_sqlite_cannot():
    if connection.vendor == "sqlite":
        with pytest.raises(CommandError, match="needs PostgreSQL"):
            call_command("partition_activities")
    else:
        call_command("partition_activities")
        assert is_partitioned()


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_the_events_stored_before_it_as_duplicates():
    executor = MigrationExecutor(connection)
    executor.migrate([("leads", "0010_consent_suppression_and_erasure")])
    old = executor.loader.project_state([("leads", "0010_consent_suppression_and_erasure")]).apps
    lead = old.get_model("leads", "Lead").objects.create(email="ana@northwind.io")
    old.get_model("leads", "Activity").objects.bulk_create(
        old.get_model("leads", "Activity")(
            lead=lead, kind="page_view", occurred_at=WHEN, source="crm", external_id=external_id
        )
        for external_id in ("e1", "e2", None)
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert set(ActivityKey.objects.values_list("source", "external_id")) == {
        ("crm", "e1"),
        ("crm", "e2"),
    }
    lead = Lead.objects.get()
    stored = store_activities([event(lead, "e1"), event(lead, "e3")], source="crm", now=WHEN)
    assert stored == {"e3"}
