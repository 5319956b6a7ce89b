"""OAuth 2 / OpenID Connect bearer tokens: PyJWT's one home (`referral-pathways[service]`).

`TokenVerifier(settings, agencies)` accepts a JSON Web Token only when all of these hold:

- its algorithm (`alg`) is one the settings allow, all of them asymmetric (never `none`, never
  `HS256` signed with the provider's public key), and the key it names (`kid`) is in the
  provider's key set (`service.jwks`), declared for that algorithm if it declares one;
- the signature is the key's; `iss` is the issuer and `aud` includes the audience; `exp` and
  `iat` are present, `exp` has not passed and neither `iat` nor `nbf` (if given) is in the
  future, each within the clock leeway;
- the agency claim (`pathways_agency` by default) names an agency of a pathway the service
  runs, and the staff claim, when the settings name one and the token carries it, is an opaque
  reference (letters, digits, `.`, `_`, `-`), never a name or an e-mail address.

The token's agency (and member of staff) then act, exactly as an API key's would. Any failure is
`TokenRejected`, whose message says which check failed (the service answers 401).
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Collection, Mapping
from typing import Any

import jwt
from jwt.exceptions import (
    DecodeError,
    ExpiredSignatureError,
    ImmatureSignatureError,
    InvalidAudienceError,
    InvalidIssuedAtError,
    InvalidIssuerError,
    InvalidSignatureError,
    MissingRequiredClaimError,
    PyJWTError,
)

from pathways.errors import PathwayError
from pathways.service.jwks import KeySet
from pathways.service.keys import Credential
from pathways.service.oidc_settings import ASYMMETRIC, OidcSettings

__all__ = ["TokenRejected", "TokenVerifier"]

_STAFF = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_WHY: tuple[tuple[type[PyJWTError], str], ...] = (
    (ExpiredSignatureError, "the token has expired"),
    (ImmatureSignatureError, "the token is not valid yet (its 'nbf' or 'iat' is in the future)"),
    (InvalidIssuerError, "the token was issued by another issuer"),
    (InvalidAudienceError, "the token is meant for another audience"),
    (InvalidSignatureError, "the token's signature does not match the identity provider's key"),
    (InvalidIssuedAtError, "the token's 'iat' is not a time"),
    (DecodeError, "the token is not a well-formed JSON Web Token"),
)


class TokenRejected(PathwayError):
    """A bearer token the service does not accept; the message says which check failed."""


class _Key:
    """One published key, made ready for each algorithm it is used with (and kept)."""

    def __init__(self, entry: Mapping[str, Any]) -> None:
        self.entry = dict(entry)
        self.ready: dict[str, jwt.PyJWK] = {}

    def make(self, algorithm: str) -> jwt.PyJWK:
        declared = self.entry.get("alg")
        if declared is not None and declared != algorithm:
            raise TokenRejected(f"the key is declared for {declared}, the token uses {algorithm}")
        if algorithm not in self.ready:
            try:
                self.ready[algorithm] = jwt.PyJWK(self.entry, algorithm)
            except PyJWTError:
                raise TokenRejected(f"the key cannot verify {algorithm} signatures") from None
        return self.ready[algorithm]


def _usable(entry: Mapping[str, Any]) -> _Key | None:
    """A signing key of the set, or None for one no token may use (symmetric, for encryption)."""
    if entry.get("kty") not in ("RSA", "EC", "OKP") or entry.get("use", "sig") != "sig":
        return None
    if "d" in entry:  # a private key published by mistake: refuse to trust the set's entry
        return None
    return _Key(entry)


class TokenVerifier:
    """Checks bearer tokens against the provider's key set (see the module docstring)."""

    def __init__(
        self,
        settings: OidcSettings,
        agencies: Callable[[], Collection[str]],
        keys: KeySet[_Key] | None = None,
    ) -> None:
        self.settings = settings
        self.keys: KeySet[_Key] = keys or KeySet(
            _usable,
            url=settings.jwks_url,
            file=settings.jwks_file,
            timeout=settings.timeout,
            refresh=settings.refresh,
        )
        self._agencies = agencies
        self._known: frozenset[str] = frozenset()
        self._looked = -float("inf")
        self._lock = threading.Lock()

    def verify(self, token: str) -> Credential:
        """The agency (and member of staff) a valid token speaks for; `TokenRejected` if not."""
        claims = self._claims(token)
        agency = claims.get(self.settings.agency_claim)
        if not isinstance(agency, str) or not agency:
            raise TokenRejected(f"the token has no '{self.settings.agency_claim}' claim")
        if agency not in self._served(agency):
            raise TokenRejected(f"'{agency}' is not an agency of the pathways served here")
        staff = claims.get(self.settings.staff_claim) if self.settings.staff_claim else None
        if staff is not None and not (isinstance(staff, str) and _STAFF.fullmatch(staff)):
            raise TokenRejected(
                f"the '{self.settings.staff_claim}' claim is not an opaque staff reference"
            )
        return Credential(id="oidc", agency=agency, staff=staff, digest="", created="")

    def _claims(self, token: str) -> dict[str, Any]:
        try:
            header = jwt.get_unverified_header(token)
        except PyJWTError:
            raise TokenRejected("the token is not a well-formed JSON Web Token") from None
        algorithm, kid = header.get("alg"), header.get("kid")
        if algorithm not in self.settings.algorithms or algorithm not in ASYMMETRIC:
            raise TokenRejected(
                f"the algorithm {algorithm!r} is not accepted; only "
                f"{', '.join(self.settings.algorithms)}"
            )
        if kid is not None and not isinstance(kid, str):
            raise TokenRejected("the token's 'kid' is not a string")
        key = self.keys.key(kid)
        if key is None:
            raise TokenRejected("the token names a key the identity provider does not publish")
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key.make(algorithm),
                algorithms=[algorithm],
                audience=self.settings.audience,
                issuer=self.settings.issuer,
                leeway=self.settings.leeway,
                options={"require": ["exp", "iat", "iss", "aud"]},
            )
        except MissingRequiredClaimError as exc:
            raise TokenRejected(f"the token has no '{exc.claim}' claim") from None
        except PyJWTError as exc:
            why = next((w for kind, w in _WHY if isinstance(exc, kind)), "the token is not valid")
            raise TokenRejected(why) from None
        return claims

    def _served(self, agency: str) -> frozenset[str]:
        """The agencies of the pathways served, looked up again (at most once per `refresh`
        seconds) when a token names one not known, as after a pathway is registered."""
        if agency in self._known:
            return self._known
        with self._lock:
            now = time.monotonic()
            if now - self._looked >= self.settings.refresh or not self._known:
                self._known, self._looked = frozenset(self._agencies()), now
            return self._known
