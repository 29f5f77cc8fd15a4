import pytest

from accounts.roles import Role
from tests.reports.factories import build_october


@pytest.fixture
def october(make_user):
    return build_october(make_user(Role.SDR, username="rep"))
