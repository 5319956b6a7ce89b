"""A journey's state as plain data: what a journey store keeps besides the events.

A snapshot is JSON-ready and names the pathway version by fingerprint, so a journey is only ever
bound to the machine it was recorded on:

```python
{
    "case_ref": "HU-2025-0142",
    "pathway": "humber/hull", "version": "2025.1", "fingerprint": "<sha-256>",
    "profile": {"age_group": "adult", "consent": "declined"},
    "tracks": {"main": {"stage": "duty-to-notify", "since": "2025-03-04T10:15:00+00:00"}},
    "events": 3,
    "last_event_at": "2025-03-04T10:15:00+00:00",
}
```

`tracks` lists the started tracks only, each with its stage and the time it arrived there;
`events` counts the journey's events and `last_event_at` is the time of the latest one. A
journey with lifecycle state (a referral awaiting an answer, a paused clock, an early end, a
correction: `pathways.runtime.lifecycle`) has it under `lifecycle`; others have no such key.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pathways.definition.schema import MAIN_TRACK
from pathways.errors import CorruptRecord
from pathways.runtime.compiler import CompiledPathway
from pathways.runtime.events import utc_text
from pathways.runtime.guards import Value
from pathways.runtime.lifecycle import EMPTY, Lifecycle

__all__ = ["Snapshot", "read_snapshot", "write_snapshot"]


@dataclass(frozen=True, slots=True)
class Snapshot:
    """A snapshot read and checked against its compiled pathway."""

    case_ref: str
    profile: Mapping[str, Value]
    positions: dict[str, str]
    arrivals: dict[str, datetime]
    events: int
    last_event_at: datetime
    lifecycle: Lifecycle = EMPTY


def write_snapshot(
    compiled: CompiledPathway,
    case_ref: str,
    profile: Mapping[str, Value],
    positions: Mapping[str, str],
    arrivals: Mapping[str, datetime],
    events: int,
    last_event_at: datetime,
    lifecycle: Lifecycle = EMPTY,
) -> dict[str, Any]:
    """The snapshot of a journey, as described above (times in UTC)."""
    data: dict[str, Any] = {
        "case_ref": case_ref,
        "pathway": compiled.pathway.id,
        "version": compiled.pathway.version,
        "fingerprint": compiled.fingerprint,
        "profile": dict(profile),
        "tracks": {
            track: {"stage": stage, "since": utc_text(arrivals[track])}
            for track, stage in positions.items()
        },
        "events": events,
        "last_event_at": utc_text(last_event_at),
    }
    life = lifecycle.to_data()
    if life is not None:
        data["lifecycle"] = life
    return data


def read_snapshot(compiled: CompiledPathway, data: Mapping[str, Any]) -> Snapshot:
    """Read and check a snapshot; refuse it with `CorruptRecord` if it does not fit `compiled`."""
    try:
        return _read(compiled, data)
    except CorruptRecord:
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise CorruptRecord(f"a stored journey cannot be read: {exc!r}") from None


def _read(compiled: CompiledPathway, data: Mapping[str, Any]) -> Snapshot:
    case_ref = data["case_ref"]
    if not isinstance(case_ref, str):
        raise TypeError("the case reference is not text")
    if data["fingerprint"] != compiled.fingerprint:
        raise CorruptRecord(
            f"Case {case_ref}: the journey was stored on another version of "
            f"{data.get('pathway')} ({data.get('version')}); bind it to that version"
        )
    problem = compiled.profile_problem(data["profile"])
    if problem is not None:
        raise CorruptRecord(f"Case {case_ref}: {problem}")
    tracks: Mapping[str, Mapping[str, str]] = data["tracks"]
    if MAIN_TRACK not in tracks or any(t not in compiled.tracks for t in tracks):
        raise CorruptRecord(f"Case {case_ref}: the stored tracks do not fit the pathway")
    positions: dict[str, str] = {}
    arrivals: dict[str, datetime] = {}
    for track in compiled.tracks:
        place = tracks.get(track)
        if place is None:
            continue
        rule = compiled.stages.get(place["stage"])
        if rule is None or rule.track != track:
            raise CorruptRecord(f"Case {case_ref}: the stored {track} track does not fit")
        positions[track] = rule.name
        arrivals[track] = _time(place["since"])
    events = data["events"]
    if not isinstance(events, int) or isinstance(events, bool) or events < 1:
        raise CorruptRecord(f"Case {case_ref}: the stored event count is not a whole number")
    return Snapshot(
        case_ref=case_ref,
        profile=compiled.profile(data["profile"]),
        positions=positions,
        arrivals=arrivals,
        events=events,
        last_event_at=_time(data["last_event_at"]),
        lifecycle=Lifecycle.from_data(data.get("lifecycle")),
    )


def _time(text: object) -> datetime:
    if not isinstance(text, str):
        raise TypeError("a stored time is not text")
    at = datetime.fromisoformat(text)
    if at.tzinfo is None:
        raise ValueError(f"the stored time {text} has no time zone")
    return at
