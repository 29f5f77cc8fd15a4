"""The address a request came from, as login lockouts and web-form limits count it.

Behind a reverse proxy every connection comes from the proxy, so counting `REMOTE_ADDR` would
make one visitor's failures everyone's. Each trusted proxy appends the address it received the
request from to `X-Forwarded-For`; with `TRUSTED_PROXIES` proxies in front, the client is the
entry that many places from the right. Entries further left were written by the client itself
and are never believed.
"""

import ipaddress

from django.conf import settings


def client_address(request) -> str:
    """The client's address, or "" when the request carries none that can be trusted."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    proxies = settings.TRUSTED_PROXIES
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) < proxies:
            # Not through the whole proxy chain: nothing in the header can be trusted.
            return _valid(remote)
        return _valid(forwarded[-proxies])
    return _valid(remote)


def _valid(address: str) -> str:
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return ""
