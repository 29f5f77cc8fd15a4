import sqlite3
from types import SimpleNamespace

from scoring.apps import use_re2_for_sqlite_regexp


def sqlite_with_accord_regexp() -> sqlite3.Connection:
    """A bare SQLite connection given the REGEXP Accord registers on each of its SQLite
    connections (the receiver is tested directly so this runs whatever DATABASE_URL says)."""
    raw = sqlite3.connect(":memory:")
    use_re2_for_sqlite_regexp(None, SimpleNamespace(vendor="sqlite", connection=raw))
    return raw


def test_sqlite_reads_regex_lookups_as_re2():
    raw = sqlite_with_accord_regexp()

    def matches(value, pattern):
        return raw.execute("SELECT ? REGEXP ?", (value, pattern)).fetchone()[0]

    # \pL is RE2 (and not Python's re): a letter in any script. Django's `__regex` runs
    # `value REGEXP pattern`, and `__iregex` prefixes the pattern with (?i).
    assert matches("Директор по продажам", r"^\pL+ по") == 1
    assert matches("Директор по продажам", r"(?i)^директор") == 1
    assert matches("Директор по продажам", r"^директор") == 0


def test_other_databases_keep_their_own_regexp():
    registered = []
    other = SimpleNamespace(create_function=lambda *args, **kwargs: registered.append(args))

    use_re2_for_sqlite_regexp(None, SimpleNamespace(vendor="postgresql", connection=other))

    assert registered == []
