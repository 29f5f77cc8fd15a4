"""Signing webhook bodies, and verifying them as a receiver would.

Every delivery carries `X-Accord-Signature: t=<unix seconds>,v1=<hex>` where the hex is
HMAC-SHA256, keyed with the subscription's secret, of the bytes `"<t>." + body`. A receiver:

1. splits the header on "," into t and v1;
2. refuses a t more than five minutes from its own clock (a replayed old request);
3. computes HMAC-SHA256(secret, f"{t}.".encode() + raw_body) over the body exactly as received,
   before parsing it, and compares it with v1 in constant time (hmac.compare_digest).

`verify` below is that receiver, in Python.
"""

import hashlib
import hmac
import time

HEADER = "X-Accord-Signature"
TOLERANCE = 300  # seconds


def signature(secret: str, body: bytes, timestamp: int) -> str:
    message = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def sign(secret: str, body: bytes, *, timestamp: int | None = None) -> str:
    """The signature header's value for `body` sent now."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    return f"t={timestamp},v1={signature(secret, body, timestamp)}"


def verify(
    secret: str, body: bytes, header: str, *, tolerance: int = TOLERANCE, now: float | None = None
) -> bool:
    """True when `header` is a fresh, valid signature of `body` with `secret`."""
    parts = dict(item.split("=", 1) for item in header.split(",") if "=" in item)
    try:
        timestamp = int(parts["t"])
        expected = parts["v1"]
    except (KeyError, ValueError):
        return False
    now = time.time() if now is None else now
    if abs(now - timestamp) > tolerance:
        return False
    return hmac.compare_digest(signature(secret, body, timestamp), expected)
