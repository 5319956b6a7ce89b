"""The Standard Webhooks signature scheme (https://www.standardwebhooks.com/), symmetric form.

A secret is `whsec_` followed by the base64 of 24 to 64 random bytes (`new_secret` makes 32).
Each attempt carries three headers: `webhook-id` (the delivery's id, the same on every attempt:
a receiver uses it to ignore a repeat), `webhook-timestamp` (the attempt's time in whole seconds
since 1970) and `webhook-signature`: `v1,` and the base64 of the HMAC-SHA256, keyed with the
secret's bytes, of `<id>.<timestamp>.<body>`. `verify` is what a receiver written in Python does:
it checks the timestamp is within five minutes of its clock and compares in constant time.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
import time
from collections.abc import Mapping

from pathways.errors import PathwayError

__all__ = [
    "SECRET_PREFIX",
    "TOLERANCE",
    "InvalidSecret",
    "headers",
    "new_secret",
    "secret_bytes",
    "sign",
    "verify",
]

SECRET_PREFIX = "whsec_"
#: How far (seconds) a receiver accepts a timestamp from its own clock.
TOLERANCE = 300


class InvalidSecret(PathwayError, ValueError):
    """Not a Standard Webhooks signing secret (`whsec_` and the base64 of 24 to 64 bytes)."""


def new_secret() -> str:
    """A new signing secret: 32 random bytes, as `whsec_<base64>`."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode("ascii")


def secret_bytes(secret: str) -> bytes:
    """The key bytes of `secret` (with or without its `whsec_` prefix)."""
    try:
        key = base64.b64decode(secret.removeprefix(SECRET_PREFIX), validate=True)
    except (binascii.Error, ValueError):
        raise InvalidSecret("a signing secret is whsec_ and base64") from None
    if not 24 <= len(key) <= 64:
        raise InvalidSecret("a signing secret holds 24 to 64 bytes")
    return key


def sign(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    """The `webhook-signature` value for one attempt: `v1,<base64 HMAC-SHA256>`."""
    signed = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret_bytes(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode("ascii")


def headers(secret: str, msg_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    """The three Standard Webhooks headers for one attempt."""
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(secret, msg_id, timestamp, body),
    }


def verify(
    secret: str,
    received: Mapping[str, str],
    body: bytes,
    *,
    now: float | None = None,
    tolerance: int = TOLERANCE,
) -> bool:
    """True when `received` (the request's headers, any case) sign `body` with `secret` and the
    timestamp is within `tolerance` seconds of `now`."""
    lowered = {k.lower(): v for k, v in received.items()}
    msg_id = lowered.get("webhook-id", "")
    stamp = lowered.get("webhook-timestamp", "")
    if not msg_id or not stamp.isdigit():
        return False
    if abs((time.time() if now is None else now) - int(stamp)) > tolerance:
        return False
    expected = sign(secret, msg_id, int(stamp), body).encode()
    return any(
        hmac.compare_digest(expected, given.encode())
        for given in lowered.get("webhook-signature", "").split()
    )
