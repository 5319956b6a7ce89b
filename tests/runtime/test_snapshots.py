"""A journey's state as plain data (`pathways.runtime.snapshots`): a snapshot is JSON that reads
back to the same state, and one that does not fit its compiled pathway is refused as corrupt."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pathways.definition.loader import load_text
from pathways.errors import CorruptRecord
from pathways.runtime.compiler import CompiledPathway, compile_pathway
from pathways.runtime.snapshots import read_snapshot
from runtime.helpers import FRIDAY, TEXT, child_referred


def test_a_snapshot_is_json_that_reads_back_to_the_journey(compiled: CompiledPathway) -> None:
    journey = child_referred(compiled)
    data = json.loads(json.dumps(journey.snapshot()))
    assert data["tracks"] == {
        "main": {"stage": "nrm-referral", "since": "2025-12-19T10:00:00+00:00"},
        "police": {"stage": "crime-recorded", "since": "2025-12-19T10:00:00+00:00"},
    }
    snapshot = read_snapshot(compiled, data)
    assert snapshot.case_ref == "TS-CHILD-1"
    assert snapshot.positions == journey.positions
    assert snapshot.arrivals == {"main": FRIDAY, "police": FRIDAY}
    assert dict(snapshot.profile) == dict(journey.profile)
    assert snapshot.events == len(journey.history)
    assert snapshot.last_event_at == FRIDAY


def test_a_snapshot_of_another_version_is_refused(compiled: CompiledPathway) -> None:
    other = compile_pathway(load_text(TEXT.replace('version: "1"', 'version: "2"')))
    assert other.fingerprint != compiled.fingerprint
    data = child_referred(other).snapshot()
    with pytest.raises(CorruptRecord, match=r"another version of test/journeys \(2\)"):
        read_snapshot(compiled, data)


@pytest.mark.parametrize(
    ("change", "said"),
    [
        ({"profile": {"age_group": "elderly"}}, "Case TS-CHILD-1"),
        ({"tracks": {"police": {"stage": "crime-recorded", "since": "x"}}}, "tracks do not fit"),
        (
            {"tracks": {"main": {"stage": "crime-recorded", "since": "2025-12-19T10:00:00"}}},
            "main track does not fit",
        ),
        ({"events": 0}, "event count"),
        ({"events": True}, "event count"),
        ({"last_event_at": "2025-12-19T10:00:00"}, "has no time zone"),
        ({"last_event_at": 17}, "not text"),
        ({"case_ref": 17}, "case reference is not text"),
    ],
)
def test_a_snapshot_that_does_not_fit_is_corrupt(
    compiled: CompiledPathway, change: dict[str, Any], said: str
) -> None:
    data = {**child_referred(compiled).snapshot(), **change}
    with pytest.raises(CorruptRecord, match=said):
        read_snapshot(compiled, data)


def test_a_snapshot_missing_a_key_cannot_be_read(compiled: CompiledPathway) -> None:
    data = child_referred(compiled).snapshot()
    del data["events"]
    with pytest.raises(CorruptRecord, match="cannot be read"):
        read_snapshot(compiled, data)
