"""User-entered text keeps its own direction: names, organisations and titles are isolated in
<bdi> on the queue, the work panel and the lead page, and typed into dir="auto" fields."""

import pytest
from django.urls import reverse

from accounts.forms import ApiTokenForm
from handoff.forms import ReturnForm
from tests.handoff.factories import mql_handoff
from tests.teams.factories import TeamMemberFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
ARABIC_NAME, LATIN_COMPANY = "سامي", "Siam Trade Co."


@pytest.fixture
def handoff(team, sdr):
    TeamMemberFactory(team=team, user=sdr)
    return mql_handoff(first_name=ARABIC_NAME, last_name="", organization=LATIN_COMPANY)


def test_the_queue_isolates_names_and_organisations(client, handoff, sdr):
    client.force_login(sdr)

    page = client.get(reverse("handoff:queue"), HTTP_ACCEPT_LANGUAGE="ar").content.decode()

    assert '<html lang="ar" dir="rtl"' in page
    assert f"<bdi>{ARABIC_NAME}</bdi>" in page
    assert f"<bdi>{LATIN_COMPANY}</bdi>" in page


def test_the_work_panel_isolates_them(client, handoff, sdr):
    client.force_login(sdr)

    page = client.get(reverse("handoff:work", args=[handoff.pk]), **HTMX).content.decode()

    assert f"<bdi>{ARABIC_NAME}</bdi>" in page
    assert f"<bdi>{LATIN_COMPANY}</bdi>" in page


def test_the_lead_page_isolates_them(client, handoff, sdr):
    client.force_login(sdr)

    page = client.get(reverse("leads:detail", args=[handoff.lead_id])).content.decode()

    assert f"<h1><bdi>{ARABIC_NAME}</bdi></h1>" in page
    assert f"<bdi>{LATIN_COMPANY}</bdi>" in page


def test_what_people_type_runs_in_its_own_direction():
    assert 'dir="auto"' in str(ApiTokenForm()["name"])
    note = next(field for field in ReturnForm() if field.name == "note")
    assert 'dir="auto"' in str(note)
