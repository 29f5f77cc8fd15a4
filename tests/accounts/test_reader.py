"""Each person's pages in the language and time zone of their profile: by default the browser's
language and their team's zone."""

from datetime import UTC, datetime, time

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from accounts.preferences import READER_SESSION_KEY, preferences_of, save_preferences
from accounts.roles import Role
from notifications.models import Notification, NotificationKind
from sla.calendars import save_team_calendar
from tests.teams.factories import TeamFactory, TeamMemberFactory

pytestmark = pytest.mark.django_db

PROFILE = reverse("accounts:preferences")


def _post(client, **fields):
    return client.post(PROFILE, {"language": "", "time_zone": "", **fields})


def test_the_profile_offers_every_language_and_the_zones(client, sdr):
    client.force_login(sdr)

    page = client.get(reverse("accounts:profile")).content.decode()

    assert 'name="language"' in page and 'name="time_zone"' in page
    assert '<option value="th">ภาษาไทย</option>' in page
    assert '<option value="Asia/Bangkok">Asia/Bangkok</option>' in page


def test_a_page_is_in_thai_after_the_person_saves_thai(client, sdr):
    client.force_login(sdr)

    response = _post(client, language="th")

    assert response.status_code == 302
    assert preferences_of(sdr).language == "th"
    page = client.get(reverse("accounts:profile"), HTTP_ACCEPT_LANGUAGE="en")
    assert page["Content-Language"] == "th"
    assert '<html lang="th" dir="ltr"' in page.content.decode()


def test_arabic_pages_are_right_to_left(client, sdr):
    client.force_login(sdr)
    _post(client, language="ar")

    page = client.get(reverse("accounts:profile")).content.decode()

    assert '<html lang="ar" dir="rtl"' in page


def test_without_a_saved_language_the_browser_s_is_used(client, sdr):
    client.force_login(sdr)
    _post(client, language="")

    page = client.get(reverse("accounts:profile"), HTTP_ACCEPT_LANGUAGE="ru")

    assert page["Content-Language"] == "ru"


def test_choosing_the_browser_s_language_forgets_the_switcher_s_cookie(client, sdr):
    client.force_login(sdr)
    client.post(reverse("set_language"), {"language": "ar", "next": "/"})

    response = _post(client, language="")

    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == ""
    page = client.get(reverse("accounts:profile"), HTTP_ACCEPT_LANGUAGE="ru")
    assert page["Content-Language"] == "ru"


def test_the_language_switcher_saves_a_signed_in_person_s_choice(client, sdr):
    client.force_login(sdr)

    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})

    assert preferences_of(sdr).language == "zh-hans"
    assert client.session[READER_SESSION_KEY]["language"] == "zh-hans"


def test_the_language_switcher_keeps_the_other_preferences(client, sdr):
    save_preferences(user=sdr, single_key_shortcuts=False, time_zone="Europe/Moscow")
    client.force_login(sdr)

    client.post(reverse("set_language"), {"language": "ru", "next": "/"})

    saved = preferences_of(sdr)
    assert (saved.language, saved.time_zone, saved.single_key_shortcuts) == (
        "ru",
        "Europe/Moscow",
        False,
    )


def test_the_switcher_saves_nothing_for_someone_signed_out_or_an_unknown_language(client, sdr):
    client.post(reverse("set_language"), {"language": "th", "next": "/"})
    client.force_login(sdr)
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})

    assert preferences_of(sdr).language == ""


def test_an_unknown_time_zone_is_refused(client, sdr):
    client.force_login(sdr)

    response = _post(client, time_zone="Mars/Olympus_Mons")

    assert response.status_code == 400
    assert preferences_of(sdr).time_zone == ""


@time_machine.travel(datetime(2026, 12, 1, 3, 0, tzinfo=UTC), tick=False)
def test_times_are_shown_in_the_saved_zone_with_the_zone_named(client, sdr):
    Notification.objects.create(user=sdr, kind=NotificationKind.OTHER, params={"text": "Hello"})
    client.force_login(sdr)
    _post(client, time_zone="Asia/Bangkok", language="en")

    page = client.get(reverse("notifications:list")).content.decode()

    assert "Dec 1, 2026, 10:00 AM (Asia/Bangkok)" in page


def test_the_zone_defaults_to_the_team_s_calendar(client, sdr):
    team = TeamFactory()
    TeamMemberFactory(team=team, user=sdr)
    save_team_calendar(team=team, time_zone="Asia/Bangkok", hours={0: [(time(9), time(17))]})

    client.force_login(sdr)

    assert client.session[READER_SESSION_KEY] == {"language": "", "zone": "Asia/Bangkok"}


def test_a_manager_s_zone_is_their_team_s_and_a_saved_zone_wins(client, make_user):
    manager = make_user(Role.MANAGER)
    team = TeamFactory(manager=manager)
    save_team_calendar(team=team, time_zone="Europe/Moscow", hours={0: [(time(9), time(17))]})
    client.force_login(manager)
    assert client.session[READER_SESSION_KEY]["zone"] == "Europe/Moscow"

    _post(client, time_zone="Asia/Shanghai")

    assert client.session[READER_SESSION_KEY]["zone"] == "Asia/Shanghai"


def test_without_a_team_calendar_the_server_s_zone_is_used(client, sdr):
    client.force_login(sdr)

    assert client.session[READER_SESSION_KEY] == {"language": "", "zone": settings.TIME_ZONE}


def test_a_session_from_before_resolves_the_reader_once(client, sdr):
    save_preferences(user=sdr, language="ru")
    client.force_login(sdr)
    session = client.session
    del session[READER_SESSION_KEY]
    session.save()

    page = client.get(reverse("accounts:profile"))

    assert page["Content-Language"] == "ru"
    assert client.session[READER_SESSION_KEY]["language"] == "ru"
