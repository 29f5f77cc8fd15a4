"""`Authorization: Token <key>` checked against Accord's hashed, expiring, revocable tokens."""

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions

from accounts.models import TokenState
from accounts.selectors import api_token_for_key
from accounts.services import api_token_record_use


class ApiTokenAuthentication(authentication.TokenAuthentication):
    """DRF's header parsing and `Token` keyword (so clients and the 401 challenge stay as they
    were), with the key looked up by its digest. A revoked or expired key is refused with a
    sentence saying which, so whoever runs the integration knows to make a new one."""

    def authenticate_credentials(self, key):
        token = api_token_for_key(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        state = token.state_at(timezone.now())
        if state == TokenState.REVOKED:
            raise exceptions.AuthenticationFailed(
                _("This API token was revoked. Create a new one on your profile page.")
            )
        if state == TokenState.EXPIRED:
            raise exceptions.AuthenticationFailed(
                _("This API token has expired. Create a new one on your profile page.")
            )
        api_token_record_use(token=token)
        return token.user, token
