"""Teams left handoff and intake left leads (issue 12) without touching a table: a database
filled before the moves keeps its rows, content types and permissions after them."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from intake.models import FormKey, ImportMapping
from leads.models import Channel
from teams.models import Team, TeamMember
from tests.factories import UserFactory

BEFORE_THE_MOVES = [
    ("teams", None),
    ("intake", None),
    ("leads", "0004_funnelpass"),
    ("handoff", "0003_queue_indexes"),
    ("sla", "0002_default_policies"),
]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([t for t in targets if t[1]]).apps


@pytest.mark.django_db(transaction=True)
def test_a_database_filled_before_the_moves_keeps_its_rows_content_types_and_permissions():
    rep = UserFactory(roles=["sdr"])
    old = migrate(BEFORE_THE_MOVES)
    channel = old.get_model("leads", "Channel").objects.create(
        name="Webinar", slug="webinar", kind="event"
    )
    team = old.get_model("handoff", "Team").objects.create(name="Inbound", mode="pool")
    team.channels.add(channel)
    old.get_model("handoff", "TeamMember").objects.create(team=team, user_id=rep.pk, weight=3)
    old.get_model("leads", "ImportMapping").objects.create(name="Badge scans", columns={"E": 1})
    old.get_model("leads", "FormKey").objects.create(key="k1", name="Demo", channel=channel)
    team_type = ContentType.objects.get(app_label="handoff", model="team").pk
    form_key_type = ContentType.objects.get(app_label="leads", model="formkey").pk

    new = MigrationExecutor(connection).loader.graph.leaf_nodes()
    migrate(new)
    ContentType.objects.clear_cache()

    moved = Team.objects.get(name="Inbound")
    assert [c.slug for c in moved.channels.all()] == ["webinar"]
    assert list(Channel.objects.get(slug="webinar").teams.all()) == [moved]
    assert TeamMember.objects.get(team=moved).weight == 3
    assert ImportMapping.objects.get().columns == {"E": 1}
    assert FormKey.objects.get().channel.slug == "webinar"
    assert ContentType.objects.get_for_model(Team).pk == team_type
    assert ContentType.objects.get_for_model(FormKey).pk == form_key_type
    assert not ContentType.objects.filter(app_label="handoff", model="team").exists()
    change_team = Permission.objects.get(content_type__app_label="teams", codename="change_team")
    assert Group.objects.get(name="manager").permissions.filter(pk=change_team.pk).exists()
