"""API tokens as each reader may see them: a person reads only their own."""

from django.db.models import QuerySet

from accounts.models import ApiToken
from accounts.tokens import digest_of


def api_tokens_of(*, user) -> QuerySet[ApiToken]:
    """`user`'s tokens, newest first, revoked and expired ones included (one query)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


def api_token_for_key(key: str) -> ApiToken | None:
    """The token whose key is `key`, with its user, in one query; None for an unknown key."""
    return ApiToken.objects.select_related("user").filter(digest=digest_of(key)).first()
