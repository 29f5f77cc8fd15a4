import pytest
from django.contrib.auth.models import Group

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "codename", "granted"),
    [
        ("sdr", "change_handoff", True),
        ("sdr", "change_team", False),
        ("manager", "change_team", True),
        ("manager", "change_returnreason", True),
        ("account_executive", "change_opportunity", True),
        ("marketer", "view_handoff", True),
        ("marketer", "change_handoff", False),
    ],
)
def test_roles_hold_the_handoff_permissions_they_need(role, codename, granted):
    group = Group.objects.get(name=role)

    held = group.permissions.filter(content_type__app_label="handoff", codename=codename)

    assert held.exists() is granted
