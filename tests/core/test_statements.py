"""Web requests bound each SQL statement on PostgreSQL; the worker does not; a statement stopped
by the bound answers 503 with a sentence, not a 500."""

import importlib
import json

import psycopg.errors
import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import OperationalError, connection
from django.db.backends.signals import connection_created
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from core.middleware import StatementTimeoutMiddleware
from core.statements import set_statement_timeout

pytestmark = pytest.mark.django_db


def show_statement_timeout() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        return cursor.fetchone()[0]


def test_the_web_entry_point_bounds_new_connections_and_nothing_else_does():
    def bound_receivers():
        return [r for r in connection_created.receivers if r[0][0] == "core-web-statement-timeout"]

    assert bound_receivers() == []  # settings alone (the worker's case) bound nothing
    importlib.import_module("config.wsgi")
    try:
        assert len(bound_receivers()) == 1
    finally:
        connection_created.disconnect(dispatch_uid="core-web-statement-timeout")


def test_a_postgresql_connection_gets_the_configured_bound(settings):
    settings.WEB_STATEMENT_TIMEOUT_MS = 1500
    with CaptureQueriesContext(connection) as queries:
        set_statement_timeout(sender=None, connection=connection)
    if connection.vendor == "postgresql":
        # SET inside the test's transaction is undone when the test rolls back.
        assert show_statement_timeout() == "1500ms"
    else:
        assert len(queries) == 0  # SQLite has no such bound; nothing is sent


def test_zero_means_no_bound(settings):
    settings.WEB_STATEMENT_TIMEOUT_MS = 0
    with CaptureQueriesContext(connection) as queries:
        set_statement_timeout(sender=None, connection=connection)
    assert len(queries) == 0


def statement_timeout_error() -> OperationalError:
    """What Django raises when PostgreSQL cancels a statement: on PostgreSQL a real one."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SAVEPOINT slow")
            cursor.execute("SET LOCAL statement_timeout = 50")
            try:
                cursor.execute("SELECT pg_sleep(2)")
            except OperationalError as error:
                cursor.execute("ROLLBACK TO SAVEPOINT slow")
                return error
        raise AssertionError("pg_sleep(2) was not stopped after 50 ms")
    try:
        raise OperationalError("canceling statement") from psycopg.errors.QueryCanceled()
    except OperationalError as error:
        return error


def answer(path: str, exception: Exception, **headers):
    request = RequestFactory().get(path, **headers)
    request.htmx = "HTTP_HX_REQUEST" in headers
    request.user = AnonymousUser()
    return StatementTimeoutMiddleware(lambda r: None).process_exception(request, exception)


def test_a_stopped_api_statement_answers_503_json():
    response = answer("/api/v1/leads/", statement_timeout_error())

    assert response.status_code == 503
    assert "took too long" in json.loads(response.content)["detail"]


def test_a_stopped_htmx_statement_answers_in_the_message_area():
    response = answer("/reports/sla/", statement_timeout_error(), HTTP_HX_REQUEST="true")

    assert response.status_code == 503
    assert response["HX-Retarget"] == "#messages"
    assert b"took too long" in response.content


def test_other_database_errors_are_left_alone():
    try:
        raise OperationalError("disk full") from psycopg.errors.DiskFull()
    except OperationalError as error:
        assert answer("/api/v1/leads/", error) is None
