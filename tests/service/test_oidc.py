"""OpenID Connect bearer tokens beside API keys: a case system whose staff sign in at the
partnership's identity provider acts as the agency its token names, and no forged, stale or
misdirected token writes anything."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from paths import HULL
from pathways import load
from pathways.service.app import create_app
from pathways.service.auth import served_agencies
from pathways.service.jwks import KeySet
from pathways.service.keys import KeyRing
from pathways.service.oidc import TokenVerifier, _usable
from pathways.service.oidc_settings import OidcSettings
from pathways.service.server import load_config
from pathways.store import JourneyStore
from service.idp import AUDIENCE, ISSUER, SigningKey, claims, serving, token

ADULT = {"age_group": "adult", "consent": "given"}
START = {"case_ref": "HULL-0001", "profile": ADULT, "at": "2025-03-03T09:00:00Z"}


@pytest.fixture(scope="module")
def rsa_key() -> SigningKey:
    return SigningKey("idp-2026-1")


@pytest.fixture(scope="module")
def other_key() -> SigningKey:
    return SigningKey("idp-2026-1")  # the same id, another key: a forger's


class Site:
    """A service over a fresh SQLite store that accepts tokens and the council's API key."""

    def __init__(self, folder: Path, settings: OidcSettings, keys: KeySet[Any] | None = None):
        self.store = JourneyStore(f"sqlite:///{folder / 'j.db'}", pathways=[load(HULL)])
        ring = KeyRing(folder / "keys.json")
        self.api_key = ring.add("hull-city-council")[1]
        self.verifier = TokenVerifier(settings, served_agencies(self.store), keys)
        self.client = TestClient(create_app(self.store, ring, tokens=self.verifier))

    def start(self, credential: str, ref: str = "HULL-0001") -> Any:
        body = {**START, "case_ref": ref}
        return self.client.post(
            "/journeys", json=body, headers={"Authorization": f"Bearer {credential}"}
        )


def _settings(**given: Any) -> OidcSettings:
    return OidcSettings(issuer=ISSUER, audience=AUDIENCE, staff_claim="pathways_staff", **given)


@pytest.fixture
def site(tmp_path: Path, rsa_key: SigningKey) -> Iterator[Site]:
    with serving(rsa_key) as idp:
        yield Site(tmp_path, _settings(jwks_url=idp.url, leeway=5))


def test_a_valid_token_acts_as_its_agency_and_member_of_staff(site: Site, rsa_key: SigningKey):
    made = site.start(token(rsa_key, claims(pathways_staff="HCC-0042")))
    assert made.status_code == 201, made.text
    (opened,) = site.store.events("HULL-0001")
    assert (opened.by, opened.staff) == ("hull-city-council", "HCC-0042")
    police = token(rsa_key, claims("humberside-police"))
    moved = site.client.post(
        "/journeys/HULL-0001/handoffs",
        json={"handoff": "start-assessment", "at": "2025-03-03T10:00:00Z"},
        headers={"Authorization": f"Bearer {police}"},
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["events"][0]["by"] == "humberside-police"


def test_a_token_from_a_key_set_file_on_an_elliptic_curve(tmp_path: Path) -> None:
    key = SigningKey("ec-1", "ES256")
    file = tmp_path / "jwks.json"
    file.write_text(json.dumps({"keys": [key.jwk()]}), encoding="utf-8")
    site = Site(tmp_path, _settings(jwks_file=str(file)))
    assert site.start(token(key, claims())).status_code == 201


def _now() -> int:
    return int(time.time())


# Each of these is refused with 401 and problem details saying why; nothing is written.
REFUSED: dict[str, tuple[Any, str]] = {
    "expired": (lambda k, o: token(k, claims(exp=_now() - 60)), "expired"),
    "not yet valid": (lambda k, o: token(k, claims(nbf=_now() + 600)), "not valid yet"),
    "issued in the future": (lambda k, o: token(k, claims(iat=_now() + 600)), "not valid yet"),
    "another issuer": (lambda k, o: token(k, claims(iss="https://evil.example")), "issuer"),
    "another audience": (lambda k, o: token(k, claims(aud="another-service")), "audience"),
    "a forged signature": (lambda k, o: token(o, claims()), "signature"),
    "alg none": (lambda k, o: token(None, claims(), header={"alg": "none", "kid": k.kid}), "none"),
    "HS256 keyed with the public key": (
        lambda k, o: token(
            None, claims(), header={"alg": "HS256", "kid": k.kid}, hmac_secret=k.public_pem()
        ),
        "HS256",
    ),
    "an unknown key id": (
        lambda k, o: token(k, claims(), header={"alg": "RS256", "kid": "nobody"}),
        "does not publish",
    ),
    "an agency not served": (lambda k, o: token(k, claims("acme-agency")), "acme-agency"),
    "no agency claim": (lambda k, o: token(k, claims(pathways_agency=None)), "pathways_agency"),
    "no expiry": (lambda k, o: token(k, claims(exp=None)), "'exp'"),
    "a name as staff reference": (
        lambda k, o: token(k, claims(pathways_staff="jane.doe@hull.gov.uk")),
        "opaque",
    ),
    "not a token at all": (lambda k, o: "not-a-jwt", "well-formed"),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_a_bad_token_is_401_with_the_reason_and_nothing_is_written(
    site: Site, rsa_key: SigningKey, other_key: SigningKey, case: str
) -> None:
    make, words = REFUSED[case]
    refused = site.start(make(rsa_key, other_key))
    assert refused.status_code == 401, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.headers["www-authenticate"].startswith('Bearer error="invalid_token"')
    body = refused.json()
    assert body["type"].endswith("#invalid-token")
    assert words in body["detail"]
    assert site.store.case_refs() == []


def test_a_key_rotated_in_at_the_provider_is_picked_up(tmp_path: Path, rsa_key: SigningKey):
    clock = [1000.0]
    with serving(rsa_key) as idp:
        keys = KeySet(_usable, url=idp.url, timeout=5, refresh=60, clock=lambda: clock[0])
        site = Site(tmp_path, _settings(jwks_url=idp.url, refresh=60), keys)
        assert site.start(token(rsa_key, claims()), "HULL-0001").status_code == 201
        rotated = SigningKey("idp-2026-2")
        idp.keys = [rotated]  # the provider signs with a new key from now on
        clock[0] += 61
        assert site.start(token(rotated, claims()), "HULL-0002").status_code == 201
        assert idp.fetches == 2


def test_a_flood_of_unknown_key_ids_fetches_the_key_set_at_most_once_a_refresh(
    tmp_path: Path, rsa_key: SigningKey
) -> None:
    clock = [1000.0]
    with serving(rsa_key) as idp:
        keys = KeySet(_usable, url=idp.url, timeout=5, refresh=60, clock=lambda: clock[0])
        site = Site(tmp_path, _settings(jwks_url=idp.url), keys)
        for n in range(50):
            forged = token(rsa_key, claims(), header={"alg": "RS256", "kid": f"made-up-{n}"})
            assert site.start(forged).status_code == 401
            clock[0] += 1  # 50 seconds in all: within one refresh interval
        assert idp.fetches == 1
        clock[0] += 10
        site.start(token(rsa_key, claims(), header={"alg": "RS256", "kid": "made-up-again"}))
        assert idp.fetches == 2
        assert site.start(token(rsa_key, claims()), "HULL-0003").status_code == 201
        assert idp.fetches == 2


def test_a_provider_that_does_not_answer_in_time_gives_503(tmp_path: Path, rsa_key: SigningKey):
    with serving(rsa_key, stall=3) as idp:
        site = Site(tmp_path, _settings(jwks_url=idp.url, timeout=0.5))
        began = time.monotonic()
        answer = site.start(token(rsa_key, claims()))
        assert time.monotonic() - began < 2.5
    assert answer.status_code == 503
    assert answer.json()["type"].endswith("#identity-provider-unavailable")
    assert site.store.case_refs() == []


def test_api_keys_still_work_beside_tokens(site: Site) -> None:
    assert site.start(site.api_key).status_code == 201
    assert site.start("pw_000000000000_" + "x" * 40, "HULL-0002").status_code == 401
    assert site.client.get("/journeys/HULL-0001").status_code == 401


def test_the_openapi_document_lists_both_ways_to_authenticate(site: Site) -> None:
    document = site.client.get("/openapi.json").json()
    schemes = document["components"]["securitySchemes"]
    assert schemes["apiKey"] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "pw_<id>_<secret>",
        "description": "an API key from 'pathways serve keys add --agency X'",
    }
    assert schemes["oidc"]["type"] == "openIdConnect"
    assert schemes["oidc"]["openIdConnectUrl"] == f"{ISSUER}/.well-known/openid-configuration"
    handoffs = document["paths"]["/journeys/{case_ref}/handoffs"]["post"]
    assert {"apiKey": []} in handoffs["security"]
    assert {"oidc": []} in handoffs["security"]


@pytest.mark.parametrize("algorithm", ["none", "HS256", "HS512"])
def test_settings_refuse_unsafe_algorithms(algorithm: str) -> None:
    with pytest.raises(ValueError, match="not allowed"):
        _settings(jwks_file="jwks.json", algorithms=("RS256", algorithm))


def test_settings_refuse_a_key_set_fetched_over_plain_http_off_loopback() -> None:
    with pytest.raises(ValueError, match="https"):
        _settings(jwks_url="http://idp.example/certs")


def test_settings_come_from_the_file_and_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = tmp_path / "service.yaml"
    file.write_text(
        f"oidc:\n  issuer: {ISSUER}\n  audience: {AUDIENCE}\n  jwks_file: /etc/jwks.json\n"
        "  algorithms: [ES256]\n  staff_claim: staff_ref\n  leeway: 10\n",
        encoding="utf-8",
    )
    config = load_config(str(file), {})
    assert config.oidc == OidcSettings(
        issuer=ISSUER,
        audience=AUDIENCE,
        jwks_file="/etc/jwks.json",
        algorithms=("ES256",),
        staff_claim="staff_ref",
        leeway=10,
    )
    monkeypatch.setenv("PATHWAYS_OIDC_AUDIENCE", "from-the-environment")
    monkeypatch.setenv("PATHWAYS_OIDC_ALGORITHMS", "RS256,PS256")
    again = load_config(str(file), {})
    assert again.oidc is not None
    assert again.oidc.audience == "from-the-environment"
    assert again.oidc.algorithms == ("RS256", "PS256")
    # the workers read the settings back from the environment `run` gives them
    for name, value in again.environment().items():
        monkeypatch.setenv(name, value)
    assert load_config(None, {}).oidc == again.oidc
    file.write_text("oidc:\n  audience: x\n", encoding="utf-8")
    for name in again.environment():
        monkeypatch.delenv(name)
    with pytest.raises(ValueError, match="issuer"):
        load_config(str(file), {})
