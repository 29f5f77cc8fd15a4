"""A person's preferences: read with the defaults when they never saved any, saved whole."""

from accounts.models import Preferences


def preferences_of(user) -> Preferences:
    """One query; an unsaved row with the defaults when the person never changed anything."""
    return Preferences.objects.filter(user=user).first() or Preferences(user=user)


def save_preferences(*, user, single_key_shortcuts: bool) -> Preferences:
    preferences, _created = Preferences.objects.update_or_create(
        user=user, defaults={"single_key_shortcuts": single_key_shortcuts}
    )
    return preferences
