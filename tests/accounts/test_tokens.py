import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.roles import Role

pytestmark = pytest.mark.django_db

PROFILE = reverse("accounts:profile")
ISSUE = reverse("accounts:issue-token")
REVOKE = reverse("accounts:revoke-token")


def api_status(key):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api.get("/api/v1/leads/").status_code


@pytest.mark.parametrize("role", list(Role))
def test_every_role_sees_its_profile_with_an_empty_token_state(client_as, role):
    response = client_as(role).get(PROFILE)

    assert response.status_code == 200
    assert b"You have no API token yet." in response.content


def test_a_user_without_a_role_is_forbidden(client_as):
    client = client_as()

    assert client.get(PROFILE).status_code == 403
    assert client.post(ISSUE).status_code == 403
    assert not Token.objects.exists()


def test_anonymous_visitors_are_sent_to_login(client):
    for url in (PROFILE, ISSUE, REVOKE):
        response = client.post(url) if url != PROFILE else client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_creating_a_token_shows_it_once_with_a_curl_example(client, sdr):
    client.force_login(sdr)

    response = client.post(ISSUE, follow=True)

    key = Token.objects.get(user=sdr).key
    page = response.content.decode()
    assert key in page
    assert f'curl -H "Authorization: Token {key}" http://testserver/api/v1/leads/' in page
    assert api_status(key) == 200
    assert key not in client.get(PROFILE).content.decode()


def test_regenerating_replaces_the_key(client, marketer):
    client.force_login(marketer)
    client.post(ISSUE)
    old = Token.objects.get(user=marketer).key

    client.post(ISSUE)

    new = Token.objects.get(user=marketer).key
    assert new != old
    assert api_status(old) == 401
    assert api_status(new) == 200


def test_revoking_stops_the_token(client, marketer):
    client.force_login(marketer)
    client.post(ISSUE)
    key = Token.objects.get(user=marketer).key

    response = client.post(REVOKE, follow=True)

    assert b"revoked" in response.content
    assert not Token.objects.filter(user=marketer).exists()
    assert api_status(key) == 401


def test_a_user_changes_only_their_own_token(client, marketer, sdr):
    Token.objects.create(user=sdr)
    client.force_login(marketer)

    client.post(REVOKE)

    assert Token.objects.filter(user=sdr).exists()


def test_token_actions_need_post(client, marketer):
    client.force_login(marketer)

    assert client.get(ISSUE).status_code == 405
    assert client.get(REVOKE).status_code == 405


def test_drf_create_token_still_works(marketer):
    from django.core.management import call_command

    call_command("drf_create_token", marketer.username)

    assert Token.objects.filter(user=marketer).exists()
