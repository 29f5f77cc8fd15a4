"""Where a webhook may go: a public address, over https, never inside Accord's own network.

One rule, asked twice: when a manager saves a subscription (`validate_url`, a model field
validator, so the form shows the reason next to the URL field) and again just before each send
(`destination`), after resolving the host name, because a name that pointed outside at save time
may point inside by the time a delivery goes out. The transport connects to the address checked
here, never resolving the name a second time (DNS rebinding).
"""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Cloud providers' instance metadata services. Most already fall in a refused range (link-local,
# shared, unique local); they are named so that no setting, WEBHOOKS_ALLOW_LOOPBACK included,
# ever lets a delivery reach one.
METADATA = frozenset(
    ipaddress.ip_address(address)
    for address in [
        "169.254.169.254",  # AWS, GCP, Azure, DigitalOcean, OpenStack
        "169.254.170.2",  # AWS ECS task metadata
        "fd00:ec2::254",  # AWS over IPv6
        "100.100.100.200",  # Alibaba Cloud
    ]
)


class Refused(Exception):
    """The URL may not receive webhooks; the message says why, in the reader's language."""


@dataclass(frozen=True)
class Destination:
    scheme: str
    host: str  # as written in the URL: the Host header and the name TLS verifies
    port: int
    path: str  # path and query, what goes on the request line
    addresses: tuple[str, ...]  # every address the name resolved to, each one allowed


def refusal(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Why `address` may not receive webhooks, or None when it may."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    if address in METADATA:
        return _("%(address)s is a cloud metadata address.") % {"address": address}
    if address.is_loopback:
        if settings.WEBHOOKS_ALLOW_LOOPBACK:
            return None
        return _("%(address)s is a loopback address (this server itself).") % {"address": address}
    if address.is_multicast:
        return _("%(address)s is a multicast address.") % {"address": address}
    if address.is_unspecified:
        return _("%(address)s is the unspecified address.") % {"address": address}
    if address.is_link_local:
        return _("%(address)s is a link-local address.") % {"address": address}
    if address.is_private or address.is_reserved or not address.is_global:
        # is_global is False for private, shared (100.64/10), documentation and other special
        # ranges: none of them is somewhere on the internet.
        return _("%(address)s is a private or reserved address.") % {"address": address}
    return None


def resolve(host: str, port: int) -> tuple[str, ...]:
    """Every address `host` resolves to, or Refused when it does not or any one is not allowed."""
    try:
        answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError):
        raise Refused(_("The host name %(host)s could not be resolved.") % {"host": host}) from None
    addresses = tuple(dict.fromkeys(answer[4][0] for answer in answers))
    for address in addresses:
        # An IPv6 answer may carry a zone ("fe80::1%eth0"); the address is what precedes it.
        reason = refusal(ipaddress.ip_address(address.split("%", 1)[0]))
        if reason:
            raise Refused(
                _("Webhooks cannot be sent to %(host)s: %(reason)s")
                % {"host": host, "reason": reason}
            )
    if not addresses:
        raise Refused(_("The host name %(host)s could not be resolved.") % {"host": host})
    return addresses


def destination(url: str) -> Destination:
    """Check `url` and resolve its host once: where to connect, or Refused."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise Refused(_("The URL is not valid.")) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Refused(_("Only http and https URLs are allowed."))
    if parts.scheme == "http" and not settings.WEBHOOKS_ALLOW_HTTP:
        raise Refused(_("Webhooks are sent over https only: use an https:// URL."))
    if parts.username or parts.password:
        raise Refused(_("A webhook URL cannot carry a user name or password."))
    port = port or (443 if parts.scheme == "https" else 80)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    addresses = resolve(parts.hostname, port)
    return Destination(parts.scheme, parts.hostname, port, path, addresses)


def validate_url(url: str) -> None:
    """The model field's validator: the same rule as at send time, as a ValidationError.

    A URL that is not http(s) at all is left to the field's URLValidator, which says so once.
    """
    try:
        parts = urlsplit(url)
    except ValueError:
        return
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return
    try:
        destination(url)
    except Refused as refused:
        raise ValidationError(str(refused), code="webhook_destination") from None
