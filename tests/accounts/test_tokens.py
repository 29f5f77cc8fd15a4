"""The profile page's API tokens: each person creates named, expiring tokens, sees a key once,
lists and revokes their own, and nobody else's."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.models import ApiToken
from accounts.roles import Role
from accounts.services import api_token_create, api_token_revoke
from accounts.tokens import digest_of, new_key, prefix_of
from tests.accounts.keys import api_status

pytestmark = pytest.mark.django_db

PROFILE = reverse("accounts:profile")
CREATE = reverse("accounts:create-token")
NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


def revoke_url(token):
    return reverse("accounts:revoke-token", args=[token.pk])


@pytest.mark.parametrize("role", list(Role))
def test_every_role_sees_its_profile_with_an_empty_token_state(client_as, role):
    response = client_as(role).get(PROFILE)

    assert response.status_code == 200
    assert b"You have no API token yet." in response.content


def test_a_user_without_a_role_is_forbidden(client_as):
    client = client_as()

    assert client.get(PROFILE).status_code == 403
    assert client.post(CREATE, {"name": "CRM", "lifetime_in_days": 30}).status_code == 403
    assert not ApiToken.objects.exists()


def test_anonymous_visitors_are_sent_to_login(client, sdr):
    token = api_token_create(user=sdr, name="CRM", lifetime_in_days=30).token
    for response in (client.get(PROFILE), client.post(CREATE), client.post(revoke_url(token))):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert ApiToken.objects.get().revoked_at is None


def test_creating_a_token_shows_its_key_once_with_a_curl_example(client, sdr):
    client.force_login(sdr)

    with time_machine.travel(NOW, tick=False):
        response = client.post(CREATE, {"name": "Website forms", "lifetime_in_days": 90})

    assert response.status_code == 201
    key = response.context["new_key"]
    page = response.content.decode()
    assert key in page
    assert f'curl -H "Authorization: Token {key}" http://testserver/api/v1/leads/' in page
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get(user=sdr)
    assert (token.name, token.created_at) == ("Website forms", NOW)
    assert token.expires_at == NOW + timedelta(days=90)
    assert api_status(key) == 200
    assert key not in client.get(PROFILE).content.decode()


def test_the_key_is_kept_nowhere_but_in_the_answer(client, sdr):
    client.force_login(sdr)

    key = client.post(CREATE, {"name": "CRM", "lifetime_in_days": 30}).context["new_key"]

    token = ApiToken.objects.get()
    stored = [str(getattr(token, field.attname)) for field in ApiToken._meta.concrete_fields]
    assert not [value for value in stored if key in value]
    assert (token.digest, token.prefix) == (digest_of(key), key[:12])
    assert key not in str(dict(client.session))
    assert key not in str(client.cookies)


@pytest.mark.parametrize("days", [30, 90, 365])
def test_each_offered_lifetime_sets_the_expiry(client, marketer, days):
    client.force_login(marketer)

    with time_machine.travel(NOW, tick=False):
        client.post(CREATE, {"name": "CRM", "lifetime_in_days": days})

    assert ApiToken.objects.get().expires_at == NOW + timedelta(days=days)


@pytest.mark.parametrize(
    "post",
    [
        {"name": "CRM", "lifetime_in_days": ""},
        {"name": "CRM", "lifetime_in_days": 0},
        {"name": "CRM", "lifetime_in_days": 3650},
        {"name": "", "lifetime_in_days": 30},
        {"name": "x" * 101, "lifetime_in_days": 30},
    ],
)
def test_a_token_needs_a_name_and_an_offered_lifetime(client, marketer, post):
    client.force_login(marketer)

    response = client.post(CREATE, post)

    assert response.status_code == 400
    assert response.context["form"].errors
    assert "new_key" not in response.content.decode()
    assert not ApiToken.objects.exists()


def test_the_service_refuses_a_lifetime_nobody_can_choose(marketer):
    with pytest.raises(ValueError, match="not 3650"):
        api_token_create(user=marketer, name="Forever", lifetime_in_days=3650)

    assert not ApiToken.objects.exists()


def test_the_list_shows_each_token_without_its_key(client, marketer):
    with time_machine.travel(NOW, tick=False):
        crm = api_token_create(user=marketer, name="CRM sync", lifetime_in_days=30)
        api_token_create(user=marketer, name="Old script", lifetime_in_days=30)
    old = ApiToken.objects.get(name="Old script")
    api_token_revoke(token=old)
    client.force_login(marketer)

    with time_machine.travel(NOW + timedelta(days=1), tick=False):
        assert api_status(crm.key) == 200
        page = client.get(PROFILE).content.decode()

    assert "CRM sync" in page
    assert f"{crm.token.prefix}…" in page
    assert crm.key not in page
    assert crm.token.digest not in page
    assert page.count('class="api-token-row token-active"') == 1
    assert page.count('class="api-token-row token-revoked"') == 1
    assert page.count(">Revoke</button>") == 1  # a revoked token has nothing left to revoke
    assert page.count("Never") == 1  # the old script was never used; CRM sync just was


def test_an_expired_token_is_listed_as_expired(client, marketer):
    with time_machine.travel(NOW, tick=False):
        api_token_create(user=marketer, name="CRM", lifetime_in_days=30)

    with time_machine.travel(NOW + timedelta(days=30), tick=False):
        client.force_login(marketer)
        page = client.get(PROFILE).content.decode()

    assert 'class="api-token-row token-expired"' in page
    assert ">Revoke</button>" not in page


def test_a_person_sees_only_their_own_tokens(client, marketer, sdr):
    api_token_create(user=sdr, name="Sam's dialer", lifetime_in_days=30)
    client.force_login(marketer)

    page = client.get(PROFILE).content.decode()

    assert "Sam&#x27;s dialer" not in page
    assert "You have no API token yet." in page


@pytest.mark.parametrize("count", [1, 12])
def test_the_profile_runs_the_same_queries_for_few_or_many_tokens(
    client, marketer, django_assert_num_queries, count
):
    for number in range(count):
        api_token_create(user=marketer, name=f"Script {number}", lifetime_in_days=30)
    client.force_login(marketer)

    # Session, user, roles, the tokens, the preferences.
    with django_assert_num_queries(5):
        assert client.get(PROFILE).status_code == 200


def test_revoking_stops_the_token(client, marketer):
    client.force_login(marketer)
    with time_machine.travel(NOW, tick=False):
        key = client.post(CREATE, {"name": "CRM", "lifetime_in_days": 30}).context["new_key"]
    token = ApiToken.objects.get()

    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        response = client.post(revoke_url(token), follow=True)

    assert "The API token “CRM” was revoked" in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at == NOW + timedelta(hours=1)
    assert api_status(key) == 401


def test_revoking_twice_keeps_the_first_time(marketer):
    with time_machine.travel(NOW, tick=False):
        token = api_token_create(user=marketer, name="CRM", lifetime_in_days=30).token
        assert api_token_revoke(token=token) is True

    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        assert api_token_revoke(token=ApiToken.objects.get()) is False

    assert ApiToken.objects.get().revoked_at == NOW


def test_nobody_revokes_another_persons_token(client, marketer, sdr):
    issued = api_token_create(user=sdr, name="Dialer", lifetime_in_days=30)
    client.force_login(marketer)

    assert client.post(revoke_url(issued.token)).status_code == 404

    assert ApiToken.objects.get().revoked_at is None
    assert api_status(issued.key) == 200


def test_token_actions_need_post(client, marketer):
    token = api_token_create(user=marketer, name="CRM", lifetime_in_days=30).token
    client.force_login(marketer)

    assert client.get(CREATE).status_code == 405
    assert client.get(revoke_url(token)).status_code == 405


def test_drf_create_token_is_gone_so_nobody_makes_a_token_for_someone_else(marketer):
    with pytest.raises(CommandError, match="Unknown command"):
        call_command("drf_create_token", marketer.username)


def test_keys_are_marked_random_and_recognised_by_their_prefix():
    key, other = new_key(), new_key()

    assert key != other
    assert key.startswith("acc_") and len(key) == 47
    assert prefix_of(key) == key[:12]
    # A key DRF's authtoken issued: 40 hex digits, no marker.
    assert prefix_of("9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b") == "9944b091"


def test_the_table_holds_digests_never_keys(marketer):
    with pytest.raises(IntegrityError), transaction.atomic():
        ApiToken.objects.create(
            user=marketer,
            name="Plain",
            prefix="9944b091",
            digest="9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b",
            created_at=NOW,
            expires_at=NOW + timedelta(days=30),
        )


def test_a_token_expires_after_it_is_created(marketer):
    with pytest.raises(IntegrityError), transaction.atomic():
        ApiToken.objects.create(
            user=marketer,
            name="Backwards",
            prefix="acc_abcdefgh",
            digest=digest_of(new_key()),
            created_at=NOW,
            expires_at=NOW,
        )
