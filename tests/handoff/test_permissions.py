import pytest
from django.contrib.auth.models import Group

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "app_label", "codename", "granted"),
    [
        ("sdr", "handoff", "change_handoff", True),
        ("sdr", "teams", "change_team", False),
        ("manager", "teams", "change_team", True),
        ("manager", "handoff", "change_returnreason", True),
        ("account_executive", "handoff", "change_opportunity", True),
        ("marketer", "handoff", "view_handoff", True),
        ("marketer", "handoff", "change_handoff", False),
    ],
)
def test_roles_hold_the_handoff_permissions_they_need(role, app_label, codename, granted):
    group = Group.objects.get(name=role)

    held = group.permissions.filter(content_type__app_label=app_label, codename=codename)

    assert held.exists() is granted
