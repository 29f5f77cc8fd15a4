import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from accounts.permissions import sync_roles
from accounts.roles import Role, roles_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_every_role_exists_as_a_group_with_permissions():
    for role in Role:
        group = Group.objects.get(name=role)
        assert group.permissions.filter(codename="view_lead").exists()


def test_a_person_may_hold_several_roles():
    user = UserFactory(roles=[Role.SDR, Role.MANAGER])

    assert roles_of(user) == {Role.SDR, Role.MANAGER}


def test_login_page_is_public_and_logs_in(client):
    UserFactory(username="maya", roles=[Role.MARKETER])

    assert client.get(reverse("login")).status_code == 200
    response = client.post(reverse("login"), {"username": "maya", "password": "secret-pass-123"})

    assert response.status_code == 302
    assert client.get(reverse("leads:list")).status_code == 200


def test_logout_ends_the_session(client_as):
    client = client_as(Role.SDR)

    client.post(reverse("logout"))

    assert client.get(reverse("leads:list")).status_code == 302


def test_password_change(client):
    user = UserFactory(roles=[Role.SDR])
    client.force_login(user)

    response = client.post(
        reverse("password_change"),
        {
            "old_password": "secret-pass-123",
            "new_password1": "a-much-longer-passphrase",
            "new_password2": "a-much-longer-passphrase",
        },
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-much-longer-passphrase")


def test_the_navigation_shows_the_pages_of_the_role(client_as):
    body = client_as(Role.MARKETER).get(reverse("leads:list")).content.decode()

    assert reverse("leads:list") in body


def test_syncing_roles_takes_back_a_permission_the_table_no_longer_grants():
    admin_role = Group.objects.get(name=Role.ADMIN)
    admin_role.permissions.add(Permission.objects.get(codename="change_group"))

    sync_roles(apps)

    assert not admin_role.permissions.filter(codename="change_group").exists()
    assert admin_role.permissions.filter(codename="view_apitoken").exists()
