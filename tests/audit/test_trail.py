"""The audit trail's own rules: one row per changed field, secrets never recorded, append-only."""

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from audit.models import Action, AppendOnly, AuditEntry, Source
from audit.services import diff, history_of, record, record_changes, record_saved, snapshot
from teams.models import Team
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_change_is_one_row_per_changed_field_with_before_and_after(manager):
    team = Team.objects.create(name="EMEA")
    before = snapshot(team, ["name", "mode", "is_default"])
    team.name, team.is_default = "EMEA North", True
    change_set = record_changes(team, before, snapshot(team, before), actor=manager)

    rows = AuditEntry.objects.order_by("field")
    assert [(r.field, r.before, r.after) for r in rows] == [
        ("is_default", False, True),
        ("name", "EMEA", "EMEA North"),
    ]
    assert {r.change_set for r in rows} == {change_set}
    assert {(r.actor, r.actor_label, r.source) for r in rows} == {
        (manager, str(manager), Source.BROWSER)
    }
    assert {(r.object_type, r.object_id, r.object_label) for r in rows} == {
        ("teams.team", team.pk, "EMEA North")
    }


def test_nothing_changed_records_nothing(manager):
    team = Team.objects.create(name="EMEA")
    before = snapshot(team, ["name"])
    assert record_changes(team, before, snapshot(team, ["name"]), actor=manager) is None
    assert not AuditEntry.objects.exists()


def test_a_creation_records_the_values_it_started_with():
    team = Team.objects.create(name="APAC")
    record_saved(team, None, ["name"], actor=None)
    row = AuditEntry.objects.get()
    assert (row.action, row.field, row.before, row.after, row.source) == (
        Action.CREATED,
        "name",
        None,
        "APAC",
        Source.SYSTEM,
    )


def test_secrets_are_never_recorded():
    assert diff({"secret": "a", "name": "x"}, {"secret": "b", "name": "y"}) == {"name": ("x", "y")}


def test_rows_are_never_changed_or_deleted_through_the_orm(manager):
    team = Team.objects.create(name="EMEA")
    record(team, Action.DELETED, actor=manager)
    row = AuditEntry.objects.get()
    with pytest.raises(AppendOnly):
        AuditEntry.objects.update(field="name")
    with pytest.raises(AppendOnly):
        AuditEntry.objects.all().delete()
    with pytest.raises(AppendOnly):
        row.save()
    with pytest.raises(AppendOnly):
        row.delete()
    assert AuditEntry.objects.get().field == ""


def test_postgresql_refuses_a_raw_update_or_delete(manager):
    """SQLite has the model's refusals only: a trigger there would also refuse the DELETE that
    Django's flush sends between tests and by `manage.py flush`."""
    team = Team.objects.create(name="EMEA")
    record(team, Action.DELETED, actor=manager)
    statements = ("UPDATE audit_auditentry SET field = 'x'", "DELETE FROM audit_auditentry")
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(statements[0])
        assert AuditEntry.objects.get().field == "x"
        return
    for statement in statements:
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)
    assert AuditEntry.objects.get().field == ""


def test_a_deleted_actor_leaves_their_name_on_the_history():
    person = UserFactory(first_name="Ana", last_name="Lima")
    team = Team.objects.create(name="EMEA")
    record(team, Action.DELETED, actor=person)
    person.delete()
    row = AuditEntry.objects.get()
    assert (row.actor, row.actor_label) == (None, "Ana Lima")
    assert list(history_of(Team, team.pk)) == [row]
