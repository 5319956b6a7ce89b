"""The Standard Webhooks signature, checked against the specification's own test vector and an
independent verifier written here from the specification (the `standardwebhooks` package is
not available to install)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pathways.service.webhooks.signing import (
    InvalidSecret,
    headers,
    new_secret,
    secret_bytes,
    sign,
    verify,
)

# The test vector of the Standard Webhooks reference libraries (libraries/go/webhook_test.go).
SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
SPEC_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
SPEC_TIMESTAMP = 1614265330
SPEC_BODY = b'{"test": 2432232314}'
SPEC_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def independent_verify(secret: str, head: dict[str, str], body: bytes) -> bool:
    """The specification's verification, written without the service's code."""
    key = base64.b64decode(secret.split("_", 1)[1])
    content = f"{head['webhook-id']}.{head['webhook-timestamp']}.".encode() + body
    expected = base64.b64encode(hmac.new(key, content, hashlib.sha256).digest()).decode()
    for signature in head["webhook-signature"].split(" "):
        version, _, value = signature.partition(",")
        if version == "v1" and hmac.compare_digest(value, expected):
            return True
    return False


def test_the_specifications_test_vector() -> None:
    assert sign(SPEC_SECRET, SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY) == SPEC_SIGNATURE
    head = headers(SPEC_SECRET, SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY)
    assert independent_verify(SPEC_SECRET, head, SPEC_BODY)
    assert verify(SPEC_SECRET, head, SPEC_BODY, now=SPEC_TIMESTAMP + 10)


def test_a_receiver_refuses_a_changed_body_an_old_timestamp_or_another_secret() -> None:
    head = headers(SPEC_SECRET, SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY)
    now = SPEC_TIMESTAMP
    assert not verify(SPEC_SECRET, head, SPEC_BODY + b" ", now=now)
    assert not verify(SPEC_SECRET, head, SPEC_BODY, now=now + 301)
    assert not verify(new_secret(), head, SPEC_BODY, now=now)
    several = {**head, "webhook-signature": "v1,bm90IGl0 " + head["webhook-signature"]}
    assert verify(SPEC_SECRET, several, SPEC_BODY, now=now)
    assert not verify(SPEC_SECRET, {**head, "webhook-timestamp": "soon"}, SPEC_BODY, now=now)


def test_a_new_secret_is_whsec_and_32_random_bytes() -> None:
    made = {new_secret() for _ in range(20)}
    assert len(made) == 20
    for secret in made:
        assert secret.startswith("whsec_")
        assert len(secret_bytes(secret)) == 32
    for bad in ("whsec_not base64!", "whsec_" + base64.b64encode(b"short").decode()):
        with pytest.raises(InvalidSecret):
            secret_bytes(bad)


@given(
    msg_id=st.from_regex(r"msg_[A-Za-z0-9_]{1,40}", fullmatch=True),
    body=st.binary(max_size=2000),
    flip=st.integers(min_value=0),
)
def test_every_signature_verifies_independently_and_any_change_is_caught(
    msg_id: str, body: bytes, flip: int
) -> None:
    secret = "whsec_" + base64.b64encode(bytes(range(32))).decode()
    stamp = int(time.time())
    head = headers(secret, msg_id, stamp, body)
    assert independent_verify(secret, head, body)
    assert verify(secret, head, body)
    if body:
        changed = bytearray(body)
        changed[flip % len(body)] ^= 0x01
        assert not independent_verify(secret, head, bytes(changed))
        assert not verify(secret, head, bytes(changed))
