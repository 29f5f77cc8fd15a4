"""Notifications stored worded before parameters existed keep their text (in the parameters),
and going back words the new ones in the site's language."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import UserFactory

BEFORE = [("notifications", "0002_rep_alerts")]
AFTER = [("notifications", "0003_params")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_worded_rows_move_into_the_parameters_and_back():
    user = UserFactory()
    try:
        old_apps = migrate(BEFORE)
        old = old_apps.get_model("notifications", "Notification")
        for n in range(3):
            old.objects.create(user_id=user.pk, kind="lead_assigned", text=f"Lead {n} is yours")

        new = migrate(AFTER).get_model("notifications", "Notification")
        assert sorted(row.params["text"] for row in new.objects.all()) == [
            "Lead 0 is yours",
            "Lead 1 is yours",
            "Lead 2 is yours",
        ]
        new.objects.create(user_id=user.pk, kind="lead_assigned", params={"lead": "Ana"})

        back = migrate(BEFORE).get_model("notifications", "Notification")
        assert sorted(back.objects.values_list("text", flat=True)) == [
            "A lead is yours in the queue: Ana",
            "Lead 0 is yours",
            "Lead 1 is yours",
            "Lead 2 is yours",
        ]
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
