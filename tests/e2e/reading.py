"""What the browser tests share about reading a page: where screenshots go, and switching the
language a page is read in."""

from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings

# Git-ignored; a person opens them before calling a page done.
SCREENSHOTS = Path(__file__).parent / "screenshots"


def read_in(page, language: str) -> None:
    """Later pages come in `language`, as if the reader had picked it in the switcher (the
    language cookie, for the live server's host)."""
    host = urlsplit(page.url).hostname
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "domain": host, "path": "/"}]
    )
