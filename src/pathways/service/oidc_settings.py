"""The settings of OAuth 2 / OpenID Connect bearer tokens, beside API keys (optional).

In the service's configuration file, under `oidc`, or in the environment (which wins):

| setting | environment | default |
| --- | --- | --- |
| `issuer` | `PATHWAYS_OIDC_ISSUER` | none: tokens are not accepted |
| `audience` | `PATHWAYS_OIDC_AUDIENCE` | required with `issuer` |
| `jwks_url` | `PATHWAYS_OIDC_JWKS_URL` | one of the two is required |
| `jwks_file` | `PATHWAYS_OIDC_JWKS_FILE` | |
| `algorithms` | `PATHWAYS_OIDC_ALGORITHMS` (comma-separated) | `RS256`, `ES256` |
| `agency_claim` | `PATHWAYS_OIDC_AGENCY_CLAIM` | `pathways_agency` |
| `staff_claim` | `PATHWAYS_OIDC_STAFF_CLAIM` | none: tokens name no member of staff |
| `leeway` | `PATHWAYS_OIDC_LEEWAY` (seconds) | 30 |
| `refresh` | `PATHWAYS_OIDC_REFRESH` (seconds) | 60 |
| `timeout` | `PATHWAYS_OIDC_TIMEOUT` (seconds) | 5 |

`refresh` is the shortest time between two fetches of the key set when a token names a key id
(`kid`) the service does not know (a new key after a rotation at the identity provider): a
flood of tokens with unknown ids fetches it at most once per `refresh` seconds. The key set is
also fetched again when it is an hour old. Only asymmetric algorithms are allowed: never `none`,
never `HS256` and the like, whose "key" would be the identity provider's public key.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any
from urllib.parse import urlsplit

from pathways.errors import PathwayError

__all__ = ["ASYMMETRIC", "OidcSettings", "SettingsError"]

#: The signature algorithms a token may use: public-key ones only.
ASYMMETRIC = frozenset(
    {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}
)
_LOOPBACK = {"127.0.0.1", "::1", "localhost"}


class SettingsError(PathwayError, ValueError):
    """OIDC settings that cannot work (a missing issuer or audience, an unsafe algorithm)."""


@dataclass(frozen=True)
class OidcSettings:
    """Where tokens come from, for whom, and how they name the agency and the member of staff."""

    issuer: str
    audience: str
    jwks_url: str | None = None
    jwks_file: str | None = None
    algorithms: tuple[str, ...] = ("RS256", "ES256")
    agency_claim: str = "pathways_agency"
    staff_claim: str | None = None
    leeway: float = 30.0
    refresh: float = 60.0
    timeout: float = 5.0

    def __post_init__(self) -> None:
        if not self.issuer or not self.audience:
            raise SettingsError("oidc: both 'issuer' and 'audience' are needed")
        if (self.jwks_url is None) == (self.jwks_file is None):
            raise SettingsError("oidc: name the key set with one of 'jwks_url' or 'jwks_file'")
        if self.jwks_url is not None:
            parts = urlsplit(self.jwks_url)
            if parts.scheme != "https" and not (
                parts.scheme == "http" and parts.hostname in _LOOPBACK
            ):
                raise SettingsError(
                    "oidc: 'jwks_url' must be https (plain http only on loopback, for tests)"
                )
        unsafe = [a for a in self.algorithms if a not in ASYMMETRIC]
        if unsafe or not self.algorithms:
            raise SettingsError(
                f"oidc: algorithms {', '.join(unsafe) or '(none)'} not allowed; choose among "
                f"{', '.join(sorted(ASYMMETRIC))} (never 'none' or HS256 and the like)"
            )
        if self.leeway < 0 or self.refresh < 0 or self.timeout <= 0:
            raise SettingsError("oidc: 'leeway' and 'refresh' are >= 0, 'timeout' > 0 seconds")

    @classmethod
    def read(cls, section: object, environ: Mapping[str, str] | None = None) -> OidcSettings | None:
        """The settings from a configuration file's `oidc` section and the environment, or None
        when neither names an issuer (then only API keys are accepted)."""
        environ = os.environ if environ is None else environ
        if section is None:
            section = {}
        if not isinstance(section, Mapping):
            raise SettingsError("oidc: a set of keys and values, such as 'issuer: https://...'")
        names = {f.name for f in fields(cls)}
        unknown = set(section) - names
        if unknown:
            raise SettingsError(f"oidc: unknown setting(s): {', '.join(sorted(unknown))}")
        data: dict[str, Any] = dict(section)
        for name in names:
            value = environ.get(_variable(name))
            if value:
                data[name] = value
        if not data.get("issuer"):
            if data:
                raise SettingsError("oidc: 'issuer' is needed to accept tokens")
            return None
        try:
            return cls(**_typed(data))
        except (TypeError, ValueError) as exc:
            if isinstance(exc, SettingsError):
                raise
            raise SettingsError(f"oidc: {exc}") from None

    def environment(self) -> dict[str, str]:
        """The settings as the environment variables the service's workers read."""
        out: dict[str, str] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value is None:
                continue
            out[_variable(f.name)] = ",".join(value) if isinstance(value, tuple) else str(value)
        return out


def _variable(name: str) -> str:
    return f"PATHWAYS_OIDC_{name.upper()}"


def _typed(data: Mapping[str, Any]) -> dict[str, Any]:
    typed = {k: v for k, v in data.items() if v is not None}
    for name in ("issuer", "audience", "jwks_url", "jwks_file", "agency_claim", "staff_claim"):
        if name in typed:
            typed[name] = str(typed[name])
    for name in ("leeway", "refresh", "timeout"):
        if name in typed:
            typed[name] = float(typed[name])
    algorithms = typed.get("algorithms")
    if isinstance(algorithms, str):
        typed["algorithms"] = tuple(a.strip() for a in algorithms.split(",") if a.strip())
    elif isinstance(algorithms, list | tuple):
        typed["algorithms"] = tuple(str(a) for a in algorithms)
    return typed
