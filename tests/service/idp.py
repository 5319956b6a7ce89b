"""A stand-in identity provider for the service's token tests: signing keys made here with
`cryptography`, tokens signed by hand (RFC 7515 compact serialisation, so that the service's
verifier is checked against an independent signer, forgeries included), and the key set served
on loopback by a small HTTP server that counts its fetches."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

ISSUER = "https://idp.humber.example/realms/pathways"
AUDIENCE = "pathways-service"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _number(value: int, size: int | None = None) -> str:
    length = size or max(1, (value.bit_length() + 7) // 8)
    return _b64(value.to_bytes(length, "big"))


@dataclass
class SigningKey:
    """One of the provider's keys: RSA (RS256) or P-256 (ES256)."""

    kid: str
    algorithm: str = "RS256"
    private: Any = field(init=False)

    def __post_init__(self) -> None:
        if self.algorithm == "RS256":
            self.private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        else:
            self.private = ec.generate_private_key(ec.SECP256R1())

    def jwk(self) -> dict[str, str]:
        """The public key as a JSON Web Key (RFC 7517/7518), written out field by field."""
        numbers = self.private.public_key().public_numbers()
        if self.algorithm == "RS256":
            return {
                "kty": "RSA",
                "kid": self.kid,
                "use": "sig",
                "alg": "RS256",
                "n": _number(numbers.n),
                "e": _number(numbers.e),
            }
        return {
            "kty": "EC",
            "kid": self.kid,
            "use": "sig",
            "alg": "ES256",
            "crv": "P-256",
            "x": _number(numbers.x, 32),
            "y": _number(numbers.y, 32),
        }

    def public_pem(self) -> bytes:
        return bytes(
            self.private.public_key().public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
        )

    def sign(self, data: bytes) -> bytes:
        if self.algorithm == "RS256":
            return bytes(self.private.sign(data, padding.PKCS1v15(), hashes.SHA256()))
        r, s = decode_dss_signature(self.private.sign(data, ec.ECDSA(hashes.SHA256())))
        return r.to_bytes(32, "big") + s.to_bytes(32, "big")


def claims(agency: str = "hull-city-council", **changes: Any) -> dict[str, Any]:
    """Valid claims for `agency`, changed by `changes` (a value of None leaves a claim out)."""
    now = int(time.time())
    base: dict[str, Any] = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": "f3a9c0de",
        "iat": now - 10,
        "nbf": now - 10,
        "exp": now + 300,
        "pathways_agency": agency,
    }
    base.update(changes)
    return {k: v for k, v in base.items() if v is not None}


def token(
    key: SigningKey | None,
    body: dict[str, Any],
    *,
    header: dict[str, Any] | None = None,
    hmac_secret: bytes | None = None,
) -> str:
    """A compact JWS: signed by `key`, or with HMAC-SHA256 under `hmac_secret`, or unsigned."""
    if header is None:
        header = {"alg": key.algorithm, "kid": key.kid, "typ": "JWT"} if key else {"alg": "none"}
    text = (
        _b64(json.dumps(header).encode())
        + "."
        + _b64(json.dumps(body, separators=(",", ":")).encode())
    )
    if hmac_secret is not None:
        signature = hmac.new(hmac_secret, text.encode(), hashlib.sha256).digest()
    elif key is not None and header.get("alg") != "none":
        signature = key.sign(text.encode())
    else:
        signature = b""
    return text + "." + _b64(signature)


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        return  # a client that gave up waiting (the time-limit test) is not an error here


class KeySetServer:
    """The provider's key set on loopback; `keys` may be changed while it runs (a rotation)."""

    def __init__(self, *keys: SigningKey, stall: float = 0.0) -> None:
        self.keys = list(keys)
        self.fetches = 0
        self.stall = stall
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                owner.fetches += 1
                if owner.stall:
                    time.sleep(owner.stall)
                body = json.dumps({"keys": [k.jwk() for k in owner.keys]}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                return

        self.server = _QuietServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/certs"


@contextmanager
def serving(*keys: SigningKey, stall: float = 0.0) -> Iterator[KeySetServer]:
    """The key set served on loopback for the duration of the block (stopped within 10 s)."""
    idp = KeySetServer(*keys, stall=stall)
    thread = threading.Thread(target=idp.server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield idp
    finally:
        idp.server.shutdown()
        idp.server.server_close()
        thread.join(timeout=10)
        assert not thread.is_alive(), "the key set server did not stop"
