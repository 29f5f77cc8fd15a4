"""Login throttling: failures count per username and address, five of them within the cool-off
refuse that pair's logins for fifteen minutes with a sentence saying so, and an administrator
may lift a lockout early."""

import base64
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.messages import get_messages
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.lockouts import current_lockouts
from accounts.roles import Role
from tests.query_counts import assert_same_queries, measure

pytestmark = pytest.mark.django_db

LOGIN = reverse("login")
ADMIN_LOGIN = reverse("admin:login")
LOCKOUTS = reverse("accounts:lockouts")
UNLOCK = reverse("accounts:unlock")
PASSWORD = "secret-pass-123"  # tests.factories.UserFactory
ATTACKER = "203.0.113.7"
OFFICE = "198.51.100.20"
LOCKED = "Too many failed attempts; try again in 15 minutes or ask an administrator."
START = datetime(2030, 3, 4, 9, 0, tzinfo=UTC)


def log_in(client, username, password=PASSWORD, address=ATTACKER, url=LOGIN, agent="Firefox"):
    return client.post(
        url,
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        HTTP_USER_AGENT=agent,
    )


def fail(client, username, times, **kwargs):
    return [log_in(client, username, "wrong-password", **kwargs) for _ in range(times)]


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def sam(make_user):
    return make_user(Role.SDR, username="sam")


@pytest.fixture
def admin(make_user):
    return make_user(Role.ADMIN, username="ada")


def test_four_failures_are_only_wrong_passwords(client, sam):
    responses = fail(client, "sam", 4)

    assert {response.status_code for response in responses} == {200}
    assert "Please enter a correct username and password" in responses[-1].content.decode()
    assert LOCKED not in responses[-1].content.decode()


def test_the_fifth_failure_locks_the_login_out_with_a_sentence_saying_for_how_long(client, sam):
    *_, fifth = fail(client, "sam", 5)

    assert fifth.status_code == 429
    page = fifth.content.decode()
    assert LOCKED in page
    assert 'name="username"' in page and 'value="sam"' in page
    assert "Please enter a correct username and password" not in page


def test_while_locked_out_the_right_password_is_refused_too(client, sam):
    fail(client, "sam", 5)

    response = log_in(client, "sam")

    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert not logged_in(client)


def test_the_person_still_logs_in_from_their_own_address(client, sam):
    fail(client, "sam", 5, address=ATTACKER)

    response = log_in(client, "sam", address=OFFICE)

    assert response.status_code == 302
    assert logged_in(client)


def test_other_people_still_log_in_from_the_locked_out_address(client, sam, make_user):
    make_user(Role.SDR, username="sky")
    fail(client, "sam", 5, address=ATTACKER)

    assert log_in(client, "sky", address=ATTACKER).status_code == 302


def test_failures_from_several_browsers_of_one_address_add_up(client, sam):
    fail(client, "sam", 3, agent="Firefox")
    fail(client, "sam", 1, agent="curl")

    assert log_in(client, "sam", "wrong-password", agent="Chrome").status_code == 429


def test_failures_on_the_admin_login_count_the_same(client, sam):
    fail(client, "sam", 4, url=ADMIN_LOGIN)

    response = log_in(client, "sam", "wrong-password", url=ADMIN_LOGIN)

    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert log_in(client, "sam").status_code == 429


def test_the_lockout_ends_when_the_cooloff_has_passed(client, sam):
    with time_machine.travel(START, tick=False):
        fail(client, "sam", 5)
    with time_machine.travel(START + timedelta(minutes=15, seconds=1), tick=False):
        response = log_in(client, "sam")

    assert response.status_code == 302


def test_an_attempt_while_locked_out_starts_the_wait_again(client, sam):
    """So the sentence's "try again in 15 minutes" is true whenever it is shown."""
    with time_machine.travel(START, tick=False):
        fail(client, "sam", 5)
    with time_machine.travel(START + timedelta(minutes=10), tick=False):
        assert log_in(client, "sam").status_code == 429

    assert current_lockouts(now=START + timedelta(minutes=24, seconds=59))
    with time_machine.travel(START + timedelta(minutes=25, seconds=1), tick=False):
        assert log_in(client, "sam").status_code == 302


def test_old_failures_fall_out_of_the_count(client, sam):
    with time_machine.travel(START, tick=False):
        fail(client, "sam", 4)
    with time_machine.travel(START + timedelta(minutes=16), tick=False):
        assert log_in(client, "sam", "wrong-password").status_code == 200


def test_a_successful_login_forgets_the_earlier_failures(client, sam):
    fail(client, "sam", 4)
    assert log_in(client, "sam").status_code == 302
    client.post(reverse("logout"))

    assert log_in(client, "sam", "wrong-password").status_code == 200


def test_the_limit_and_the_wait_come_from_the_settings(client, sam, settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = timedelta(minutes=1)

    *_, second = fail(client, "sam", 2)

    assert second.status_code == 429
    assert (
        "Too many failed attempts; try again in 1 minute or ask an administrator."
        in second.content.decode()
    )


def test_the_api_takes_no_password_so_it_is_no_way_around_the_lockout(sam):
    """Only tokens and sessions authenticate API calls; a username and password sent with
    HTTP Basic authentication are not tried, so guessing passwords there gets nothing."""
    basic = base64.b64encode(f"sam:{PASSWORD}".encode()).decode()
    api = APIClient()

    response = api.get("/api/v1/leads/", HTTP_AUTHORIZATION=f"Basic {basic}")

    assert response.status_code == 401


@pytest.mark.parametrize("failures", [4, 5, 7])
def test_the_lockouts_listed_are_the_logins_axes_refuses(client, sam, failures):
    fail(client, "sam", failures - 1, agent="Firefox")
    fail(client, "sam", 1, agent="curl")
    listed = [(lockout.username, lockout.ip_address) for lockout in current_lockouts()]

    refused = log_in(client, "sam", address=ATTACKER).status_code == 429

    assert refused == (failures >= 5)
    assert listed == ([("sam", ATTACKER)] if refused else [])


def test_a_lockout_is_no_longer_listed_once_its_cooloff_has_passed(client, sam):
    with time_machine.travel(START, tick=False):
        fail(client, "sam", 5)

    assert len(current_lockouts(now=START + timedelta(minutes=14))) == 1
    assert current_lockouts(now=START + timedelta(minutes=15, seconds=1)) == []


def test_the_admin_sees_who_is_locked_out_from_where_and_until_when(client, sam, admin):
    with time_machine.travel(START, tick=False):
        fail(client, "sam", 5)
        fail(client, "sam", 2, address=OFFICE)
    with time_machine.travel(START + timedelta(minutes=1), tick=False):
        client.force_login(admin)
        page = client.get(LOCKOUTS).content.decode()

    assert "sam" in page and ATTACKER in page
    assert OFFICE not in page  # two failures are no lockout
    assert "<td>5</td>" in page
    [lockout] = current_lockouts(now=START)
    assert lockout.ends_at == START + timedelta(minutes=15)
    assert "Unlock" in page


def test_the_lockouts_page_runs_the_same_queries_for_one_lockout_or_many(client, admin, make_user):
    make_user(Role.SDR, username="user-0")
    fail(client, "user-0", 5)
    client.force_login(admin)
    few = measure(lambda: client.get(LOCKOUTS))
    for number in range(1, 6):
        make_user(Role.SDR, username=f"user-{number}")
        fail(client, f"user-{number}", 5, address=f"203.0.113.{number}")
    client.force_login(admin)

    many = measure(lambda: client.get(LOCKOUTS))

    assert many.body.count("Unlock</button>") == 6
    assert_same_queries(few, many)


def test_an_admin_unlocks_a_person_who_then_logs_in_at_once(client, sam, admin):
    fail(client, "sam", 5)
    client.force_login(admin)

    response = client.post(UNLOCK, {"username": "sam", "ip_address": ATTACKER})

    assert response.status_code == 302 and response["Location"] == LOCKOUTS
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        f"sam may log in again from {ATTACKER}."
    ]
    assert not AccessAttempt.objects.exists()
    client.logout()
    assert log_in(client, "sam").status_code == 302


def test_unlocking_one_address_leaves_the_others_locked(client, sam, admin):
    fail(client, "sam", 5, address=ATTACKER)
    fail(client, "sam", 5, address=OFFICE)
    client.force_login(admin)

    client.post(UNLOCK, {"username": "sam", "ip_address": OFFICE})

    assert [lockout.ip_address for lockout in current_lockouts()] == [ATTACKER]


def test_unlocking_a_lockout_that_already_ended_says_so(client, admin):
    client.force_login(admin)

    response = client.post(UNLOCK, {"username": "sam", "ip_address": ATTACKER})

    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "That lockout had already ended."
    ]


@pytest.mark.parametrize("role", [Role.MANAGER, Role.SDR, Role.MARKETER, None])
def test_only_the_admin_role_may_unlock(client, sam, make_user, role):
    fail(client, "sam", 5)
    client.force_login(make_user(*([role] if role else [])))

    assert client.get(LOCKOUTS).status_code == 403
    assert client.post(UNLOCK, {"username": "sam", "ip_address": ATTACKER}).status_code == 403
    assert AccessAttempt.objects.filter(username="sam").exists()


def test_the_admin_finds_the_lockouts_page_in_the_set_up_menu(client, admin, sdr):
    client.force_login(admin)
    assert LOCKOUTS in client.get(reverse("accounts:profile")).content.decode()

    client.force_login(sdr)
    assert LOCKOUTS not in client.get(reverse("accounts:profile")).content.decode()


def test_behind_a_proxy_the_person_still_logs_in_from_their_own_address(client, sam, settings):
    """Every connection comes from the proxy; the lockout counts the address it forwards."""
    settings.TRUSTED_PROXIES = 1
    proxy = "10.0.0.2"
    for _ in range(5):
        client.post(
            LOGIN,
            {"username": "sam", "password": "wrong-password"},
            REMOTE_ADDR=proxy,
            HTTP_X_FORWARDED_FOR=ATTACKER,
        )

    response = client.post(
        LOGIN,
        {"username": "sam", "password": PASSWORD},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR=OFFICE,
    )

    assert response.status_code == 302 and logged_in(client)
