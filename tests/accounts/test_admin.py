"""What the admin role reaches in the Django admin: Accord's roles for users, never staff,
superuser or raw permissions; API tokens by user and date, never their keys."""

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.http import HttpRequest
from django.urls import reverse, reverse_lazy
from rest_framework.authtoken.models import Token

from accounts.roles import Role
from pages.demo.leads import DEMO_PASSWORD
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TOKENS = reverse_lazy("admin:accounts_apitoken_changelist")
ADD_TOKEN = reverse_lazy("admin:accounts_apitoken_add")


@pytest.fixture
def ada(make_user):
    """An administrator as Accord makes them: the admin role and staff, not a superuser."""
    user = make_user(Role.ADMIN, username="ada")
    user.is_staff = True
    user.save()
    return user


@pytest.fixture
def admin_client(client, ada):
    client.force_login(ada)
    return client


def user_change(user):
    return reverse("admin:auth_user_change", args=[user.pk])


def change_form_post(user, **extra):
    """Everything Django's own user change form needs, so that only our rules can refuse it."""
    return {
        "username": user.username,
        "first_name": "New",
        "last_name": "Name",
        "email": user.email,
        "is_active": "on",
        "date_joined_0": "2024-01-01",
        "date_joined_1": "09:00:00",
        "initial-date_joined_0": "2024-01-01",
        "initial-date_joined_1": "09:00:00",
        **extra,
    }


def test_an_admin_cannot_make_itself_staff_superuser_or_give_itself_permissions(admin_client, ada):
    permission = Permission.objects.get(codename="delete_user")

    response = admin_client.post(
        user_change(ada),
        change_form_post(
            ada,
            is_superuser="on",
            is_staff="on",
            user_permissions=[permission.pk],
            groups=[Group.objects.get(name=Role.ADMIN).pk],
        ),
    )

    assert response.status_code == 302
    ada.refresh_from_db()
    assert ada.first_name == "New"
    assert not ada.is_superuser
    assert ada.is_staff  # untouched: the form has no such field
    assert not ada.user_permissions.exists()
    assert set(ada.groups.values_list("name", flat=True)) == {Role.ADMIN}


def test_an_admin_cannot_add_a_group_that_is_not_a_role(admin_client, ada):
    auditors = Group.objects.create(name="auditors")

    response = admin_client.post(user_change(ada), change_form_post(ada, groups=[auditors.pk]))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["groups"]
    assert set(ada.groups.values_list("name", flat=True)) == {Role.ADMIN}


def test_an_admin_takes_away_staff_from_nobody(admin_client, make_user):
    other = make_user(Role.ADMIN, username="otto")
    other.is_staff = True
    other.save()

    admin_client.post(user_change(other), change_form_post(other, groups=[]))

    other.refresh_from_db()
    assert other.is_staff
    assert not other.groups.exists()


def test_an_admin_assigns_accord_roles_and_keeps_other_groups(admin_client, make_user):
    user = make_user(Role.SDR, username="sam")
    auditors = Group.objects.create(name="auditors")
    user.groups.add(auditors)
    roles = Group.objects.filter(name__in=[Role.MANAGER, Role.MARKETER])

    response = admin_client.post(
        user_change(user), change_form_post(user, groups=[g.pk for g in roles])
    )

    assert response.status_code == 302
    assert set(user.groups.values_list("name", flat=True)) == {
        Role.MANAGER,
        Role.MARKETER,
        "auditors",
    }


def test_the_change_form_shows_only_names_email_active_and_roles(admin_client, ada):
    Group.objects.create(name="auditors")

    page = admin_client.get(user_change(ada)).content.decode()

    for field in ("username", "first_name", "last_name", "email", "is_active", "groups"):
        assert f'name="{field}"' in page
    for field in ("is_staff", "is_superuser", "user_permissions", "password", "date_joined"):
        assert f'name="{field}' not in page
    assert "auditors" not in page
    assert str(Role.SDR.label) in page


def test_an_admin_cannot_set_another_users_password(admin_client, make_user):
    user = make_user(Role.SDR, username="sam")

    response = admin_client.get(reverse("admin:auth_user_password_change", args=[user.pk]))

    assert response.status_code == 403


def test_an_admin_cannot_edit_a_superuser(admin_client):
    root = get_user_model().objects.create_superuser("root", "root@example.com", "x")

    response = admin_client.post(user_change(root), change_form_post(root, is_active=""))

    assert response.status_code == 403
    root.refresh_from_db()
    assert root.is_active
    assert root.first_name == ""


def test_a_superuser_still_edits_everything(client):
    root = get_user_model().objects.create_superuser("root", "root@example.com", "x")
    user = UserFactory(username="sam")
    client.force_login(root)

    response = client.post(user_change(user), change_form_post(user, is_staff="on"))

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.is_staff


def test_the_token_list_shows_user_and_date_but_no_key(admin_client, make_user):
    token = Token.objects.create(user=make_user(Role.SDR, username="sam"))

    response = admin_client.get(TOKENS)

    assert response.status_code == 200
    page = response.content.decode()
    assert "sam" in page
    assert token.key not in page


def test_no_token_page_shows_the_key(admin_client, make_user):
    user = make_user(Role.SDR, username="sam")
    token = Token.objects.create(user=user)

    for name in ("change", "delete", "history"):
        response = admin_client.get(reverse(f"admin:accounts_apitoken_{name}", args=[user.pk]))
        assert response.status_code == 200, name
        assert token.key not in response.content.decode(), name


def test_an_admin_deletes_a_token(admin_client, make_user):
    user = make_user(Role.SDR, username="sam")
    Token.objects.create(user=user)

    admin_client.post(reverse("admin:accounts_apitoken_delete", args=[user.pk]), {"post": "yes"})

    assert not Token.objects.exists()


def test_an_admin_creates_a_token_and_sees_its_key_once(admin_client, make_user):
    user = make_user(Role.SDR, username="sam")

    response = admin_client.post(ADD_TOKEN, {"user": user.pk})

    key = Token.objects.get(user=user).key
    assert response.status_code == 200
    assert key in response.content.decode()
    assert key not in admin_client.get(TOKENS).content.decode()
    assert key not in admin_client.get(reverse("admin:index")).content.decode()
    assert not LogEntry.objects.filter(object_id=key).exists()
    assert not LogEntry.objects.filter(object_repr__contains=key).exists()


def test_an_admin_cannot_create_a_token_for_a_superuser(admin_client):
    root = get_user_model().objects.create_superuser("root", "root@example.com", "x")

    admin_client.post(ADD_TOKEN, {"user": root.pk})

    assert not Token.objects.exists()


def test_the_demo_admin_is_an_admin_role_staff_user_who_reads_no_key(client):
    call_command("seed_demo", leads=5, force=True)
    demo_admin = get_user_model().objects.get(username="admin")
    token = Token.objects.create(user=get_user_model().objects.get(username="sdr"))

    # Axes counts failed logins per request, so authenticate() needs one.
    assert client.login(request=HttpRequest(), username="admin", password=DEMO_PASSWORD)

    assert demo_admin.is_staff
    assert not demo_admin.is_superuser
    assert client.get(reverse("admin:index")).status_code == 200
    assert token.key not in client.get(TOKENS).content.decode()
