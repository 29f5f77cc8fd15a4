"""`Authorization: Token <key>` on the API: a key works until it expires or is revoked, and then
gets a 401 saying which; its last use is written at most once a minute."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.models import ApiToken
from accounts.roles import Role
from accounts.services import api_token_create, api_token_revoke

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
LEADS = "/api/v1/leads/"


def call_with(key):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api.get(LEADS)


@pytest.fixture
def issued(make_user):
    with time_machine.travel(NOW, tick=False):
        return api_token_create(user=make_user(Role.SDR), name="Dialer", lifetime_in_days=30)


def test_a_key_calls_the_api_as_its_owner(issued):
    with time_machine.travel(NOW, tick=False):
        response = call_with(issued.key)

    assert response.status_code == 200
    assert response.wsgi_request.user == issued.token.user


def test_an_expired_key_gets_401_saying_it_expired(issued):
    with time_machine.travel(NOW + timedelta(days=30), tick=False):
        response = call_with(issued.key)

    assert response.status_code == 401
    assert response.json() == {
        "detail": "This API token has expired. Create a new one on your profile page."
    }
    assert response["WWW-Authenticate"] == "Token"


def test_a_key_works_until_the_moment_it_expires(issued):
    with time_machine.travel(NOW + timedelta(days=30, seconds=-1), tick=False):
        assert call_with(issued.key).status_code == 200


def test_a_revoked_key_gets_401_saying_it_was_revoked(issued):
    api_token_revoke(token=issued.token)

    response = call_with(issued.key)

    assert response.status_code == 401
    assert response.json() == {
        "detail": "This API token was revoked. Create a new one on your profile page."
    }


def test_an_unknown_key_gets_401(issued):
    response = call_with(issued.key[:-1] + ("A" if issued.key[-1] != "A" else "B"))

    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token."}


def test_the_key_of_a_deactivated_person_stops_working(issued):
    issued.token.user.is_active = False
    issued.token.user.save()

    assert call_with(issued.key).status_code == 401


def test_the_last_use_is_written_at_most_once_a_minute(issued):
    def last_used_after_a_call_at(moment):
        with time_machine.travel(moment, tick=False):
            assert call_with(issued.key).status_code == 200
        return ApiToken.objects.get().last_used_at

    assert ApiToken.objects.get().last_used_at is None
    assert last_used_after_a_call_at(NOW) == NOW
    assert last_used_after_a_call_at(NOW + timedelta(seconds=59)) == NOW
    assert last_used_after_a_call_at(NOW + timedelta(seconds=60)) == NOW + timedelta(seconds=60)


def test_a_call_within_the_minute_writes_nothing(issued):
    with time_machine.travel(NOW, tick=False):
        call_with(issued.key)

    later = NOW + timedelta(seconds=30)
    with time_machine.travel(later, tick=False), CaptureQueriesContext(connection) as queries:
        assert call_with(issued.key).status_code == 200

    assert not [q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
