"""The authorisation matrix: for every handoff and every agency of the Hull pathway, at each
step of real journeys, the service allows exactly what the library allows that agency (the
agency being the key's, whatever the body says), and answers 404 to an agency the journey does
not involve."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from pathways.errors import PathwayError
from pathways.runtime.journey import Journey
from pathways.service.problems import problem_for
from pathways.service.visibility import involved
from service.helpers import Service, hull_service

PROFILES = (
    {"age_group": "adult", "consent": "given"},
    {"age_group": "child", "consent": "given"},
    {"age_group": "adult", "consent": "declined"},
)
T0 = datetime(2025, 3, 3, 9, tzinfo=UTC)
STEPS = 6


def _route(service: Service, profile: dict[str, Any], ref: str) -> list[tuple[str, str, str]]:
    """A route through Hull for `profile`: (action, handoff, agency) steps, each allowed."""
    service.store.create(ref, profile, at=T0, by="hull-city-council")
    steps: list[tuple[str, str, str]] = []
    for number in range(STEPS):
        journey = service.store.load(ref)
        at = T0 + timedelta(days=number + 1)
        pending = journey.awaiting()
        if pending:
            handoff = sorted(p.handoff for p in pending.values())[0]
            stage = journey.positions[next(iter(pending))]
            agency = journey.compiled.stages[stage].owners[0]
            service.store.accept(ref, handoff, by=agency, at=at)
            steps.append(("accept", handoff, agency))
            continue
        options = [
            (option.trigger, agency)
            for agency in sorted(journey.compiled.pathway.agencies)
            for option in journey.available(by=agency)
            if option.open
        ]
        if not options:
            break
        handoff, agency = sorted(options)[0]
        service.store.handoff(ref, handoff, by=agency, at=at)
        steps.append(("handoff", handoff, agency))
    return steps


def _library(journey: Journey, trigger: str, agency: str, at: str) -> PathwayError | None:
    """What the library does when `agency` makes `trigger` now: None, or its refusal."""
    copy = journey.detached()
    try:
        copy.handoff(trigger, by=agency, at=datetime.fromisoformat(at))
    except PathwayError as exc:
        return exc
    return None


def _replayed(service: Service, ref: str, profile: dict[str, Any], steps: list[Any]) -> Journey:
    service.store.create(ref, profile, at=T0, by="hull-city-council")
    for number, (action, handoff, agency) in enumerate(steps):
        at = T0 + timedelta(days=number + 1)
        if action == "accept":
            service.store.accept(ref, handoff, by=agency, at=at)
        else:
            service.store.handoff(ref, handoff, by=agency, at=at)
    return service.store.load(ref)


@pytest.mark.slow
@pytest.mark.parametrize("profile", PROFILES, ids=lambda p: "-".join(p.values()))
def test_the_service_allows_exactly_what_the_library_allows(
    tmp_path: Path, profile: dict[str, Any]
) -> None:
    service = hull_service(tmp_path)
    steps = _route(service, profile, "route")
    agencies = sorted(service.keys)
    checked = 0
    for depth in range(len(steps) + 1):
        probe = _replayed(service, f"probe-{depth}", profile, steps[:depth])
        at = (T0 + timedelta(days=depth + 1)).isoformat()
        triggers = sorted({r.name for r in probe.compiled.exits(probe.positions)})
        for trigger in triggers:
            for agency in agencies:
                ref = f"m-{depth}-{trigger}-{agency}"[:120]
                journey = _replayed(service, ref, profile, steps[:depth])
                library = _library(journey, trigger, agency, at)
                sees = involved(journey, agency)
                answer = service.client.post(
                    f"/journeys/{ref}/handoffs",
                    json={"handoff": trigger, "at": at},
                    headers=service.auth(agency),
                )
                checked += 1
                if library is None:
                    assert answer.status_code == 200, (ref, answer.text)
                    assert answer.json()["events"][0]["by"] == agency
                elif not sees:
                    assert answer.status_code == 404, (ref, answer.text)
                else:
                    assert answer.status_code == problem_for(library, "")[0], (ref, answer.text)
                    assert answer.json()["detail"] == str(library)
    assert checked > 20
