"""A user's own API token: issued (or replaced) and revoked by that user."""

from django.db import transaction
from rest_framework.authtoken.models import Token


@transaction.atomic
def api_token_issue(*, user) -> Token:
    """A new key for `user`; the previous one, if any, stops working at once."""
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user)


def api_token_revoke(*, user) -> bool:
    """True when there was a token to revoke."""
    deleted, _ = Token.objects.filter(user=user).delete()
    return bool(deleted)
