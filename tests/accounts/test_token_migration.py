"""An install upgraded from DRF's authtoken: its plaintext tokens become hashed, named tokens that
keep working, and DRF's table (the plaintext keys) is gone."""

import secrets
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from rest_framework.test import APIClient

from accounts.models import ApiToken
from accounts.roles import Role
from tests.factories import UserFactory

BEFORE = [("accounts", "0002_api_token")]
ISSUED = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)
UPGRADED = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def create_drf_table(tokens):
    """authtoken_token as DRF's migrations left it: key, created, user_id."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE {quote('authtoken_token')} ({quote('key')} varchar(40) PRIMARY KEY, "
            f"{quote('created')} {connection.data_types['DateTimeField']} NOT NULL, "
            f"{quote('user_id')} integer NOT NULL UNIQUE)"
        )
        for user, key in tokens:
            cursor.execute(
                f"INSERT INTO {quote('authtoken_token')} VALUES (%s, %s, %s)",
                [key, connection.ops.adapt_datetimefield_value(ISSUED), user.pk],
            )


@pytest.mark.django_db(transaction=True)
def test_drf_tokens_become_hashed_named_tokens_that_keep_working():
    sam, maya = UserFactory(roles=[Role.SDR]), UserFactory(roles=[Role.MARKETER])
    keys = {sam: secrets.token_hex(20), maya: secrets.token_hex(20)}  # as DRF made them
    try:
        migrate(BEFORE)
        create_drf_table(keys.items())
        drf_token = ContentType.objects.create(app_label="authtoken", model="token")
        viewing = Permission.objects.create(
            content_type=drf_token, codename="view_token", name="Can view token"
        )
        Group.objects.get(name=Role.ADMIN).permissions.add(viewing)
        with time_machine.travel(UPGRADED, tick=False):
            migrate(latest())
    finally:
        migrate(latest())

    assert "authtoken_token" not in connection.introspection.table_names()
    assert not ContentType.objects.filter(app_label="authtoken").exists()
    assert not Permission.objects.filter(codename="view_token").exists()
    token = ApiToken.objects.get(user=sam)
    assert token.name == "Token created before names"
    assert token.prefix == keys[sam][:8]
    assert keys[sam] not in token.digest
    assert (token.created_at, token.expires_at) == (ISSUED, UPGRADED + timedelta(days=365))
    api = APIClient()
    for user, key in keys.items():
        api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        with time_machine.travel(UPGRADED + timedelta(days=1), tick=False):
            response = api.get("/api/v1/leads/")
        assert (response.status_code, response.wsgi_request.user) == (200, user)
