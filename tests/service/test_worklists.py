"""`GET /worklist`: the key's agency's open work, overdue at a time, awaiting its answer, by
stage, page by page; the same as working it out by loading every journey (the oracle of the
store's worklist tests), and never another agency's work."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from paths import ROOT
from service.helpers import Service, hull_service
from store.worklist_oracle import brute_worklist

T0 = datetime(2025, 3, 3, 9, tzinfo=UTC)
PROFILES = (
    {"age_group": "adult", "consent": "given"},
    {"age_group": "child", "consent": "given"},
    {"age_group": "adult", "consent": "declined"},
)


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Service:
    """Journeys at different places: each moved on by a different number of steps."""
    made = hull_service(tmp_path_factory.mktemp("worklists"))
    store = made.store
    for number in range(9):
        ref = f"HULL-{number:04d}"
        store.create(ref, PROFILES[number % 3], at=T0, by="hull-city-council")
        for step in range(number % 5):
            journey = store.load(ref)
            at = T0 + timedelta(days=step + 1)
            pending = journey.awaiting()
            if pending:
                track, waiting = sorted(pending.items())[0]
                owner = journey.compiled.stages[journey.positions[track]].owners[0]
                store.accept(ref, waiting.handoff, by=owner, at=at)
                continue
            options = sorted(
                (o.trigger, agency)
                for agency in sorted(journey.compiled.pathway.agencies)
                for o in journey.available(by=agency)
                if o.open
            )
            if not options:
                break
            store.handoff(ref, options[0][0], by=options[0][1], at=at)
    return made


def _listed(service: Service, agency: str, **query: Any) -> list[dict[str, Any]]:
    answer = service.client.get("/worklist", params=query, headers=service.auth(agency))
    assert answer.status_code == 200, answer.text
    return list(answer.json()["items"])


def _keys(items: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    return [(i["case_ref"], i["track"], i["stage"]) for i in items]


@pytest.mark.parametrize("days", [0, 10, 60])
def test_each_agency_gets_its_own_work_as_the_journeys_say(service: Service, days: int) -> None:
    at = T0 + timedelta(days=days)
    journeys = [service.store.load(r) for r in service.store.case_refs()]
    seen = set()
    for agency in sorted(service.keys):
        for overdue in (False, True):
            items = _listed(service, agency, at=at.isoformat(), overdue=overdue)
            assert _keys(items) == brute_worklist(journeys, agency, at, overdue=overdue)
            seen |= {i["case_ref"] for i in items}
            for item in items:
                assert (item["overdue_by_seconds"] is not None) == (
                    item["due"] is not None and datetime.fromisoformat(item["due"]) <= at
                )
        waiting = _listed(service, agency, at=at.isoformat(), awaiting_acceptance=True)
        assert _keys(waiting) == brute_worklist(journeys, agency, at, awaiting=True)
        assert all(i["awaiting_acceptance"] and i["referral"] for i in waiting)
    assert len(seen) > 3


def test_by_stage_and_page_by_page(service: Service) -> None:
    journeys = [service.store.load(r) for r in service.store.case_refs()]
    agency = "hull-city-council"
    everything = _listed(service, agency)
    assert len(everything) > 2
    stage = everything[0]["stage"]
    by_stage = _listed(service, agency, stage=stage)
    assert _keys(by_stage) == brute_worklist(journeys, agency, datetime.now(UTC), stage=stage)
    pages, after = [], None
    for _ in range(len(everything) + 1):
        query: dict[str, Any] = {"limit": 2, **({"after": after} if after else {})}
        answer = service.client.get("/worklist", params=query, headers=service.auth(agency))
        pages += answer.json()["items"]
        after = answer.json()["next"]
        if after is None:
            break
    assert pages == everything


def test_refusals_are_problem_details(service: Service) -> None:
    assert service.client.get("/worklist").status_code == 401
    council = service.auth("hull-city-council")
    for query in ({"limit": 0}, {"at": "2025-03-03T09:00:00"}, {"after": "no-cursor"}):
        answer = service.client.get("/worklist", params=query, headers=council)
        assert answer.status_code == 422, (query, answer.text)
        assert answer.headers["content-type"] == "application/problem+json"
    document = service.client.get("/openapi.json").json()
    assert "/worklist" in document["paths"]


def test_the_documented_example_has_the_shape_of_an_answer(service: Service) -> None:
    text = (ROOT / "docs" / "service.md").read_text(encoding="utf-8")
    found = re.search(r"```json\n(\{\"items\".*?)```", text, re.S)
    assert found is not None
    example = json.loads(found.group(1))
    answer = service.client.get("/worklist", headers=service.auth("hull-city-council")).json()
    assert set(example) == set(answer)
    assert set(example["items"][0]) == set(answer["items"][0])
