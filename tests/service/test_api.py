"""The journey service's resources: what a case system in any language sees over HTTP."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from pathways.service.keys import KeyRing
from pathways.service.models import ProblemModel
from service.helpers import Service, hull_service

ADULT = {"age_group": "adult", "consent": "given"}
T0 = "2025-03-03T09:00:00+00:00"


@pytest.fixture
def service(tmp_path: Path) -> Service:
    return hull_service(tmp_path)


def _start(service: Service, ref: str = "HULL-0001", by: str = "hull-city-council") -> None:
    body = {"case_ref": ref, "profile": ADULT, "at": T0}
    response = service.client.post("/journeys", json=body, headers=service.auth(by))
    assert response.status_code == 201, response.text


def _problem(response: object) -> dict[str, object]:
    assert response.headers["content-type"] == "application/problem+json"  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    ProblemModel.model_validate(body)
    return body  # type: ignore[no-any-return]


def test_a_journey_is_started_read_and_moved_with_its_revision(service: Service) -> None:
    _start(service)
    got = service.client.get("/journeys/HULL-0001", headers=service.auth("hull-city-council"))
    assert got.status_code == 200
    assert got.headers["etag"] == '"1"'
    assert got.json()["positions"] == {"main": "concern-raised"}
    moved = service.client.post(
        "/journeys/HULL-0001/handoffs",
        json={"handoff": "start-assessment", "at": "2025-03-03T10:00:00Z"},
        headers=service.auth("hull-city-council", **{"If-Match": '"1"'}),
    )
    assert moved.status_code == 200
    assert moved.headers["etag"] == '"2"'
    assert moved.json()["journey"]["positions"] == {"main": "first-responder-assessment"}
    stale = service.client.post(
        "/journeys/HULL-0001/handoffs",
        json={"handoff": "adult-to-consent-discussion"},
        headers=service.auth("hull-city-council", **{"If-Match": '"1"'}),
    )
    assert stale.status_code == 412
    assert _problem(stale)["type"].endswith("#changed-meanwhile")  # type: ignore[union-attr]


def test_a_retried_request_with_its_key_is_applied_once_and_answered_again(
    service: Service,
) -> None:
    _start(service)
    request = {"handoff": "start-assessment", "at": "2025-03-03T10:00:00Z"}
    headers = service.auth("hull-city-council", **{"Idempotency-Key": "try-1"})
    first = service.client.post("/journeys/HULL-0001/handoffs", json=request, headers=headers)
    again = service.client.post("/journeys/HULL-0001/handoffs", json=request, headers=headers)
    assert first.status_code == again.status_code == 200
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json()["events"] == first.json()["events"]
    assert len(service.store.events("HULL-0001")) == 2


def test_the_agency_comes_from_the_key_never_from_the_body(service: Service) -> None:
    _start(service)
    forged = service.client.post(
        "/journeys/HULL-0001/handoffs",
        json={"handoff": "start-assessment", "by": "humberside-police"},
        headers=service.auth("hull-city-council"),
    )
    assert forged.status_code == 422
    assert "by" in _problem(forged)["detail"]  # type: ignore[operator]
    made = service.client.post(
        "/journeys/HULL-0001/handoffs",
        json={"handoff": "start-assessment"},
        headers=service.auth("humberside-police"),
    )
    assert made.status_code == 200
    assert made.json()["events"][0]["by"] == "humberside-police"


def test_a_refusal_names_the_journey_the_stage_and_what_would_be_allowed(service: Service) -> None:
    _start(service)
    refused = service.client.post(
        "/journeys/HULL-0001/handoffs",
        json={"handoff": "refer-adult-to-nrm"},
        headers=service.auth("hull-city-council"),
    )
    assert refused.status_code == 409
    body = _problem(refused)
    assert (body["journey"], body["stage"], body["handoff"]) == (
        "HULL-0001",
        "concern-raised",
        "refer-adult-to-nrm",
    )
    assert body["allowed"] == ["start-assessment"]


def test_an_agency_not_involved_gets_404_as_for_a_journey_that_does_not_exist(
    service: Service,
) -> None:
    _start(service)
    outsider = service.auth("salvation-army")
    hidden = service.client.get("/journeys/HULL-0001", headers=outsider)
    missing = service.client.get("/journeys/HULL-9999", headers=outsider)
    assert hidden.status_code == missing.status_code == 404
    assert _problem(hidden)["title"] == _problem(missing)["title"]
    assert service.client.get("/journeys/HULL-0001/events", headers=outsider).status_code == 404


def test_no_key_or_a_revoked_key_is_401(service: Service, tmp_path: Path) -> None:
    _start(service)
    assert service.client.get("/journeys/HULL-0001").status_code == 401
    bad = service.client.get("/journeys/HULL-0001", headers={"Authorization": "Bearer pw_nope"})
    assert _problem(bad)["status"] == 401
    ring = KeyRing(tmp_path / "keys.json")
    ident = next(c.id for c in ring.keys.values() if c.agency == "hull-city-council")
    ring.revoke(ident)  # as `pathways serve keys revoke` does, while the service runs
    assert (
        service.client.get(
            "/journeys/HULL-0001", headers=service.auth("hull-city-council")
        ).status_code
        == 401
    )


def test_keys_are_kept_hashed_in_a_file_only_the_owner_can_read(tmp_path: Path) -> None:
    ring = KeyRing(tmp_path / "keys.json")
    credential, key = ring.add("hull-city-council", "HCC-0042")
    text = (tmp_path / "keys.json").read_text(encoding="utf-8")
    assert key.split("_", 2)[2] not in text  # the secret (it may hold "_" itself)
    assert json.loads(text)["keys"][0]["staff"] == "HCC-0042"
    assert stat.S_IMODE((tmp_path / "keys.json").stat().st_mode) == 0o600
    assert KeyRing(tmp_path / "keys.json").check(key) == credential
    assert (
        KeyRing(tmp_path / "keys.json").check(key[:-1] + ("A" if key[-1] != "A" else "B")) is None
    )


def test_health_ready_and_the_openapi_document(service: Service) -> None:
    assert service.client.get("/health").json() == {"status": "ok"}
    assert service.client.get("/ready").status_code == 200
    document = service.client.get("/openapi.json").json()
    assert document["openapi"].startswith("3.1")
    for path in ("/journeys", "/journeys/{case_ref}/handoffs", "/journeys/{case_ref}/decline"):
        assert path in document["paths"]
