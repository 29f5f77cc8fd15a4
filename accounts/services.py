"""A person's own API tokens: created and revoked by that person (the admin role revokes too,
in the Django admin, but nobody creates a token for someone else); and the roles the admin role
gives and takes. Each of these is on the audit trail; a key never is."""

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from accounts.models import ApiToken
from accounts.roles import Role
from accounts.tokens import LIFETIMES_IN_DAYS, digest_of, new_key, prefix_of
from audit.models import Action
from audit.services import entry_for, record, record_many

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
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name,
            prefix=prefix_of(key),
            digest=digest_of(key),
            created_at=now,
            expires_at=now + timedelta(days=lifetime_in_days),
        )
        record(token, Action.ISSUED, actor=user, after=_token_facts(token), at=now)
    return IssuedApiToken(token=token, key=key)


def _token_facts(token: ApiToken) -> dict:
    """What identifies a token on the trail: its owner, name and visible prefix, not its key."""
    return {"owner": str(token.user), "name": token.name, "prefix": token.prefix}


def api_token_revoke(*, token: ApiToken, actor=None) -> bool:
    """Stop `token` at once; False when it was already revoked (the first revocation's time
    stays). One conditional update, so two revocations at once record one time."""
    now = timezone.now()
    with transaction.atomic():
        revoked = ApiToken.objects.filter(pk=token.pk, revoked_at=None).update(revoked_at=now)
        if revoked:
            token.revoked_at = now
            record(token, Action.REVOKED, actor=actor, after=_token_facts(token), at=now)
    return bool(revoked)


def record_role_changes(*, person, before: set[str], actor) -> None:
    """After the admin saved `person`'s roles: a row per role granted or removed, on the
    person's history. `before` is the role names they held before the save."""
    after = set(
        Group.objects.filter(user=person, name__in=Role.values).values_list("name", flat=True)
    )
    entries = [
        entry_for(person, action=action, after=role)
        for action, roles in (
            (Action.ROLE_GRANTED, after - before),
            (Action.ROLE_REMOVED, before - after),
        )
        for role in sorted(roles)
    ]
    record_many(entries, actor=actor)


def api_token_record_use(*, token: ApiToken) -> None:
    """Note that `token` was just used, unless that was noted less than a minute ago."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_PRECISION:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
