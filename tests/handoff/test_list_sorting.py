"""The queue keeps its urgency order unless a person sorts by one of its optional columns, and
"Most urgent first" goes back; the returned, opportunity, SQL and team lists sort by their
headers."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from handoff import services
from handoff.models import Handoff, Opportunity
from leads.models import Lead
from tests.factories import LeadFactory
from tests.handoff.factories import mql_handoff
from tests.handoff.test_qualification import CHECKS, DEFAULT_CRITERIA
from tests.teams.factories import TeamFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def queued(pool_team):
    """Three pooled handoffs, due an hour apart (the running clocks keep `sla_due_at`): the
    least urgent has the highest score."""
    handoffs = [mql_handoff(score=score) for score in (10, 30, 90)]
    soon = timezone.now() + timedelta(hours=1)
    for hour, handoff in enumerate(handoffs):
        Handoff.objects.filter(pk=handoff.pk).update(sla_due_at=soon + timedelta(hours=hour))
    return handoffs


def test_the_queue_is_most_urgent_first_without_a_sort(client, queued, sdr):
    client.force_login(sdr)

    response = client.get(reverse("handoff:queue"), {"view": "pool"})

    assert response.context["rows"] == queued
    body = response.text
    assert "Most urgent first</a>" not in body
    assert body.count("aria-sort=") == 1  # Time left: the order in force


def test_sorting_the_queue_by_score_and_back_to_most_urgent(client, queued, sdr):
    client.force_login(sdr)

    by_score = client.get(reverse("handoff:queue"), {"view": "pool", "sort": "-score"})

    assert [h.score for h in by_score.context["rows"]] == [90, 30, 10]
    assert '<a href="?view=pool" data-sort-reset>Most urgent first</a>' in by_score.text
    assert 'aria-sort="descending"' in by_score.text
    again = client.get(reverse("handoff:queue") + "?view=pool")
    assert again.context["rows"] == queued


def test_the_polled_rows_keep_the_sort(client, queued, sdr):
    client.force_login(sdr)

    page = client.get(reverse("handoff:queue"), {"view": "pool", "sort": "score"}).text
    rows = client.get(reverse("handoff:queue_rows"), {"view": "pool", "sort": "score"}, **HTMX)

    assert "sort=score" in page.split('id="queue-rows"')[1].split(">")[0]
    assert [h.score for h in rows.context["rows"]] == [10, 30, 90]


def test_the_queue_refuses_an_unknown_sort_gracefully(client, queued, sdr):
    client.force_login(sdr)

    response = client.get(reverse("handoff:queue"), {"view": "pool", "sort": "sla_due_at"})

    assert response.status_code == 200
    assert response.context["rows"] == queued


def test_the_queue_api_takes_the_same_ordering(api_as, queued, manager):
    api = api_as(Role.MANAGER)

    by_score = api.get("/api/v1/queue/", {"view": "all", "ordering": "-score"})
    default = api.get("/api/v1/queue/", {"view": "all"})
    unknown = api.get("/api/v1/queue/", {"view": "all", "ordering": "nope"})

    assert [row["score"] for row in by_score.json()["results"]] == [90, 30, 10]
    assert [row["id"] for row in default.json()["results"]] == [h.pk for h in queued]
    assert unknown.status_code == 400
    assert list(unknown.json()) == ["ordering"]


def test_the_returned_list_sorts_by_reason(client, pool_team, sdr, marketer):
    for first, reason in (("Ann", "no_fit"), ("Ben", "bad_timing"), ("Cai", "duplicate")):
        handoff = mql_handoff(first_name=first)
        services.return_handoff(handoff=handoff, user=sdr, reason=reason)
    client.force_login(marketer)

    response = client.get(reverse("handoff:returned"), {"sort": "reason"})

    labels = [h.return_reason.label for h in response.context["object_list"]]
    assert labels == sorted(labels)
    assert len(labels) == 3


def deals(owner, amounts=(500, 9000, 40)):
    for amount in amounts:
        Opportunity.objects.create(
            lead=LeadFactory(),
            name=f"Deal {amount}",
            amount=Decimal(amount),
            currency="EUR",
            expected_close_date=date(2026, 6, 30),
            owner=owner,
        )


def test_the_opportunity_list_sorts_by_amount_and_keeps_the_stage_filter(
    client, account_executive, manager
):
    deals(account_executive)
    client.force_login(manager)

    response = client.get(reverse("handoff:opportunities"), {"sort": "-amount", "stage": ""})

    assert [o.amount for o in response.context["object_list"]] == [9000, 500, 40]
    assert 'href="?stage=&amp;sort=amount"' in response.text


def test_the_opportunities_api_takes_the_same_ordering(api_as, account_executive):
    deals(account_executive)
    api = api_as(Role.MANAGER)

    by_amount = api.get("/api/v1/opportunities/", {"ordering": "-amount"}).json()["results"]
    default = api.get("/api/v1/opportunities/").json()["results"]
    unknown = api.get("/api/v1/opportunities/", {"ordering": "owner__password"})

    assert [row["name"] for row in by_amount] == ["Deal 9000", "Deal 500", "Deal 40"]
    assert [row["name"] for row in default] == ["Deal 40", "Deal 9000", "Deal 500"]
    assert unknown.status_code == 400
    assert "password" not in unknown.text


def test_the_sql_list_sorts_by_lead(client, pool_team, sdr, manager, account_executive):
    services.set_required_criteria(user=manager, required=[])
    for first in ("Abe", "Zoe"):
        handoff = mql_handoff(first_name=first)
        services.accept_handoff(handoff=handoff, user=sdr, checklist=CHECKS)
        lead = Lead.objects.get(pk=handoff.lead_id)
        services.save_qualification(lead=lead, user=sdr, changes=DEFAULT_CRITERIA)
        services.promote_to_sql(lead=lead, user=sdr, account_executive=account_executive)
    client.force_login(account_executive)

    by_lead = client.get(reverse("handoff:sqls"), {"sort": "lead"})
    newest = client.get(reverse("handoff:sqls"))

    assert [p.lead.first_name for p, _ae in by_lead.context["rows"]] == ["Abe", "Zoe"]
    assert [p.lead.first_name for p, _ae in newest.context["rows"]] == ["Zoe", "Abe"]


def test_a_teams_reps_sort_by_open_load(client, pool_team, sdr, sdr2, manager):
    for _ in range(2):
        services.claim_handoff(handoff=mql_handoff(), user=sdr2)
    services.claim_handoff(handoff=mql_handoff(), user=sdr)
    client.force_login(manager)

    busiest = client.get(reverse("handoff:team", args=[pool_team.pk]), {"sort": "-load"})
    by_name = client.get(reverse("handoff:team", args=[pool_team.pk]))

    assert [(m.user.username, m.load) for m in busiest.context["members"]] == [
        ("sasha", 2),
        ("sam", 1),
    ]
    assert [m.user.username for m in by_name.context["members"]] == ["sam", "sasha"]
    assert 'aria-sort="descending"' in busiest.text


def test_the_teams_sort_by_name_either_way(client, manager):
    TeamFactory(name="Events")
    TeamFactory(name="Inbound")
    client.force_login(manager)

    response = client.get(reverse("handoff:teams"), {"sort": "-team"})

    assert [team.name for team in response.context["teams"]] == ["Inbound", "Events"]
