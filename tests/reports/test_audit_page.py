"""/audit/ and /api/v1/audit/: managers and admins read who changed what, filtered and exported."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from accounts.preferences import READER_SESSION_KEY
from accounts.roles import Role
from audit.models import Action, AuditEntry, Source
from audit.services import record, record_changes
from reports.audit import field_name
from teams.models import Team
from tests.factories import LeadFactory, UserFactory
from tests.query_counts import assert_same_queries, measure

pytestmark = pytest.mark.django_db

BANGKOK_EVENING = dt.datetime(2026, 3, 9, 18, 30, tzinfo=dt.UTC)  # 01:30 on the 10th in Bangkok


@pytest.fixture
def trail(manager):
    """A team renamed by the manager on 9 March (UTC) and a lead changed by an import later."""
    other = UserFactory(roles=[Role.MARKETER], first_name="Maya", last_name="Rao")
    team = Team.objects.create(name="EMEA")
    with time_machine.travel(BANGKOK_EVENING, tick=False):
        record_changes(team, {"name": "EMEA"}, {"name": "=EMEA North"}, actor=manager)
    lead = LeadFactory(email="ana@northwind.io", title="CTO")
    with time_machine.travel(BANGKOK_EVENING + dt.timedelta(days=3), tick=False):
        record_changes(
            lead, {"title": "Analyst"}, {"title": "CTO"}, actor=other, source=Source.IMPORT
        )
    return {"team": team, "lead": lead, "marketer": other}


def test_a_manager_reads_every_change_newest_first(client, manager, trail):
    client.force_login(manager)
    page = client.get(reverse("audit:list")).content.decode()
    assert page.index("Maya Rao") < page.index("=EMEA North")
    assert "Analyst" in page and "Import" in page


def test_the_page_filters_by_actor_object_type_and_days(client, manager, trail):
    client.force_login(manager)
    url = reverse("audit:list")
    by_actor = client.get(url, {"actor": trail["marketer"].pk}).context["rows"]
    assert [row["entry"].field for row in by_actor] == ["title"]
    by_type = client.get(url, {"object_type": "teams.team"}).context["rows"]
    assert [row["entry"].object_id for row in by_type] == [trail["team"].pk]
    on_the_day = client.get(url, {"date_from": "2026-03-09", "date_to": "2026-03-09"})
    assert len(on_the_day.context["rows"]) == 1


def test_days_are_the_readers_days(client, manager, trail):
    """The manager in Bangkok made the change at 01:30 on the 10th, their time."""
    client.force_login(manager)
    session = client.session
    session[READER_SESSION_KEY] = {"language": "", "zone": "Asia/Bangkok"}
    session.save()
    response = client.get(
        reverse("audit:list"), {"date_from": "2026-03-10", "date_to": "2026-03-10"}
    )
    assert [row["entry"].object_type for row in response.context["rows"]] == ["teams.team"]


def test_the_csv_export_has_the_filtered_rows_and_no_formula(client, manager, trail):
    client.force_login(manager)
    response = client.get(reverse("audit:csv"), {"object_type": "teams.team"})
    body = b"".join(response.streaming_content).decode()
    assert response["Content-Type"].startswith("text/csv")
    assert "'=EMEA North" in body
    assert "Analyst" not in body


def test_other_roles_may_not_read_it(client_as):
    for role in (Role.MARKETER, Role.SDR, Role.ACCOUNT_EXECUTIVE):
        assert client_as(role).get(reverse("audit:list")).status_code == 403


def test_the_list_runs_the_same_queries_for_few_and_many_rows(client, manager):
    client.force_login(manager)
    team = Team.objects.create(name="EMEA")

    def fetch():
        return client.get(reverse("audit:list"))

    def csv():
        return client.get(reverse("audit:csv"))

    record(team, Action.CREATED, actor=manager)
    few, few_csv = measure(fetch), measure(csv)
    for number in range(30):
        person = UserFactory()
        record_changes(team, {"name": str(number)}, {"name": f"{number}!"}, actor=person)
    many, many_csv = measure(fetch), measure(csv)
    assert_same_queries(few, many)
    assert_same_queries(few_csv, many_csv)


def test_the_api_lists_the_trail_with_the_same_filters(api_as, manager, trail):
    api = api_as(Role.MANAGER)
    everything = api.get("/api/v1/audit/").json()["results"]
    assert {row["object_type"] for row in everything} >= {"teams.team", "leads.lead"}
    imported = api.get("/api/v1/audit/", {"source": "import"}).json()["results"]
    assert [(r["field"], r["before"], r["after"], r["actor_name"]) for r in imported] == [
        ("title", "Analyst", "CTO", "Maya Rao")
    ]
    one_lead = api.get(
        "/api/v1/audit/", {"object_type": "leads.lead", "object_id": trail["lead"].pk}
    ).json()["results"]
    assert len(one_lead) == 1
    assert api.get("/api/v1/audit/", {"date_from": "tomorrow"}).status_code == 400


def test_the_api_refuses_other_roles(api_as):
    assert api_as(Role.MARKETER).get("/api/v1/audit/").status_code == 403


def test_a_lead_page_shows_its_field_history(client_as, trail):
    client = client_as(Role.MARKETER)
    page = client.get(reverse("leads:detail", args=[trail["lead"].pk])).content.decode()
    history = page[page.index('id="field-history"') :]
    assert "Job title" in history or "Title" in history
    assert "Analyst" in history and "Maya Rao" in history
    assert "=EMEA North" not in history
    assert AuditEntry.objects.count() == 2


def test_a_field_recorded_from_the_other_side_of_a_relation_is_named_not_a_crash():
    """A team's channels are stored on the channel (leads.Channel.teams); the team's audit rows
    name them "channels", which the team model knows only as a reverse relation."""
    assert field_name(AuditEntry(object_type="teams.team", field="channels")) == "Channels"
