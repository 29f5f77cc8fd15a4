import pytest

from accounts.roles import Role
from tests.reports.factories import build_october
from tests.sla import fixtures


@pytest.fixture
def october(make_user):
    return build_october(make_user(Role.SDR, username="rep"))


# The SLA breach report's week (tests/sla/fixtures.py) and its two reps.
@pytest.fixture
def reps(make_user):
    return {
        "rep1": make_user(Role.SDR, username="rep1"),
        "rep2": make_user(Role.SDR, username="rep2"),
    }


@pytest.fixture
def data(reps):
    return fixtures.build(reps)
