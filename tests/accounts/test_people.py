"""People appear by their full name wherever Accord shows a user; the username only stands in
when no name was given."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from tests.factories import UserFactory
from tests.teams.factories import TeamFactory, TeamMemberFactory

pytestmark = pytest.mark.django_db


def test_a_user_reads_as_their_full_name_or_else_their_username():
    named = UserFactory(username="sam", first_name="Samira", last_name="Haddad")
    unnamed = UserFactory(username="kit")

    assert (str(named), str(unnamed)) == ("Samira Haddad", "kit")


def test_team_pages_list_reps_and_managers_by_name(client, make_user):
    manager = make_user(Role.MANAGER, username="morgan")
    manager.first_name, manager.last_name = "Morgan", "Lee"
    manager.save()
    rep = UserFactory(username="sam", first_name="Samira", last_name="Haddad", roles=[Role.SDR])
    team = TeamFactory(name="Inbound", manager=manager)
    TeamMemberFactory(team=team, user=rep)
    client.force_login(manager)

    listing = client.get(reverse("handoff:teams")).content.decode()
    detail = client.get(reverse("handoff:team", args=[team.pk])).content.decode()

    assert "Morgan Lee" in listing and "Samira Haddad" in listing
    assert "Samira Haddad" in detail
    assert ">sam<" not in listing and ">morgan<" not in listing
