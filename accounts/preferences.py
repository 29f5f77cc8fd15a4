"""A person's preferences: read with the defaults when they never saved any, saved whole.

The language and time zone every page of theirs uses are resolved once (at sign-in, and again
when they save their preferences) and kept in their session, so that a page costs no query for
them (accounts/middleware.py applies them). A team that changes its calendar's zone reaches its
members' pages at their next sign-in.
"""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from accounts.hooks import team_time_zone
from accounts.models import Preferences

# The session key holding {"language": code or "", "zone": name}.
READER_SESSION_KEY = "accord_reader"


def preferences_of(user) -> Preferences:
    """One query; an unsaved row with the defaults when the person never changed anything."""
    return Preferences.objects.filter(user=user).first() or Preferences(user=user)


def save_preferences(*, user, **changes) -> Preferences:
    """Save the fields given (single_key_shortcuts, language, time_zone); the others keep their
    values. The caller has validated them (PreferencesForm, or set_language's own check)."""
    preferences, _created = Preferences.objects.update_or_create(user=user, defaults=changes)
    return preferences


def reader_of(user, preferences: Preferences | None = None) -> dict:
    """The language ("" follows the browser) and zone the person's pages use: their choice,
    else their team's zone, else the server's (settings.TIME_ZONE). One or two queries."""
    preferences = preferences or preferences_of(user)
    zone = preferences.time_zone or team_time_zone(user=user) or settings.TIME_ZONE
    return {"language": preferences.language, "zone": zone}


def remember_reader(request, preferences: Preferences | None = None, *, user=None) -> dict:
    reader = reader_of(user or request.user, preferences)
    request.session[READER_SESSION_KEY] = reader
    return reader


@receiver(user_logged_in, dispatch_uid="accounts.remember_reader")
def _remember_reader_at_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        remember_reader(request, user=user)


def language_of(user) -> str:
    """The language to write to a person in when they are not looking at a page (an e-mail):
    theirs, else the site's. One query."""
    return preferences_of(user).language or settings.LANGUAGE_CODE
