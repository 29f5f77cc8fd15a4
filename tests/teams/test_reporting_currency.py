"""A team's reporting currency: the one its reports convert into, else the workspace's."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from teams.models import Team
from tests.teams.factories import TeamFactory

pytestmark = pytest.mark.django_db


def test_a_team_without_one_reports_in_the_workspace_currency(settings):
    settings.ACCORD_REPORTING_CURRENCY = "EUR"
    assert TeamFactory().currency_for_reports == "EUR"
    assert TeamFactory(reporting_currency="THB").currency_for_reports == "THB"


def test_the_database_takes_an_iso_code_or_nothing():
    TeamFactory(reporting_currency="")
    with pytest.raises(IntegrityError), transaction.atomic():
        TeamFactory(reporting_currency="usd")


def test_a_manager_sets_it_where_the_team_is_edited(client, manager):
    team = TeamFactory(name="APAC")
    client.force_login(manager)
    page = client.get(reverse("handoff:team", args=[team.pk])).content.decode()
    assert "Reporting currency" in page

    data = {"team-name": "APAC", "team-mode": team.mode, "team-reporting_currency": "thb"}
    response = client.post(reverse("handoff:team", args=[team.pk]), data)

    assert response.status_code == 302
    assert Team.objects.get(pk=team.pk).reporting_currency == "THB"


def test_a_bad_code_is_refused_next_to_the_field(client, manager):
    team = TeamFactory(name="APAC")
    client.force_login(manager)
    data = {"team-name": "APAC", "team-mode": team.mode, "team-reporting_currency": "U$D"}

    response = client.post(reverse("handoff:team", args=[team.pk]), data)

    assert response.status_code == 400
    assert response.context["team_form"].errors["reporting_currency"]
    assert Team.objects.get(pk=team.pk).reporting_currency == ""
