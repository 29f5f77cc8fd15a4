import pytest
from django.urls import reverse

from accounts.models import Preferences
from accounts.preferences import preferences_of
from accounts.roles import Role

pytestmark = pytest.mark.django_db


def test_a_new_person_has_the_defaults_without_a_row(make_user):
    user = make_user(Role.SDR)

    assert preferences_of(user).single_key_shortcuts is True
    assert not Preferences.objects.exists()


def test_a_person_turns_single_key_shortcuts_off_and_on_from_the_profile(client, sdr):
    client.force_login(sdr)
    profile = client.get(reverse("accounts:profile")).content.decode()
    assert (
        'name="single_key_shortcuts"' in profile
        and "checked" in profile.split('name="single_key_shortcuts"')[1].split(">")[0]
    )

    response = client.post(reverse("accounts:preferences"), {}, follow=True)

    assert "Your preferences are saved." in response.content.decode()
    assert preferences_of(sdr).single_key_shortcuts is False
    client.post(reverse("accounts:preferences"), {"single_key_shortcuts": "on"})
    assert preferences_of(sdr).single_key_shortcuts is True
    assert Preferences.objects.count() == 1
