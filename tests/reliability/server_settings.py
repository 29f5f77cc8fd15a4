"""Accord's production settings for a fault test's server process, except that static files
keep their own names: no collectstatic ran for the test (it takes longer than the test), and
the pages, the 503 page included, still link the site's styles."""

from config.settings import *  # noqa: F403
from config.settings import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
