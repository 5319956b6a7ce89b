"""A journey's events (`pathways.runtime.events`): canonical JSON that reads back the same, and
malformed records refused.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from pathways.errors import (
    CorruptRecord,
)
from pathways.runtime.compiler import CompiledPathway
from pathways.runtime.events import Event
from runtime.helpers import FRIDAY, child_referred


def test_events_round_trip_through_canonical_json(compiled: CompiledPathway) -> None:
    journey = child_referred(compiled)
    journey.update_profile("age_group", "adult", by="charity", at=FRIDAY)
    for event in journey.history:
        data = json.loads(json.dumps(event.to_dict()))
        assert Event.from_dict(data) == event
        assert Event.from_dict(data).to_dict() == event.to_dict()
    assert journey.history[1].to_dict()["at"] == "2025-12-19T10:00:00+00:00"


@pytest.mark.parametrize(
    "broken",
    [
        {"what": "party"},
        {"at": "yesterday"},
        {"at": "2025-12-19T10:00:00"},
        {"seq": -1},
        {"shares": [1]},
    ],
)
def test_malformed_events_are_refused(compiled: CompiledPathway, broken: dict[str, Any]) -> None:
    data = {**child_referred(compiled).history[1].to_dict(), **broken}
    with pytest.raises(CorruptRecord):
        Event.from_dict(data)
