import pytest

from accounts.roles import Role
from handoff.models import ReturnReason
from handoff.reasons import seed_default_reasons
from tests.teams.factories import TeamFactory, TeamMemberFactory


@pytest.fixture(autouse=True)
def return_reasons(db):
    """Transactional tests flush the reasons the data migration seeded; put them back."""
    seed_default_reasons(ReturnReason)


@pytest.fixture
def team(db):
    return TeamFactory(name="Inbound", is_default=True)


@pytest.fixture
def sdr2(make_user):
    return make_user(Role.SDR, username="sasha")


@pytest.fixture
def pool_team(team, sdr, sdr2):
    """The default team in pool mode with two reps."""
    team.mode = "pool"
    team.save()
    TeamMemberFactory(team=team, user=sdr)
    TeamMemberFactory(team=team, user=sdr2)
    return team


@pytest.fixture
def outsider(make_user):
    """An SDR in no team."""
    return make_user(Role.SDR, username="otto")
