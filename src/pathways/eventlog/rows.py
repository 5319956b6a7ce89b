"""One row per event of a journey: the shape every event-log format is written from.

A row has the case (an opaque pseudonym unless asked otherwise), the activity (the handoff's
name, `start` for the journey opening, `profile:<attribute>` for a profile change, and
`<kind>[:<handoff>]` for the lifecycle's other events: `accepted:refer-to-sca`,
`declined:refer-to-sca`, `paused`, `withdrawn`, `voided`...), when, who
made it (the agency, empty for a timeout), the stage it arrived at and came from, the stage's
track and agency, the lifecycle transition (`complete`: every event records something done) and
the victim's profile as it was when the journey opened (case attributes).

Pseudonyms are keyed hashes of the case reference (HMAC-SHA-256 with a key made for each export
and never written), so the same journey has the same pseudonym within one export and a
different one in the next, and the case reference cannot be recovered from a log.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime

from pathways.definition.profiles import Value
from pathways.definition.schema import MAIN_TRACK, Pathway
from pathways.runtime.events import Event

__all__ = ["EventRow", "Pseudonyms", "rows_of"]


@dataclass(frozen=True, slots=True)
class EventRow:
    """One event of one journey, as the event-log formats write it."""

    case: str
    seq: int
    activity: str
    timestamp: datetime
    kind: str
    agency: str
    stage: str
    from_stage: str
    track: str
    lifecycle: str
    profile: tuple[tuple[str, Value], ...]
    shares: tuple[str, ...] = ()

    @property
    def profile_map(self) -> Mapping[str, Value]:
        return dict(self.profile)


class Pseudonyms:
    """Opaque, stable-within-one-export names for case references (`keep=True`: the case
    references themselves)."""

    def __init__(self, keep: bool = False, key: bytes | None = None) -> None:
        self.keep = keep
        self._key = key if key is not None else secrets.token_bytes(32)

    def __call__(self, case_ref: str) -> str:
        if self.keep:
            return case_ref
        digest = hmac.new(self._key, case_ref.encode("utf-8"), hashlib.sha256).hexdigest()
        return f"case-{digest[:16]}"


#: The kinds of event that move a journey to the stage they name.
_MOVES = frozenset({"started", "handoff", "timeout", "declined"})


def _activity(event: Event) -> str:
    """`start`, the handoff's name, `profile:<attribute>`, or `<kind>[:<handoff>]` for the
    other kinds (`accepted:refer-to-sca`, `paused`, `withdrawn`, `voided`)."""
    if event.what == "started":
        return "start"
    if event.what == "profile" and event.change is not None:
        return f"profile:{event.change.attribute}"
    if event.what in ("handoff", "timeout"):
        return event.trigger or event.what
    return f"{event.what}:{event.trigger}" if event.trigger else event.what


def rows_of(case: str, pathway: Pathway, events: Iterable[Event]) -> Iterator[EventRow]:
    """The rows of one journey's `events` (its history, in order), under the name `case`."""
    profile: tuple[tuple[str, Value], ...] = ()
    here: dict[str, str] = {}
    for event in events:
        if event.what == "started":
            profile = event.profile
        stage = event.to_stage or ""
        spec = pathway.stages.get(stage)
        track = spec.track if spec is not None else MAIN_TRACK
        if event.what not in _MOVES and not stage:
            stage, track = here.get(MAIN_TRACK, ""), MAIN_TRACK
        yield EventRow(
            case=case,
            seq=event.seq,
            activity=_activity(event),
            timestamp=event.at,
            kind=event.what,
            agency=event.by or "",
            stage=stage,
            from_stage=event.from_stage or "",
            track=track,
            lifecycle="complete",
            profile=profile,
            shares=event.shares,
        )
        if event.to_stage is not None and event.what in _MOVES:
            here[track] = event.to_stage
