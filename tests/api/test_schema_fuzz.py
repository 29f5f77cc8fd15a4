"""schemathesis against the published schema: every endpoint registered when this runs.

Requests go through Django's WSGI handler in-process, authenticated with an admin's token; the
checks are that nothing answers 5xx and every answer matches the schema (status, content type,
body). Examples per operation are kept modest so the whole run stays well under a minute.
"""

import pytest
import schemathesis
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.roles import Role
from accounts.services import api_token_create
from tests.factories import ChannelFactory, LeadFactory

pytestmark = pytest.mark.django_db

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def load_schema(mode: GenerationMode, *, coverage: bool):
    """Loaded at collection through the app itself, so it lists whatever endpoints exist now.

    The coverage phase (boundary values, wrong types, every missing field) runs for invalid
    requests, where it finds the most; valid requests are left to random generation.
    """
    loaded = schemathesis.openapi.from_wsgi("/api/schema/?format=json", WSGIHandler())
    loaded.config.generation.update(modes=[mode])
    loaded.config.phases.coverage.enabled = coverage
    return loaded


def takes_input(context) -> bool:
    """Operations without parameters or a body have no invalid request to make."""
    definition = context.operation.definition.raw
    return bool(definition.get("parameters") or definition.get("requestBody"))


valid_requests = load_schema(GenerationMode.POSITIVE, coverage=False)
invalid_requests = load_schema(GenerationMode.NEGATIVE, coverage=True).include(takes_input)


@pytest.fixture
def keep_the_test_connection():
    """Like Django's test client: keep the connection open between requests (closing it would
    end the test's transaction), and start with empty throttle counts."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    cache.clear()
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def admin_headers(make_user):
    ChannelFactory(slug="webinar")
    LeadFactory.create_batch(3)
    issued = api_token_create(user=make_user(Role.ADMIN), name="Schema fuzz", lifetime_in_days=30)
    return {"Authorization": f"Token {issued.key}"}


@valid_requests.parametrize()
@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
def test_valid_requests_get_answers_the_schema_promises(
    case, admin_headers, keep_the_test_connection
):
    case.call_and_validate(headers=admin_headers, checks=CHECKS)


@invalid_requests.parametrize()
@settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck))
def test_invalid_requests_never_cause_a_server_error(case, admin_headers, keep_the_test_connection):
    """Malformed ids in the path reach Django's own 404 page, so only 5xx is checked here."""
    case.call_and_validate(headers=admin_headers, checks=[not_a_server_error])
