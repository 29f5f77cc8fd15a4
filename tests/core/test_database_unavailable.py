"""A database that cannot be reached answers 503 with a sentence in the caller's shape (a page,
JSON under /api/, the message area for htmx), wherever in the request it was found: in the
session the reader's middleware reads before any view, or in the view. Other database errors
stay 500s. tests/reliability/test_database_stops.py stops a real PostgreSQL under a server."""

import sqlite3

import psycopg
import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import InterfaceError, OperationalError
from django.test import Client
from django.utils import translation

from accounts.authentication import ApiTokenAuthentication
from accounts.roles import Role
from core.statements import is_connection_lost

pytestmark = pytest.mark.django_db


def django_error(cause: Exception, kind=OperationalError) -> Exception:
    """What Django raises for `cause`: its own class, with the driver's error as the cause."""
    try:
        raise kind(str(cause)) from cause
    except kind as error:
        return error


REFUSED = psycopg.OperationalError("connection failed: Connection refused")


def failing(error: Exception):
    def fail(*args, **kwargs):
        raise error

    return fail


@pytest.fixture
def signed_in(make_user):
    """A browser signed in, that does not re-raise the request's exception as the test client
    does by default: what a person sees is the answer."""
    browser = Client(raise_request_exception=False)
    browser.force_login(make_user(Role.SDR))
    return browser


@pytest.mark.parametrize(
    "cause",
    [
        REFUSED,
        psycopg.OperationalError("consuming input failed: server closed the connection"),
        psycopg.errors.AdminShutdown(),
        psycopg.errors.CannotConnectNow(),
        psycopg.errors.ConnectionFailure(),
    ],
)
def test_a_server_that_is_gone_is_a_lost_connection(cause):
    assert is_connection_lost(django_error(cause))
    assert is_connection_lost(django_error(cause, InterfaceError))


@pytest.mark.parametrize(
    "error",
    [
        django_error(psycopg.errors.DiskFull()),
        django_error(psycopg.errors.QueryCanceled()),  # a statement timeout has its own 503
        django_error(sqlite3.OperationalError("database is locked")),
        django_error(sqlite3.InterfaceError("Error binding parameter 1"), InterfaceError),
        ValueError("bug"),
    ],
)
def test_other_errors_are_not(error):
    assert not is_connection_lost(error)


def test_a_page_whose_session_cannot_be_read_answers_503(signed_in, monkeypatch):
    monkeypatch.setattr(SessionStore, "load", failing(django_error(REFUSED)))

    response = signed_in.get("/")

    assert response.status_code == 503
    page = response.content.decode()
    assert "<html" in page
    assert "cannot reach its database" in page
    assert "Traceback" not in page


def test_the_page_is_in_the_browsers_language_without_the_database(signed_in, monkeypatch):
    monkeypatch.setattr(SessionStore, "load", failing(django_error(REFUSED)))

    response = signed_in.get("/", headers={"Accept-Language": "th"})

    page = response.content.decode()
    assert response.status_code == 503
    assert '<html lang="th"' in page
    with translation.override("th"):
        back = translation.gettext("Back to your start page")
    assert back != "Back to your start page"
    assert back in page


def test_an_htmx_action_gets_the_message_in_the_message_area(signed_in, monkeypatch):
    monkeypatch.setattr(SessionStore, "load", failing(django_error(REFUSED)))

    response = signed_in.post("/handoff/queue/1/claim/", headers={"HX-Request": "true"})

    assert response.status_code == 503
    assert response["HX-Retarget"] == "#messages"
    assert "<html" not in response.content.decode()
    assert "cannot reach its database" in response.content.decode()


def test_an_api_call_answers_503_json(monkeypatch):
    lost = django_error(psycopg.errors.AdminShutdown(), InterfaceError)
    monkeypatch.setattr(ApiTokenAuthentication, "authenticate", failing(lost))

    response = Client(raise_request_exception=False).get(
        "/api/v1/leads/", headers={"Authorization": "Token anything"}
    )

    assert response.status_code == 503
    assert "cannot reach its database" in response.json()["detail"]


def test_another_database_error_stays_a_500(signed_in, monkeypatch):
    monkeypatch.setattr(SessionStore, "load", failing(django_error(psycopg.errors.DiskFull())))

    assert signed_in.get("/").status_code == 500
