import json

import pytest
from django.urls import reverse

from accounts.roles import Role
from handoff.models import Qualification
from leads.consent import record_consent
from leads.lifecycle import move_stage
from leads.models import ConsentSource, Stage
from notifications.models import Notification
from tests.factories import ActivityFactory, LeadFactory, UserFactory
from tests.reports.factories import opportunity

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead(manager):
    lead = LeadFactory(email="ana@northwind.io", first_name="Ana", attributes={"shoe": "38"})
    ActivityFactory(lead=lead, kind="demo_request", properties={"page": "/pricing"})
    move_stage(lead.pk, Stage.MQL)
    record_consent(lead=lead, changes={"phone": False}, source=ConsentSource.USER, actor=manager)
    Qualification.objects.create(lead=lead, need="Invoices get lost")
    opportunity("5000", "THB", owner=UserFactory(username="ae1"), lead=lead)
    Notification.objects.create(
        user=manager, kind="lead_assigned", params={"lead": "Ana"},
        url=reverse("leads:detail", args=[lead.pk]),
    )  # fmt: skip
    Notification.objects.create(user=manager, kind="lead_assigned", params={"lead": "Bo"})
    return lead


def test_the_export_holds_everything_about_the_lead(api_as, lead):
    answer = api_as(Role.MANAGER).get(reverse("api-lead-personal-data", args=[lead.pk]))

    assert answer.status_code == 200
    data = answer.json()
    assert data["lead"]["email"] == "ana@northwind.io"
    assert data["lead"]["attributes"] == {"shoe": "38"}
    assert [(a["kind"], a["properties"]) for a in data["activities"]] == [
        ("demo_request", {"page": "/pricing"})
    ]
    assert [c["to_stage"] for c in data["stage_changes"]] == ["mql"]
    assert data["consents"][0]["scope"] == "phone" and data["consents"][0]["granted"] is False
    assert data["qualification"]["need"] == "Invoices get lost"
    assert data["opportunities"][0]["owner_name"] == "ae1"
    assert [n["params"] for n in data["notifications"]] == [{"lead": "Ana"}]


def test_the_lead_page_downloads_it_for_managers_and_admins_only(client_as, lead):
    url = reverse("privacy:download", args=[lead.pk])
    page = reverse("leads:detail", args=[lead.pk])

    for role in (Role.MANAGER, Role.ADMIN):
        client = client_as(role)
        answer = client.get(url)
        assert answer.status_code == 200
        assert answer["Content-Disposition"].startswith(f'attachment; filename="lead-{lead.pk}-')
        assert json.loads(answer.content)["lead"]["first_name"] == "Ana"
        assert url.encode() in client.get(page).content
    for role in (Role.SDR, Role.MARKETER, Role.ACCOUNT_EXECUTIVE):
        client = client_as(role)
        assert client.get(url).status_code == 403
        assert url.encode() not in client.get(page).content
