"""Who is calling: an API key (`pw_...`) or, when configured, an OpenID Connect bearer token.

`caller_dependency(keys, tokens)` gives the FastAPI dependency every journey route takes. It
reads `Authorization: Bearer <credential>`: a credential shaped as an API key is checked against
the key file (`service.keys`), anything else against the identity provider's keys
(`service.oidc`) when the service accepts tokens. Either way the answer is the `Credential` whose
agency (and member of staff) act; a refusal is 401 with problem details saying why and a
`WWW-Authenticate` header (RFC 6750); 503 when the provider's key set cannot be fetched.

The OpenAPI document lists both ways as alternative security schemes: `apiKey` (HTTP bearer)
and, when tokens are accepted, `oidc` (OpenID Connect, with the issuer's discovery URL).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer, OpenIdConnect

from pathways.service.jwks import KeysUnavailable
from pathways.service.keys import Credential, KeyRing
from pathways.service.oidc import TokenRejected, TokenVerifier
from pathways.service.problems import BASE, unauthorised
from pathways.service.refused import Refused
from pathways.store import JourneyStore

__all__ = ["caller_dependency", "served_agencies"]

_API_KEY = HTTPBearer(
    scheme_name="apiKey",
    bearerFormat="pw_<id>_<secret>",
    description="an API key from 'pathways serve keys add --agency X'",
    auto_error=False,
)
_Bearer = Annotated[HTTPAuthorizationCredentials | None, Depends(_API_KEY)]


def served_agencies(store: JourneyStore) -> Callable[[], Collection[str]]:
    """The agencies of every pathway version the store holds (looked up when called)."""

    def agencies() -> Collection[str]:
        with store.reading() as conn:
            rows = store.versions.all(conn)
        return {a for r in rows for a in store.versions.compiled(r.fingerprint).pathway.agencies}

    return agencies


def _token_refused(instance: str, why: str) -> Refused:
    words = why.replace('"', "'")
    return Refused(
        401,
        {
            "type": BASE + "invalid-token",
            "title": "The bearer token is not accepted",
            "status": 401,
            "detail": why,
            "instance": instance,
        },
        {"WWW-Authenticate": f'Bearer error="invalid_token", error_description="{words}"'},
    )


def _keys_unavailable(instance: str) -> Refused:
    return Refused(
        503,
        {
            "type": BASE + "identity-provider-unavailable",
            "title": "The identity provider's keys cannot be fetched",
            "status": 503,
            "detail": "tokens cannot be checked now; try again shortly",
            "instance": instance,
        },
        {"Retry-After": "5"},
    )


def _no_key(instance: str) -> Refused:
    status, body = unauthorised(instance)
    return Refused(status, body, {"WWW-Authenticate": 'Bearer realm="pathways"'})


def caller_dependency(keys: KeyRing, tokens: TokenVerifier | None) -> Callable[..., Credential]:
    """The dependency that names the caller (see the module docstring)."""
    if tokens is None:

        def by_key(request: Request, bearer: _Bearer) -> Credential:
            credential = keys.check(bearer.credentials) if bearer is not None else None
            if credential is None:
                raise _no_key(request.url.path)
            return credential

        return by_key

    discovery = tokens.settings.issuer.rstrip("/") + "/.well-known/openid-configuration"
    oidc = OpenIdConnect(
        openIdConnectUrl=discovery,
        scheme_name="oidc",
        description=f"a bearer token from {tokens.settings.issuer} naming the agency in "
        f"'{tokens.settings.agency_claim}'",
        auto_error=False,
    )
    listed = Depends(oidc)

    def by_key_or_token(
        request: Request,
        bearer: _Bearer,
        _: Any = listed,  # the same header, listed as a second way to authenticate
    ) -> Credential:
        if bearer is None:
            raise _no_key(request.url.path)
        presented = bearer.credentials
        if presented.startswith("pw_"):
            credential = keys.check(presented)
            if credential is None:
                raise _no_key(request.url.path)
            return credential
        try:
            return tokens.verify(presented)
        except TokenRejected as exc:
            raise _token_refused(request.url.path, str(exc)) from None
        except KeysUnavailable:
            raise _keys_unavailable(request.url.path) from None

    return by_key_or_token
