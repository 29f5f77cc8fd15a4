"""The lead list sorts by its column headers, keeps filters and pages, and its API the same;
the list exports the ticked leads, or all its filters match, as CSV."""

import csv
import io

import pytest
from django.urls import reverse

from accounts.roles import Role
from tests.factories import LeadFactory
from tests.query_counts import assert_same_queries, measure

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored():
    return {
        score: LeadFactory(score=score, email=f"s{score}@northwind.io") for score in (5, 40, 20)
    }


def test_a_header_sorts_the_list_and_says_so(client_as, scored):
    response = client_as(Role.MARKETER).get(reverse("leads:list"), {"sort": "-score"})

    assert [lead.score for lead in response.context["object_list"]] == [40, 20, 5]
    body = response.content.decode()
    assert 'aria-sort="descending"' in body
    # Clicking the same header again turns the order round.
    assert 'href="?sort=score"' in body


def test_the_other_direction_and_back(client_as, scored):
    client = client_as(Role.MARKETER)

    ascending = client.get(reverse("leads:list"), {"sort": "score"}).context["object_list"]
    newest = client.get(reverse("leads:list")).context["object_list"]

    assert [lead.score for lead in ascending] == [5, 20, 40]
    assert list(newest) == [scored[20], scored[40], scored[5]]


def test_an_unknown_sort_key_shows_the_default_order_not_an_error(client_as, scored):
    response = client_as(Role.MARKETER).get(reverse("leads:list"), {"sort": "search_text"})

    assert response.status_code == 200
    assert list(response.context["object_list"]) == [scored[20], scored[40], scored[5]]
    body = response.content.decode()
    # The filter form does not carry the unknown key on.
    assert (
        '<input type="hidden" name="sort" value="search_text">\n  <button type="submit">'
        not in body
    )
    assert body.count("aria-sort=") == 1
    assert 'aria-sort="descending"><a href="?sort=created"' in body


def test_sorting_keeps_the_filters_and_the_pages_keep_the_sort(client_as):
    LeadFactory.create_batch(51, status="connected", score=3)
    client = client_as(Role.MARKETER)

    response = client.get(reverse("leads:list"), {"status": "connected", "sort": "-score"})

    body = response.content.decode()
    assert 'href="?status=connected&amp;sort=score"' in body
    assert "status=connected&amp;sort=-score&amp;page=2" in body
    assert '<input type="hidden" name="sort" value="-score">\n  <button type="submit">' in body


def test_ties_keep_one_order_across_pages(client_as):
    leads = LeadFactory.create_batch(60, score=7)
    client = client_as(Role.MARKETER)

    first = client.get(reverse("leads:list"), {"sort": "score"}).context["object_list"]
    second = client.get(reverse("leads:list"), {"sort": "score", "page": 2}).context["object_list"]

    assert [*first, *second] == sorted(leads, key=lambda lead: lead.pk)


@pytest.mark.parametrize("sort", ["owner", "-channel", "name", "-created"])
def test_each_sort_runs_the_same_queries_for_few_and_many_rows(client_as, make_user, sort):
    client = client_as(Role.MARKETER)

    def fetch():
        return client.get(reverse("leads:list"), {"sort": sort})

    LeadFactory(owner=make_user(Role.ACCOUNT_EXECUTIVE))
    few = measure(fetch)
    for _ in range(8):
        LeadFactory(owner=make_user(Role.ACCOUNT_EXECUTIVE))
    many = measure(fetch)

    assert_same_queries(few, many)


def test_the_api_orders_by_the_same_keys_with_ties_by_id(api_as, scored):
    tied = LeadFactory(score=20, email="tie@northwind.io")
    api = api_as(Role.SDR)

    response = api.get("/api/v1/leads/", {"ordering": "-score"})

    assert response.status_code == 200
    emails = [row["email"] for row in response.json()["results"]]
    assert emails == ["s40@northwind.io", tied.email, "s20@northwind.io", "s5@northwind.io"]


def test_the_api_refuses_an_unknown_ordering_naming_the_parameter(api_as, scored):
    response = api_as(Role.SDR).get("/api/v1/leads/", {"ordering": "search_text"})

    assert response.status_code == 400
    assert "-score" not in response.json()["ordering"][0]
    assert "score" in response.json()["ordering"][0]


def test_the_api_without_ordering_keeps_newest_first(api_as, scored):
    response = api_as(Role.SDR).get("/api/v1/leads/", {"ordering": ""})

    assert [row["score"] for row in response.json()["results"]] == [20, 40, 5]


def test_an_api_page_follows_on_from_the_last_in_the_chosen_order(api_as):
    leads = [LeadFactory(score=score % 3) for score in range(7)]
    api = api_as(Role.SDR)

    first = api.get("/api/v1/leads/", {"ordering": "score", "page_size": 4}).json()
    second = api.get(first["next"]).json()

    seen = [row["id"] for row in [*first["results"], *second["results"]]]
    assert seen == [lead.pk for lead in sorted(leads, key=lambda lead: (lead.score, lead.pk))]


def test_the_schema_lists_the_api_ordering_keys(api_as):
    schema = api_as(Role.SDR).get("/api/schema/", {"format": "json"}).json()

    parameters = schema["paths"]["/api/v1/leads/"]["get"]["parameters"]
    (ordering,) = [p for p in parameters if p["name"] == "ordering"]
    assert "-score" in ordering["schema"]["enum"]
    assert "search_text" not in ordering["schema"]["enum"]


def rows_of(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_the_export_takes_the_ticked_leads(client_as, scored):
    response = client_as(Role.MARKETER).get(
        reverse("leads:export"), {"lead": [scored[5].pk, scored[40].pk], "sort": "-score"}
    )

    assert response["Content-Type"].startswith("text/csv")
    assert [row["Email"] for row in rows_of(response)] == ["s40@northwind.io", "s5@northwind.io"]


def test_the_export_without_a_selection_takes_every_lead_the_filters_match(client_as, scored):
    LeadFactory(status="connected", email="connected@northwind.io")

    response = client_as(Role.MARKETER).get(reverse("leads:export"), {"status": "connected"})

    assert [row["Email"] for row in rows_of(response)] == ["connected@northwind.io"]


def test_the_export_keeps_a_formula_from_running_in_a_spreadsheet(client_as):
    LeadFactory(organization='=HYPERLINK("http://evil")')

    (row,) = rows_of(client_as(Role.MARKETER).get(reverse("leads:export")))

    assert row["Organization"].startswith("'=")


def test_the_list_offers_the_selection_for_export(client_as, scored):
    body = client_as(Role.SDR).get(reverse("leads:list")).content.decode()

    assert f'name="lead" value="{scored[5].pk}" form="lead-export"' in body
    assert 'data-select-all="leads"' in body


def test_the_export_runs_the_same_queries_for_few_and_many_leads(client_as, make_user):
    client = client_as(Role.MARKETER)

    def fetch():
        return client.get(reverse("leads:export"), {"sort": "owner"})

    LeadFactory(owner=make_user(Role.ACCOUNT_EXECUTIVE))
    few = measure(fetch)
    for _ in range(8):
        LeadFactory(owner=make_user(Role.ACCOUNT_EXECUTIVE))
    many = measure(fetch)

    assert many.body.count("@northwind.io") == 9
    assert_same_queries(few, many)
