"""schemathesis against the published schema: every endpoint registered when this runs.

Requests go through Django's WSGI handler in-process as a manager, a marketer and an SDR, each
with an API token. Every check schemathesis has runs (its default set is all of them): no 5xx;
status codes, content types, bodies and headers as documented; requests the schema allows are
accepted (2xx, or 404/409 when the data named is missing or in another state) and requests it
forbids are refused; an operation that needs credentials refuses a call without them; an
undocumented method answers 405. Requests are generated in both modes (valid and invalid) by the
examples, coverage (boundary values, wrong types, every missing field) and fuzzing phases.
A stateful run then follows the schema's OpenAPI links (config/api_links.py), e.g. a lead
created by POST read back, edited and qualified by its id.

Examples per operation are kept small so the whole file stays well inside CI's time.
"""

import json
from decimal import Decimal, InvalidOperation

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from accounts.roles import Role
from accounts.services import api_token_create
from leads.countries import country_code
from tests.api.data import seed_api_data

pytestmark = pytest.mark.django_db

ROLES = [Role.MANAGER, Role.MARKETER, Role.SDR]
# Derandomized: CI sees the same cases on every run, so a red run is a regression, not a new
# draw; change the examples (or run with a random seed locally) to explore further.
SETTINGS = settings(
    max_examples=3,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
    derandomize=True,
)


def load_schema():
    """Generated at collection as /api/schema/ serves it, so it lists whatever endpoints exist now
    (not fetched through that view: it is throttled, and counting needs the database, which
    collection may not use); the calls go through the app itself."""
    generated = SchemaGenerator().get_schema(request=None, public=True)
    loaded = schemathesis.openapi.from_dict(json.loads(OpenApiJsonRenderer().render(generated)))
    loaded.app = WSGIHandler()
    loaded.config.generation.update(modes=list(GenerationMode))
    loaded.config.checks.update(included_check_names=["all"])
    for phase in ("examples", "coverage", "fuzzing"):
        getattr(loaded.config.phases, phase).enabled = True
    return loaded


schema = load_schema()


@pytest.fixture
def keep_the_test_connection():
    """Like Django's test client: keep the connection open between requests (closing it would
    end the test's transaction, and with it the throttle counts kept in the database)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(params=ROLES)
def headers(request, make_user, keep_the_test_connection):
    user = make_user(request.param, username=f"fuzz-{request.param}")
    seed_api_data(make_user, caller=user)
    issued = api_token_create(user=user, name="Schema fuzz", lifetime_in_days=30)
    return {"Authorization": f"Token {issued.key}"}


def unreadable_country(value) -> bool:
    return isinstance(value, str) and bool(value) and country_code(value) is None


def holds_nul(value) -> bool:
    """Whether any key or text anywhere inside the JSON value `value` holds NUL."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(holds_nul(key) or holds_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(holds_nul(item) for item in value)
    return False


def rules_the_schema_cannot_state(case) -> list:
    """Checks a case is exempt from, where a lead's body meets a rule OpenAPI 3.0 cannot write:
    company_size_max needs its company_size at or below it (there is no dependentRequired); a
    country is a code or its name in one of five languages (too many names to list); no text
    anywhere inside the free-form attributes holds NUL (PostgreSQL cannot store it, and a schema
    cannot reach every string of arbitrary JSON). And an exchange rate is above zero, between two
    different currencies. Breaking one is a 400 naming the field (core.api's contract), not
    schema-valid data refused."""
    body = case.body if isinstance(case.body, dict) else {}
    path = case.operation.path
    if path.startswith("/api/v1/leads/") and (
        "company_size_max" in body
        or unreadable_country(body.get("country"))
        or holds_nul(body.get("attributes"))
    ):
        return [positive_data_acceptance]
    if path.startswith("/api/v1/exchange-rates/{currency}/") and (
        case.path_parameters.get("currency") == case.path_parameters.get("into")
        or not rate_above_zero(body.get("rate"))
    ):
        return [positive_data_acceptance]
    return []


def rate_above_zero(rate) -> bool:
    try:
        return Decimal(str(rate)) > 0
    except InvalidOperation:
        return False


@schema.parametrize()
@SETTINGS
def test_every_operation_keeps_the_contract(case, headers):
    case.call_and_validate(headers=headers, excluded_checks=rules_the_schema_cannot_state(case))


@pytest.mark.parametrize("role", ROLES)
def test_linked_operations_keep_the_contract(role, make_user, keep_the_test_connection):
    """Sequences of calls through the schema's links (a lead created by POST, then read,
    edited and qualified by its id), the caller's token set on the schema so every check
    knows it for the caller's own."""
    user = make_user(role, username=f"fuzz-{role}")
    seed_api_data(make_user, caller=user)
    key = api_token_create(user=user, name="Schema fuzz", lifetime_in_days=30).key
    linked = load_schema()
    linked.config.update(headers={"Authorization": f"Token {key}"})

    class LinkedCalls(linked.as_state_machine()):
        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(
                response,
                additional_checks=additional_checks,
                excluded_checks=rules_the_schema_cannot_state(case),
                transport_kwargs=kwargs or None,
                recorder=self.recorder,
            )

    LinkedCalls.run(
        settings=settings(
            max_examples=10,
            stateful_step_count=4,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
            derandomize=True,
        )
    )
