"""The HTTP boundary: one POST, with a timeout, to an address checked just before, never following
a redirect anywhere, and never keeping what the receiver answered beyond its status code.

The host name is resolved once (`addresses.destination`); the connection goes to that address,
while the Host header, and for https the certificate check and SNI, use the name in the URL. A
name that resolves to an allowed address for the check and to an internal one a moment later
(DNS rebinding) therefore cannot move the request.
"""

import contextlib
import http.client
import socket
import ssl
import threading
import time
from dataclasses import dataclass

from django.utils.translation import gettext as _

from webhooks import addresses

TIMEOUT = 10  # seconds, for each connect and each read
# The whole request, however slowly a receiver answers byte by byte: shorter than the lease a
# delivery is claimed for (webhooks.services.LEASE), so no second sender starts while one waits.
DEADLINE = 30  # seconds


@dataclass(frozen=True)
class Response:
    status_code: int | None  # None: no HTTP answer (refused, timed out, not allowed)
    duration_ms: int | None  # None: nothing was sent
    error: str = ""  # why there is no status code, or a note about it; never the answer's body

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def tls_context() -> ssl.SSLContext:
    """The system's trusted certificates, checked against the URL's host name."""
    return ssl.create_default_context()


def post(url: str, body: bytes, headers: dict[str, str]) -> Response:
    try:
        target = addresses.destination(url)
    except addresses.Refused as refused:
        return Response(None, None, str(refused))
    started = time.monotonic()
    try:
        status = _send(target, body, headers)
    except TimeoutError as error:
        seconds = DEADLINE if error.args == (DEADLINE,) else TIMEOUT
        message = _("No answer within %(seconds)s seconds.") % {"seconds": seconds}
        return Response(None, _elapsed(started), message)
    except (http.client.HTTPException, OSError) as error:
        # Refused, reset, a TLS failure or a garbled answer: all retried. The text is the local
        # error, not anything the receiver sent.
        return Response(None, _elapsed(started), str(error)[:200] or type(error).__name__)
    note = _("Redirect not followed.") if 300 <= status < 400 else ""
    return Response(status, _elapsed(started), note)


def _send(target: addresses.Destination, body: bytes, headers: dict[str, str]) -> int:
    """POST to the first of the checked addresses that accepts a connection; the status code."""
    if target.scheme == "https":
        connection = http.client.HTTPSConnection(
            target.host, target.port, timeout=TIMEOUT, context=tls_context()
        )
    else:
        connection = http.client.HTTPConnection(target.host, target.port, timeout=TIMEOUT)
    # http.client would resolve self.host again; connect to the checked addresses instead. For
    # https it then wraps the socket with server_hostname=self.host: SNI and the certificate
    # check still use the name.
    connection._create_connection = lambda _address, timeout, source_address: _connect(
        target, timeout
    )
    # Past the deadline the socket is shut down under the waiting read, which then fails.
    expired = threading.Event()
    cutoff = threading.Timer(DEADLINE, _cut, args=(connection, expired))
    cutoff.daemon = True
    cutoff.start()
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        return connection.getresponse().status  # the body is never read
    except (http.client.HTTPException, OSError) as error:
        if expired.is_set():
            raise TimeoutError(DEADLINE) from error
        raise
    finally:
        cutoff.cancel()
        connection.close()


def _cut(connection: http.client.HTTPConnection, expired: threading.Event) -> None:
    expired.set()
    if connection.sock is not None:
        with contextlib.suppress(OSError):  # already closed
            connection.sock.shutdown(socket.SHUT_RDWR)


def _connect(target: addresses.Destination, timeout: float) -> socket.socket:
    error: OSError | None = None
    for address in target.addresses:
        try:
            return socket.create_connection((address, target.port), timeout)
        except OSError as failure:
            error = failure
    raise error or OSError(_("No address to connect to."))


def _elapsed(started: float) -> int:
    return round((time.monotonic() - started) * 1000)
