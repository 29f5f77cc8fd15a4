"""Every word a page shows is marked for translation: each page of the access walk
(tests/accounts/test_url_access.py) is rendered under a pseudo-locale in which every msgid reads
⟦msgid⟧, and no English word may be left outside the brackets, except data (names and numbers
the test made), the brand and the acronyms marketers keep in every language.

The catalog is built at test time: makemessages extracts Accord's msgids into a temporary
folder (Accord's own catalogs are neither read nor written), each msgstr is set to ⟦msgid⟧ and
compiled as Russian. Django's own strings (admin, forms) then come out in Cyrillic from Django's
catalogs: words in another script count as translated; an English word means a string nobody
marked."""

import re
from contextlib import chdir
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

from accounts.roles import Role
from scoring.models import Agreement
from sla.models import SlaPolicy
from tests.accounts.test_url_access import rule_for, url_patterns

PSEUDO = "ru"
OPEN, CLOSE = "⟦", "⟧"
# Words that stay as they are in every language (docs/glossary.md keeps the acronyms).
KEPT = {"Accord", "MQL", "MQLs", "SAL", "SALs", "SQL", "SQLs", "SLA", "SLAs", "BANT", "API", "CSV"}
KEPT |= {"XLSX", "ID", "URL", "HTTP", "HTTPS", "JSON", "AE", "SDR", "CRM", "UTC", "OK"}
# The languages are offered in their own names by the switcher.
KEPT |= {"English"}
# Django's admin names itself on the password-reset pages it serves.
KEPT |= {"Django"}
# Text that is code or data, not words: identifiers, addresses, examples.
SKIPPED_TAGS = {"script", "style", "code", "pre", "kbd", "samp", "option", "noscript"}
ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")
WORD = re.compile(r"[A-Za-z][A-Za-z'’]+")
SEPARATOR = "\x00"
BRACKETED = re.compile(rf"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}", re.S)
# Examples of input, not words: a JSON object, an address.
CODE = re.compile(r"^\s*(\{|https?://)")


# What makemessages walks: the project's code and templates, not its catalogs or tools.
LEFT_OUT = {"locale", "tests", "staticfiles", "bench", "media", "node_modules"}


def project_without_catalogs(folder: Path) -> Path:
    """The project's folders linked into `folder`, beside an empty locale/ of its own.

    makemessages writes each file's messages to the locale folder that shares its parent, so
    run in the project itself it would merge into (and mark fuzzy in) Accord's own catalogs."""
    for entry in settings.BASE_DIR.iterdir():
        if entry.name not in LEFT_OUT and not entry.name.startswith("."):
            (folder / entry.name).symlink_to(entry)
    (folder / "locale").mkdir()
    return folder / "locale"


@pytest.fixture(scope="module")
def pseudo_locale(tmp_path_factory):
    project = tmp_path_factory.mktemp("project")
    root = project_without_catalogs(project)
    with override_settings(LOCALE_PATHS=[root]), chdir(project):
        call_command("makemessages", locale=[PSEUDO], symlinks=True, verbosity=0)
    po = root / PSEUDO / "LC_MESSAGES" / "django.po"
    with open(po, "rb") as source:
        catalog = read_po(source, locale=PSEUDO)
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            singular, plural = message.id
            message.string = (f"{OPEN}{singular}{CLOSE}",) + (f"{OPEN}{plural}{CLOSE}",) * (
                catalog.num_plurals - 1
            )
        else:
            message.string = f"{OPEN}{message.id}{CLOSE}"
        message.flags.discard("fuzzy")
    with open(po.with_suffix(".mo"), "wb") as compiled:
        write_mo(compiled, catalog)
    return root


class VisibleText(HTMLParser):
    """Text nodes and the attributes people read (or hear), outside code and scripts."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.skipping = 0
        self.texts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED_TAGS:
            self.skipping += 1
        for name, value in attrs:
            if name in ATTRIBUTES and value:
                self.texts.append(value)

    def handle_endtag(self, tag):
        if tag in SKIPPED_TAGS and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping and data.strip():
            self.texts.append(data)


def unmarked_text(html: str, data: set[str]) -> list[str]:
    """The texts that hold an English word outside the brackets (data and kept words aside)."""
    parser = VisibleText()
    parser.feed(html)
    # A bracketed sentence may hold a link (two text nodes) or a bracketed word (a label worded
    # into a sentence): brackets are removed across nodes, the innermost first.
    joined = SEPARATOR.join(text for text in parser.texts if not CODE.match(text))
    while True:
        unbracketed = BRACKETED.sub(lambda m: m.group(0).count(SEPARATOR) * SEPARATOR, joined)
        if unbracketed == joined:
            break
        joined = unbracketed
    unmarked = []
    for left in joined.split(SEPARATOR):
        for value in sorted(data, key=len, reverse=True):
            left = left.replace(value, " ")
        words = [word for word in WORD.findall(left) if word not in KEPT and not word.isupper()]
        if words:
            unmarked.append(" ".join(left.split())[:120])
    return unmarked


PAGES_AS = [Role.MANAGER, Role.MARKETER, Role.SDR, Role.ACCOUNT_EXECUTIVE, Role.ADMIN, None]


@pytest.mark.django_db
@pytest.mark.parametrize("role", PAGES_AS, ids=lambda role: role or "no role")
def test_every_page_of_the_walk_marks_its_words(pseudo_locale, settings, client, make_user, role):
    settings.LOCALE_PATHS = [pseudo_locale]
    user = make_user(role) if role else make_user()
    user.first_name, user.last_name = "Quinn", "Parker"
    user.save()
    # Rows the migrations seed are data too (translating them is another part of issue 15).
    seeded = [*SlaPolicy.objects.values_list("name", flat=True)]
    seeded += Agreement.objects.values_list("name", flat=True)
    data = {user.username, user.first_name, user.last_name, user.email, *seeded}
    found = {}
    for key, route, url in url_patterns():
        method, _rule, _status = rule_for(key, route)
        if method != "GET" or url.startswith(("/api/", "/admin/")):
            continue
        client.force_login(user)
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=PSEUDO)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        texts = unmarked_text(response.content.decode(), data)
        if texts:
            found[url] = texts

    assert found == {}, "Unmarked words:\n" + "\n".join(f"{url}: {found[url]}" for url in found)


def test_the_detector_finds_words_outside_the_brackets_only():
    html = (
        '<nav aria-label="breadcrumb"><p>⟦Turn them off on <a href="/p">your profile</a>⟧</p>'
        "<p>⟦⟦15m⟧ to ⟦1h⟧⟧</p><p>Quinn Parker · MQL · Accord · 42</p><code>status=open</code>"
        '<input placeholder=\'{"content": "pricing-guide"}\'><p>Nothing here yet</p></nav>'
    )

    assert unmarked_text(html, {"Quinn", "Parker"}) == ["breadcrumb", "Nothing here yet"]
