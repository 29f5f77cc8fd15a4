"""How Accord names a person: by their full name, as colleagues know each other, and by the
username only when no name was given."""

from django.contrib.auth import get_user_model


def person_name(user) -> str:
    return user.get_full_name() or user.get_username()


def name_people_everywhere() -> None:
    """Django's User prints as its username, and every template, form choice and admin list
    that shows a user prints it. Accord keeps Django's User model, so it gives that model
    Accord's way of naming people once here, rather than a filter in every place a person
    appears (and the one place it is forgotten)."""
    get_user_model().__str__ = person_name
