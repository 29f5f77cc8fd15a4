import os
import shutil

import pytest
from django.utils import timezone, translation
from rest_framework.test import APIClient

from accounts.roles import Role
from accounts.services import api_token_create
from scoring.selectors import _published_words
from tests.factories import UserFactory


def pytest_configure(config):
    """Pages are tested in every language, so the catalogs are compiled first, once, by the
    process that starts the run (xdist workers have `workerinput` and find them compiled)."""
    if not hasattr(config, "workerinput"):
        import django
        from django.core.management import call_command

        django.setup()
        call_command("compile_catalogs")


def _on_sqlite() -> bool:
    from django.conf import settings

    return settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")


def pytest_report_header(config):
    if _on_sqlite():
        return "postgres_only tests are deselected on SQLite; the PostgreSQL pass runs them"
    return None


def pytest_collection_modifyitems(config, items):
    """Tests marked postgres_only need what only PostgreSQL gives (several server processes on
    one database, pg_dump): on SQLite they are deselected, which the run's header and its
    "deselected" count say, rather than skipped; CI's PostgreSQL pass (.ci/run) runs them."""
    if not _on_sqlite():
        return
    deselected = [item for item in items if item.get_closest_marker("postgres_only")]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if not item.get_closest_marker("postgres_only")]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Real hashers cost ~0.3 s a password by design; tests need none of that strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def no_language_or_zone_left_over():
    """A request leaves its language (and LocaleMiddleware never resets it) in the thread: a
    test that words something outside a request would read the previous test's language."""
    yield
    translation.deactivate()
    timezone.deactivate()


@pytest.fixture
def make_user(db):
    def make(*roles, username=None):
        kwargs = {"roles": list(roles)}
        if username:
            kwargs["username"] = username
        return UserFactory(**kwargs)

    return make


@pytest.fixture
def marketer(make_user):
    return make_user(Role.MARKETER, username="maya")


@pytest.fixture
def sdr(make_user):
    return make_user(Role.SDR, username="sam")


@pytest.fixture
def manager(make_user):
    return make_user(Role.MANAGER, username="morgan")


@pytest.fixture
def account_executive(make_user):
    return make_user(Role.ACCOUNT_EXECUTIVE, username="alex")


@pytest.fixture
def client_as(client, make_user):
    """A test client logged in as a fresh user holding `roles` (none: a user without a role)."""

    def login(*roles):
        user = make_user(*roles)
        client.force_login(user)
        return client

    return login


@pytest.fixture
def api_as(make_user):
    """An API client sending `Authorization: Token` of a fresh user holding `roles`."""

    def client(*roles):
        api = APIClient()
        issued = api_token_create(user=make_user(*roles), name="Tests", lifetime_in_days=30)
        api.credentials(HTTP_AUTHORIZATION=f"Token {issued.key}")
        return api

    return client


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium_browser():
    """Debian's Chromium driven by Playwright; never a downloaded browser.

    Without Chromium the browser tests are skipped on a developer's machine, but fail in CI
    (CI is set), where .ci/run installs it.
    """
    if not os.path.exists(CHROMIUM):
        message = f"Chromium not found at {CHROMIUM}: apt-get install -y chromium"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium_browser, live_server):
    context = chromium_browser.new_context(base_url=live_server.url, locale="en-US")
    context.set_default_timeout(10_000)
    page = context.new_page()
    # Consequential actions ask first (hx-confirm, data-confirm). A person says yes, so the page
    # does too; `page.dialogs` keeps each question, and `page.accept_dialogs = False` says no.
    page.dialogs = []
    page.accept_dialogs = True

    def answer(dialog):
        page.dialogs.append(dialog.message)
        dialog.accept() if page.accept_dialogs else dialog.dismiss()

    page.on("dialog", answer)
    yield page
    context.close()


@pytest.fixture
def log_in(page):
    def log_in_as(username, password="secret-pass-123"):
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(lambda url: "/accounts/login/" not in url)

    return log_in_as


@pytest.fixture(autouse=True)
def no_agreement_words_left_over():
    """Agreement versions past draft are worded once a process (scoring.selectors): a test's
    version 1 is not the next test's."""
    yield
    _published_words.clear()
