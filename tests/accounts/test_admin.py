"""What the admin role reaches in the Django admin: Accord's roles for users, never staff,
superuser or raw permissions; everyone's API tokens to list and revoke, never to create or read."""

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.http import HttpRequest
from django.urls import reverse, reverse_lazy

from accounts.models import ApiToken
from accounts.roles import Role
from accounts.services import api_token_create, api_token_revoke
from pages.demo.leads import DEMO_PASSWORD
from tests.accounts.keys import api_status
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


def sams_token(make_user, name="Dialer"):
    sam = make_user(Role.SDR, username="sam")
    return api_token_create(user=sam, name=name, lifetime_in_days=30)


def test_the_token_list_shows_name_user_and_prefix_but_no_key(admin_client, make_user):
    issued = sams_token(make_user)

    response = admin_client.get(TOKENS)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Dialer" in page
    assert "sam" in page
    assert issued.token.prefix in page
    assert issued.key not in page
    assert issued.token.digest not in page


def test_a_token_page_shows_neither_key_nor_digest_and_changes_nothing(admin_client, make_user):
    issued = sams_token(make_user)
    change = reverse("admin:accounts_apitoken_change", args=[issued.token.pk])

    page = admin_client.get(change).content.decode()
    admin_client.post(change, {"name": "Renamed", "user": issued.token.user_id})

    assert "Dialer" in page
    assert issued.key not in page
    assert issued.token.digest not in page
    assert ApiToken.objects.get().name == "Dialer"


@pytest.mark.parametrize("who", ["ada", "superuser"])
def test_nobody_adds_or_deletes_a_token_in_the_admin(client, make_user, ada, who):
    if who == "superuser":
        client.force_login(get_user_model().objects.create_superuser("root", "r@example.com", "x"))
    else:
        client.force_login(ada)
    issued = sams_token(make_user)
    delete = reverse("admin:accounts_apitoken_delete", args=[issued.token.pk])

    assert client.get(ADD_TOKEN).status_code == 403
    assert client.post(ADD_TOKEN, {"user": ada.pk, "name": "Mine"}).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert list(ApiToken.objects.values_list("name", flat=True)) == ["Dialer"]
    assert "delete_selected" not in client.get(TOKENS).content.decode()


def test_an_admin_revokes_a_token_and_the_log_names_it_without_its_key(admin_client, make_user):
    issued = sams_token(make_user)
    other = sams_token(make_user, name="Spreadsheet")

    response = admin_client.post(
        TOKENS, {"action": "revoke", "_selected_action": [issued.token.pk]}, follow=True
    )

    assert "1 API token was revoked." in response.content.decode()
    assert ApiToken.objects.get(pk=issued.token.pk).revoked_at is not None
    assert ApiToken.objects.get(pk=other.token.pk).revoked_at is None
    assert api_status(issued.key) == 401
    assert api_status(other.key) == 200
    entry = LogEntry.objects.get()
    assert (entry.object_id, entry.get_change_message()) == (str(issued.token.pk), "Revoked.")
    assert issued.key not in entry.object_repr
    assert entry.object_repr.startswith("Dialer")


def test_revoking_a_revoked_token_again_keeps_its_time_and_logs_nothing(admin_client, make_user):
    issued = sams_token(make_user)
    api_token_revoke(token=issued.token)
    revoked_at = ApiToken.objects.get().revoked_at

    admin_client.post(TOKENS, {"action": "revoke", "_selected_action": [issued.token.pk]})

    assert ApiToken.objects.get().revoked_at == revoked_at
    assert not LogEntry.objects.exists()


def test_staff_without_the_revoke_permission_cannot_revoke(client, make_user):
    viewer = make_user(username="vera")
    viewer.is_staff = True
    viewer.save()
    viewer.user_permissions.add(Permission.objects.get(codename="view_apitoken"))
    client.force_login(viewer)
    issued = sams_token(make_user)

    assert client.get(TOKENS).status_code == 200
    client.post(TOKENS, {"action": "revoke", "_selected_action": [issued.token.pk]})

    assert ApiToken.objects.get().revoked_at is None


def test_the_demo_admin_is_an_admin_role_staff_user_who_reads_no_key(client):
    call_command("seed_demo", leads=5, force=True)
    demo_admin = get_user_model().objects.get(username="admin")
    issued = api_token_create(
        user=get_user_model().objects.get(username="sdr"), name="Dialer", lifetime_in_days=30
    )

    # Axes counts failed logins per request, so authenticate() needs one.
    assert client.login(request=HttpRequest(), username="admin", password=DEMO_PASSWORD)

    assert demo_admin.is_staff
    assert not demo_admin.is_superuser
    assert client.get(reverse("admin:index")).status_code == 200
    page = client.get(TOKENS).content.decode()
    assert "Dialer" in page
    assert issued.key not in page


def test_roles_the_admin_gives_and_takes_are_on_the_audit_trail(admin_client, ada, make_user):
    from audit.models import AuditEntry

    rep = make_user(Role.SDR)
    manager = Group.objects.get(name=Role.MANAGER)

    admin_client.post(user_change(rep), change_form_post(rep, groups=[manager.pk]))

    rows = AuditEntry.objects.filter(object_type="auth.user", object_id=rep.pk)
    assert sorted((row.action, row.after, row.actor) for row in rows) == [
        ("role_granted", Role.MANAGER, ada),
        ("role_removed", Role.SDR, ada),
    ]


def test_tokens_issued_and_revoked_are_on_the_audit_trail_without_their_key(ada, make_user):
    from audit.models import AuditEntry

    owner = make_user(Role.MARKETER)
    issued = api_token_create(user=owner, name="CRM sync", lifetime_in_days=30)
    api_token_revoke(token=issued.token, actor=ada)

    rows = AuditEntry.objects.filter(object_type="accounts.apitoken").order_by("id")
    assert [(row.action, row.actor) for row in rows] == [("issued", owner), ("revoked", ada)]
    assert rows[0].after["prefix"] == issued.token.prefix
    assert not any(issued.key in str(row.after) for row in rows)
