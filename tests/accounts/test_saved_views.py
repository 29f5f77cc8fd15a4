"""Saved views: a person names a list's filters and sort, comes back to them, deletes them;
nobody else opens or deletes them."""

import pytest
from django.db import IntegrityError
from django.urls import reverse

from accounts.models import SavedView
from accounts.roles import Role
from accounts.saved_views import saved_view_save
from core.errors import ApplicationError
from tests.factories import LeadFactory

pytestmark = pytest.mark.django_db


def save(client, name="Hot connected", query="status=connected&sort=-score&page=4"):
    return client.post(
        reverse("accounts:save-view"), {"list": "leads", "name": name, "query": query}
    )


def test_saving_a_view_keeps_the_filters_and_sort_and_shows_the_list_with_them(client, marketer):
    client.force_login(marketer)

    response = save(client)

    view = SavedView.objects.get()
    assert (view.owner, view.list_key, view.name) == (marketer, "leads", "Hot connected")
    # Where one was in the list is not part of what it shows.
    assert view.query == "status=connected&sort=-score"
    assert response.url == "/leads/?status=connected&sort=-score"


def test_the_list_shows_the_saved_views_and_marks_the_one_in_use(client, marketer):
    client.force_login(marketer)
    save(client)
    view = SavedView.objects.get()

    body = client.get(reverse("leads:list"), {"status": "connected", "sort": "-score"}).text
    other = client.get(reverse("leads:list")).text

    link = f'href="{reverse("accounts:open-view", args=[view.pk])}" aria-current="true"'
    assert link in body
    assert "Hot connected" in other and link not in other


def test_opening_a_view_returns_to_the_list_with_its_filters(client, marketer):
    client.force_login(marketer)
    save(client)
    view = SavedView.objects.get()
    connected = LeadFactory(status="connected", score=9)
    LeadFactory(status="new")

    response = client.get(reverse("accounts:open-view", args=[view.pk]), follow=True)

    assert list(response.context["object_list"]) == [connected]


def test_saving_the_same_name_again_replaces_what_it_shows(client, marketer):
    client.force_login(marketer)
    save(client)
    save(client, query="stage=mql")

    assert list(SavedView.objects.values_list("name", "query")) == [("Hot connected", "stage=mql")]


def test_another_users_saved_view_is_not_found(client, marketer, manager):
    view, _created = saved_view_save(owner=marketer, list_key="leads", name="Mine", query="")
    client.force_login(manager)

    opened = client.get(reverse("accounts:open-view", args=[view.pk]))
    deleted = client.post(reverse("accounts:delete-view", args=[view.pk]))
    listed = client.get(reverse("leads:list")).text

    assert (opened.status_code, deleted.status_code) == (404, 404)
    assert SavedView.objects.filter(pk=view.pk).exists()
    assert "Mine" not in listed


def test_two_people_may_use_the_same_name(marketer, manager):
    saved_view_save(owner=marketer, list_key="leads", name="Hot", query="")
    saved_view_save(owner=manager, list_key="leads", name="Hot", query="stage=mql")

    assert SavedView.objects.count() == 2


def test_the_database_refuses_two_views_of_one_list_under_one_name(marketer):
    SavedView.objects.create(owner=marketer, list_key="leads", name="Hot")

    with pytest.raises(IntegrityError):
        SavedView.objects.create(owner=marketer, list_key="leads", name="Hot")


def test_deleting_a_view_goes_back_to_its_list(client, marketer):
    view, _created = saved_view_save(owner=marketer, list_key="leads", name="Old", query="")
    client.force_login(marketer)

    response = client.post(reverse("accounts:delete-view", args=[view.pk]))

    assert response.url == reverse("leads:list")
    assert not SavedView.objects.exists()


@pytest.mark.parametrize(
    ("list_key", "name"), [("leads", "  "), ("nothing", "Hot"), ("leads", "x" * 81)]
)
def test_a_view_needs_a_name_and_a_known_list(marketer, list_key, name):
    with pytest.raises(ApplicationError):
        saved_view_save(owner=marketer, list_key=list_key, name=name, query="")

    assert not SavedView.objects.exists()


def test_a_refused_save_goes_back_to_the_list_with_the_reason(client, marketer):
    client.force_login(marketer)

    response = client.post(
        reverse("accounts:save-view"),
        {"list": "leads", "name": "", "query": ""},
        HTTP_REFERER="http://testserver/leads/?stage=mql",
        follow=True,
    )

    assert response.redirect_chain[-1][0].endswith("/leads/?stage=mql")
    assert "Name the view" in response.text


@pytest.mark.parametrize(
    ("url", "role", "key"),
    [
        ("handoff:queue", Role.SDR, "queue"),
        ("handoff:returned", Role.MARKETER, "returned"),
        ("handoff:opportunities", Role.ACCOUNT_EXECUTIVE, "opportunities"),
        ("handoff:sqls", Role.ACCOUNT_EXECUTIVE, "sqls"),
        ("leads:list", Role.SDR, "leads"),
    ],
)
def test_each_list_offers_to_save_its_view(client_as, url, role, key):
    body = client_as(role).get(reverse(url), {"sort": "-organization"}).text

    assert f'<input type="hidden" name="list" value="{key}">' in body
    assert "sort=-organization" in body
