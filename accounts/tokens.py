"""API keys as people hold them and as Accord keeps them: pure functions, no database.

A key is `acc_` and 43 random URL-safe characters (32 bytes from `secrets`). Accord stores only
its SHA-256 digest and a short prefix to recognise it by. A plain hash is enough, and better than
a password hasher or an HMAC here: the key is 256 random bits, so there is nothing to guess
(salting and stretching protect low-entropy passwords, and would cost every API request a slow
hash); and an HMAC keyed with SECRET_KEY would make rotating SECRET_KEY break every token.
Looking a token up by its digest also leaks nothing through timing: learning a digest's first
bytes brings nobody closer to a key that hashes to it.

The `acc_` marker lets people and secret scanners recognise a leaked key. Keys issued by DRF's
authtoken before (40 hex characters, accounts migration 0003) have no marker and keep working.
"""

import hashlib
import secrets
from datetime import timedelta

KEY_MARKER = "acc_"
KEY_BYTES = 32
# Random characters kept in the prefix: enough to tell a person's keys apart, few enough that the
# rest (35 characters of a new key, 32 hex digits of an old one) is still far beyond guessing.
PREFIX_CHARACTERS = 8
# How long a token may live, in days. There is no "never": a key outlives the script, the laptop
# and sometimes the job it was made for, and nobody revokes what still works; making a new one
# once a year costs its owner a minute.
LIFETIMES_IN_DAYS = (30, 90, 365)
DEFAULT_LIFETIME_IN_DAYS = 90
# A token issued by DRF's authtoken app before tokens had names keeps working this long
# from the upgrade (the longest choice), so its owner has time to replace it.
LEGACY_LIFETIME = timedelta(days=max(LIFETIMES_IN_DAYS))


def new_key() -> str:
    return KEY_MARKER + secrets.token_urlsafe(KEY_BYTES)


def digest_of(key: str) -> str:
    """The hex SHA-256 of `key`: the only form of it Accord keeps."""
    return hashlib.sha256(key.encode()).hexdigest()


def prefix_of(key: str) -> str:
    """The start of `key` shown in lists to recognise it: the marker and a few characters."""
    marker = KEY_MARKER if key.startswith(KEY_MARKER) else ""
    return key[: len(marker) + PREFIX_CHARACTERS]
