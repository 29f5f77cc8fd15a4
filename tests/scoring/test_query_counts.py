"""The agreement pages run the same queries for a few versions, rules or changed leads as for
many."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from leads.models import ActivityKind
from scoring.models import ActionRule, Agreement
from tests.factories import ActivityFactory, LeadFactory
from tests.query_counts import assert_same_queries, measure
from tests.scoring.factories import draft_copy, signed_draft

pytestmark = pytest.mark.django_db

# How the extra rules of the long draft read.
PAGE_VIEWS = "for each page view, at most 3, in the last 30 days"


def sign_drafts(count, make_user):
    """Submitted and signed drafts, each by its own author and signers."""
    for _ in range(count):
        signed_draft(make_user(Role.MARKETER), make_user(Role.MARKETER), make_user(Role.MANAGER))


@pytest.mark.parametrize("role", [Role.MARKETER, Role.SDR])
def test_the_version_history_runs_the_same_queries_for_any_number_of_versions(
    client_as, make_user, role
):
    client = client_as(role)

    def fetch():
        return client.get(reverse("scoring:history"))

    sign_drafts(2, make_user)
    few = measure(fetch)
    sign_drafts(9, make_user)
    many = measure(fetch)

    assert len(many.response.context["agreements"]) == 12
    assert_same_queries(few, many)


def with_more_rules(draft, count):
    """`draft` with `count` more action rules than the version it was copied from."""
    for n in range(count):
        ActionRule.objects.create(
            agreement=draft,
            key=f"page-view-{n}",
            position=100 + n,
            kind=ActivityKind.PAGE_VIEW,
            points=n + 1,
            cap=3,
            window_days=30,
        )
    return draft


@pytest.fixture
def short_and_long(marketer):
    """Two drafts copied from the version in force, the second with 12 more rules."""
    return draft_copy(marketer), with_more_rules(draft_copy(marketer), 12)


@pytest.mark.parametrize("url_name", ["scoring:detail", "scoring:edit", "api-agreement"])
def test_an_agreement_runs_the_same_queries_for_any_number_of_rules(
    client, marketer, short_and_long, url_name
):
    client.force_login(marketer)
    short, long = short_and_long

    few = measure(lambda: client.get(reverse(url_name, args=[short.pk])))
    many = measure(lambda: client.get(reverse(url_name, args=[long.pk])))

    assert PAGE_VIEWS not in few.body
    assert many.body.count(PAGE_VIEWS) >= 12
    assert_same_queries(few, many)


def test_a_rule_section_runs_the_same_queries_for_any_number_of_rules(
    client, marketer, short_and_long
):
    client.force_login(marketer)
    short, long = short_and_long

    def fetch(draft):
        return client.get(reverse("scoring:section", args=[draft.pk, "action"]))

    few = measure(lambda: fetch(short))
    many = measure(lambda: fetch(long))

    assert len(many.response.context["rows"]) == len(few.response.context["rows"]) + 12
    assert_same_queries(few, many)


def test_the_diff_runs_the_same_queries_for_any_number_of_changes(
    client, marketer, make_user, short_and_long
):
    client.force_login(marketer)
    short, long = short_and_long
    published = Agreement.objects.get(version=1)

    def fetch(draft):
        return client.get(reverse("scoring:diff"), {"old": published.pk, "new": draft.pk})

    few = measure(lambda: fetch(short))
    sign_drafts(5, make_user)
    many = measure(lambda: fetch(long))

    assert len(many.response.context["diff"].added) == 12
    assert_same_queries(few, many)


def qualified_leads(count):
    """Leads at 25 points under the version in force (demo and contact requests)."""
    for _ in range(count):
        lead = LeadFactory()
        ActivityFactory(lead=lead, kind=ActivityKind.DEMO_REQUEST)
        ActivityFactory(lead=lead, kind=ActivityKind.CONTACT_REQUEST)


def test_the_impact_preview_runs_the_same_queries_for_any_number_of_changed_leads(client, marketer):
    client.force_login(marketer)
    draft = draft_copy(marketer)
    Agreement.objects.filter(pk=draft.pk).update(threshold=100)

    def fetch():
        return client.get(reverse("scoring:preview", args=[draft.pk]))

    qualified_leads(2)
    few = measure(fetch)
    qualified_leads(10)
    many = measure(fetch)

    assert len(many.response.context["preview"].sample) == 12
    assert_same_queries(few, many)
