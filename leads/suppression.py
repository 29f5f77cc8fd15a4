"""The suppression list: addresses that may not come back as contactable leads (an erased
person, an unsubscribe), kept as keyed digests and checked by every way in with one query.

A digest is HMAC-SHA256 of the normalized address (leads.models.normalize_email) under a key
derived from settings.SUPPRESSION_SECRET by Django's salted_hmac with this module's salt. A plain
SHA-256 would not do: e-mail addresses are guessable, and anyone holding the table could hash a
list of addresses and learn who asked to be forgotten. Keyed, the table tells nothing without
the server's secret, yet the same address always gives the same digest, so a check is an index
lookup. Digests under SUPPRESSION_SECRET_FALLBACKS (a rotated key) still match; new entries use
the current key.
"""

from collections.abc import Iterable

from django.conf import settings
from django.utils.crypto import salted_hmac

from leads.models import SuppressedAddress, SuppressionReason, normalize_email

SALT = "accord.leads.suppression"


def _secrets() -> list[str]:
    return [settings.SUPPRESSION_SECRET, *settings.SUPPRESSION_SECRET_FALLBACKS]


def address_digest(email: str, *, secret: str | None = None) -> str:
    """The digest the list keeps for `email` (normalized first), under the current key."""
    value = normalize_email(email)
    secret = secret or settings.SUPPRESSION_SECRET
    return salted_hmac(SALT, value, secret=secret, algorithm="sha256").hexdigest()


def suppressed_emails(emails: Iterable[str]) -> set[str]:
    """Which of these (normalized) addresses are suppressed: one query for any number of them,
    so the set-based writers (leads.services.store_leads, intake.ingest) check a whole batch
    at once."""
    by_digest = {
        address_digest(email, secret=secret): email
        for email in set(emails)
        if email
        for secret in _secrets()
    }
    if not by_digest:
        return set()
    found = SuppressedAddress.objects.filter(digest__in=list(by_digest)).values_list(
        "digest", flat=True
    )
    return {by_digest[digest] for digest in found}


def is_suppressed(email: str) -> bool:
    return bool(suppressed_emails([normalize_email(email)]))


def suppress(email: str, *, reason: str) -> None:
    """Add the address; an address already on the list keeps its entry, except that an erasure
    overrides an unsubscribe (it can no longer be lifted by a new consent)."""
    entry, created = SuppressedAddress.objects.get_or_create(
        digest=address_digest(email), defaults={"reason": reason}
    )
    if not created and entry.reason != reason and reason == SuppressionReason.ERASED:
        SuppressedAddress.objects.filter(pk=entry.pk).update(reason=reason)


def lift_unsubscribe(email: str) -> None:
    """A new consent after an unsubscribe takes the address off the list; an erasure stays."""
    digests = [address_digest(email, secret=secret) for secret in _secrets()]
    SuppressedAddress.objects.filter(
        digest__in=digests, reason=SuppressionReason.UNSUBSCRIBED
    ).delete()
