"""Each signed-in person's pages in their own language and time zone."""

from zoneinfo import ZoneInfo

from django.utils import timezone, translation

from accounts.preferences import READER_SESSION_KEY, remember_reader


class ReaderMiddleware:
    """After LocaleMiddleware and AuthenticationMiddleware: a saved language replaces the
    browser's (an empty one leaves LocaleMiddleware's choice), and times are shown in the
    person's zone. Both come from the session (accounts/preferences.py), so a page runs no
    query for them; a session from before they were kept there resolves them once."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            reader = request.session.get(READER_SESSION_KEY) or remember_reader(request)
            if reader["language"]:
                translation.activate(reader["language"])
                request.LANGUAGE_CODE = reader["language"]
            timezone.activate(ZoneInfo(reader["zone"]))
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
