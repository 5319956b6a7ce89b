"""Opening a journey (`pathways.runtime.opening`): `start` checks what it is given; `bind` and
`replay` rebuild a journey from its stored events and snapshot, and refuse what does not fit.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import pytest

from pathways.definition.loader import load_text
from pathways.errors import (
    AuditFailure,
    CorruptRecord,
    HistoryNotLoaded,
    InvalidCaseReference,
    InvalidProfile,
    InvalidTime,
    NotAuthorised,
)
from pathways.runtime.compiler import CompiledPathway, compile_pathway
from pathways.runtime.opening import bind, replay, start
from runtime.helpers import ADULT_DECLINES, FRIDAY, TEXT, child_referred


def test_a_journey_opens_at_the_entry(compiled: CompiledPathway) -> None:
    journey = start(compiled, "TS-1", ADULT_DECLINES, FRIDAY, "council")
    assert journey.positions == {"main": "identified"}
    assert journey.stage == "identified"
    assert not journey.closed
    (event,) = journey.history
    assert (event.what, event.by, event.at, event.to_stage) == (
        "started",
        "council",
        FRIDAY,
        "identified",
    )
    assert dict(event.profile) == ADULT_DECLINES
    assert journey.owners() == {"identified": ("constabulary", "council")}


def test_start_compiles_a_pathway_it_is_given(compiled: CompiledPathway) -> None:
    journey = start(load_text(TEXT), "TS-1", ADULT_DECLINES, FRIDAY, "council")
    assert journey.compiled is compiled


@pytest.mark.parametrize("case_ref", ["", "Jane Smith", " TS-1", "TS\n1", "x" * 200])
def test_a_case_reference_is_an_opaque_code(compiled: CompiledPathway, case_ref: str) -> None:
    with pytest.raises(InvalidCaseReference, match="never a name"):
        start(compiled, case_ref, ADULT_DECLINES, FRIDAY, "council")


def test_times_must_carry_a_time_zone(compiled: CompiledPathway) -> None:
    with pytest.raises(InvalidTime, match="no time zone") as caught:
        start(compiled, "TS-1", ADULT_DECLINES, datetime(2025, 12, 19, 10), "council")
    assert caught.value.journey == "TS-1"


def test_only_an_agency_of_the_pathway_opens_a_journey(compiled: CompiledPathway) -> None:
    with pytest.raises(NotAuthorised) as caught:
        start(compiled, "TS-1", ADULT_DECLINES, FRIDAY, "first-responder")
    assert caught.value.allowed == ("charity", "constabulary", "council")


@pytest.mark.parametrize(
    ("profile", "words"),
    [
        ({"age_group": "adult", "consent": "given"}, "no value for needs_accommodation"),
        ({**ADULT_DECLINES, "name": "Jane"}, "no profile attribute name"),
        ({**ADULT_DECLINES, "age_group": "elderly"}, "'elderly' is not a value of age_group"),
        (
            {**ADULT_DECLINES, "needs_accommodation": "true"},
            "is not a value of needs_accommodation",
        ),
        ({**ADULT_DECLINES, "consent": True}, "True is not a value of consent"),
    ],
)
def test_invalid_profiles_are_refused(
    compiled: CompiledPathway, profile: dict[str, Any], words: str
) -> None:
    with pytest.raises(InvalidProfile, match=words) as caught:
        start(compiled, "TS-1", profile, FRIDAY, "council")
    assert isinstance(caught.value, ValueError)


def test_bind_with_events_equals_the_live_journey(compiled: CompiledPathway) -> None:
    live = child_referred(compiled)
    stored = json.loads(
        json.dumps({"s": live.snapshot(), "e": [e.to_dict() for e in live.history]})
    )
    bound = bind(compiled, stored["s"], stored["e"])
    assert bound == live
    bound.handoff("charge", by="constabulary", at=FRIDAY)
    live.handoff("charge", by="constabulary", at=FRIDAY)
    assert bound == live


def test_bind_without_events_can_hand_off(compiled: CompiledPathway) -> None:
    live = child_referred(compiled)
    bound = bind(compiled, json.loads(json.dumps(live.snapshot())))
    assert bound.positions == live.positions
    assert bound.event_count == 2
    event = bound.handoff("charge", by="constabulary", at=FRIDAY)
    assert event.seq == 2
    assert bound.events_since(2) == (event,)
    with pytest.raises(HistoryNotLoaded):
        bound.history  # noqa: B018
    with pytest.raises(HistoryNotLoaded):
        bound.events_since(1)


def test_bind_refuses_another_version(compiled: CompiledPathway) -> None:
    other = compile_pathway(load_text(TEXT.replace('version: "1"', 'version: "2"')))
    snapshot = child_referred(compiled).snapshot()
    with pytest.raises(CorruptRecord, match="another version"):
        bind(other, snapshot)


@pytest.mark.parametrize(
    "change",
    [
        {"tracks": {"main": {"stage": "charged", "since": "2025-12-19T10:00:00+00:00"}}},
        {"tracks": {"police": {"stage": "charged", "since": "2025-12-19T10:00:00+00:00"}}},
        {"profile": {"age_group": "adult"}},
        {"events": 0},
        {"last_event_at": "2025-12-19T10:00:00"},
        {"case_ref": None},
    ],
)
def test_bind_refuses_snapshots_that_do_not_fit(
    compiled: CompiledPathway, change: dict[str, Any]
) -> None:
    snapshot = {**child_referred(compiled).snapshot(), **change}
    with pytest.raises(CorruptRecord):
        bind(compiled, snapshot)


def test_bind_refuses_a_wrong_number_of_events(compiled: CompiledPathway) -> None:
    live = child_referred(compiled)
    with pytest.raises(CorruptRecord, match="counts 2 events"):
        bind(compiled, live.snapshot(), live.history[:1])


def test_replay_rebuilds_the_live_journey(compiled: CompiledPathway) -> None:
    live = child_referred(compiled)
    live.update_profile("age_group", "adult", by="council", at=FRIDAY + timedelta(days=2))
    live.tick(FRIDAY + timedelta(days=60))
    rebuilt = replay(compiled, live.case_ref, [e.to_dict() for e in live.history])
    assert rebuilt == live
    assert rebuilt.history == live.history


def test_replay_finds_an_edited_event(compiled: CompiledPathway) -> None:
    events = [e.to_dict() for e in child_referred(compiled).history]
    events[1]["to"] = "supported"
    with pytest.raises(AuditFailure) as caught:
        replay(compiled, "TS-CHILD-1", events)
    assert caught.value.event == 1


def test_replay_finds_a_handoff_that_could_not_have_happened(compiled: CompiledPathway) -> None:
    events = [e.to_dict() for e in child_referred(compiled).history]
    events[1]["by"] = "charity"
    with pytest.raises(AuditFailure, match="cannot have happened") as caught:
        replay(compiled, "TS-CHILD-1", events)
    assert caught.value.event == 1


def test_replay_needs_the_opening_event(compiled: CompiledPathway) -> None:
    events = [e.to_dict() for e in child_referred(compiled).history]
    with pytest.raises(AuditFailure):
        replay(compiled, "TS-CHILD-1", events[1:])


def test_journeys_bound_from_equal_snapshots_move_alone(compiled: CompiledPathway) -> None:
    snapshot = child_referred(compiled).snapshot()
    first, second = bind(compiled, snapshot), bind(compiled, snapshot)
    assert first.machine_state is second.machine_state  # shared until one moves
    first.handoff("charge", by="constabulary", at=FRIDAY)
    assert first.positions["police"] == "charged"
    assert second.positions["police"] == "crime-recorded"
