"""A person's own API tokens: created and revoked by that person (the admin role revokes too,
in the Django admin, but nobody creates a token for someone else)."""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from accounts.models import ApiToken
from accounts.tokens import LIFETIMES_IN_DAYS, digest_of, new_key, prefix_of

# How stale last_used_at may be: writing it on every request would turn each API read into a
# write (and a row lock that parallel calls with one token queue behind).
LAST_USED_PRECISION = timedelta(minutes=1)


@dataclass(frozen=True)
class IssuedApiToken:
    """A new token with its key: the key exists only here, to be shown once."""

    token: ApiToken
    key: str


def api_token_create(*, user, name: str, lifetime_in_days: int) -> IssuedApiToken:
    if lifetime_in_days not in LIFETIMES_IN_DAYS:
        raise ValueError(f"A token lives {LIFETIMES_IN_DAYS} days, not {lifetime_in_days}.")
    key = new_key()
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=prefix_of(key),
        digest=digest_of(key),
        created_at=now,
        expires_at=now + timedelta(days=lifetime_in_days),
    )
    return IssuedApiToken(token=token, key=key)


def api_token_revoke(*, token: ApiToken) -> bool:
    """Stop `token` at once; False when it was already revoked (the first revocation's time
    stays). One conditional update, so two revocations at once record one time."""
    now = timezone.now()
    revoked = ApiToken.objects.filter(pk=token.pk, revoked_at=None).update(revoked_at=now)
    if revoked:
        token.revoked_at = now
    return bool(revoked)


def api_token_record_use(*, token: ApiToken) -> None:
    """Note that `token` was just used, unless that was noted less than a minute ago."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_PRECISION:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
