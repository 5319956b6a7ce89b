"""One change to a stored journey, planned once whatever the database writes it.

A change reads the journey row and its positions (`Stored`), makes the change in memory, and
writes what `plan` works out: the new events' rows, each hash-chained to the one before; the
journey row's columns; the positions added or moved (`ChangePlan`). The journey row is written
`WHERE revision = <the revision read>`, so a writer that lost a race writes nothing and gets
`conflict`'s `ConcurrentUpdate`.

This module knows no driver. Who writes the plan is the store's choice
(`JourneyStore.__init__`): `sqlite3` and psycopg run the statements themselves
(`pathways.store.sqlite`, `pathways.store.postgres`: each a `DriverPath`); what they leave, and
any other driver, takes the locked path (`pathways.store.locked`, SQLAlchemy Core).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple, Protocol

from pathways.errors import ConcurrentUpdate
from pathways.runtime.events import Event
from pathways.runtime.journey import Journey
from pathways.store import audit
from pathways.store.rows import derived, event_row, position_rows

__all__ = [
    "EVENT_COLUMNS",
    "PLACE_COLUMNS",
    "STATE_COLUMNS",
    "Applied",
    "ChangePlan",
    "DriverPath",
    "Place",
    "Row",
    "Stored",
    "conflict",
    "plan",
]

#: The journey columns a change writes (besides `revision` and `head_hash`).
STATE_COLUMNS = ("profile", "event_count", "last_event_at", "closed", "closed_at", "overdue_from",
          "timeout_at", "fingerprint", "lifecycle")  # fmt: skip
#: The columns of an event row, in the order the statements list them.
EVENT_COLUMNS = ("case_ref", "seq", "kind", "at", "agency", "handoff", "from_stage", "to_stage",
          "shares", "started", "profile", "change", "hash", "extra")  # fmt: skip


@dataclass(frozen=True, slots=True)
class Applied:
    """The result of a change: the events it recorded and the journey's revision after it.

    `replayed` is true when an idempotency key had already recorded this request: `events` are
    then the events it recorded the first time, and nothing new was written.
    """

    case_ref: str
    events: tuple[Event, ...]
    revision: int
    replayed: bool = False


class Row(NamedTuple):
    """The journey columns a change reads (read on a driver's own connection)."""

    case_ref: str
    fingerprint: str
    profile: dict[str, Any]
    event_count: int
    revision: int
    head_hash: str
    last_event_at: datetime
    closed_at: datetime | None
    lifecycle: dict[str, Any] | None = None


class Place(NamedTuple):
    """A positions row: where one track is, since when, and its work state (see
    `pathways.store.rows.position_rows`)."""

    track: str
    stage: str
    since: datetime
    due: datetime | None = None
    paused: bool = False
    awaiting: str | None = None
    active: bool = True


#: The positions columns a change writes (besides `case_ref` and `track`).
PLACE_COLUMNS = ("stage", "since", "due", "paused", "awaiting", "active")


@dataclass(frozen=True, slots=True)
class Stored:
    """A journey row as read for a change, with its positions (`track -> (stage, since)`).

    `journey`, if set, is the journey that was written to leave this row (by this process,
    just now): a change may start from `journey.detached()` instead of binding the row.
    """

    row: Any
    places: tuple[Any, ...]
    journey: Journey | None = field(default=None, compare=False)

    @property
    def tracks(self) -> dict[str, tuple[Any, ...]]:
        """Each track's stored positions columns (`PLACE_COLUMNS`), by track."""
        return {p.track: tuple(getattr(p, name) for name in PLACE_COLUMNS) for p in self.places}


@dataclass(frozen=True, slots=True)
class ChangePlan:
    """What a change writes: event rows (hash-chained), journey columns, new and moved tracks
    (a track has moved when any of its positions columns changed: its stage, or only its due
    date, pause or referral state)."""

    events: list[dict[str, Any]]
    head: str
    state: dict[str, Any]
    added: list[dict[str, Any]]
    moved: list[dict[str, Any]]

    @property
    def usual(self) -> bool:
        """One event, no track started, at most one track moved: one statement on PostgreSQL."""
        return len(self.events) == 1 and not self.added and len(self.moved) < 2


def plan(stored: Stored, journey: Journey, new: Sequence[Event]) -> ChangePlan:
    """The rows to write for `new` (at least one event), what `journey` did since `stored`."""
    row = stored.row
    case_ref = row.case_ref
    head = row.head_hash
    events = []
    for event in new:
        data = event.to_dict()
        head = audit.chain_event(head, case_ref, data)
        events.append(event_row(case_ref, data, event.at, head))
    limits = journey.deadlines()
    state = derived(journey, new[-1], limits)
    state.setdefault("closed_at", row.closed_at)
    before = stored.tracks
    added, moved = [], []
    for place in position_rows(journey, limits):
        was = before.get(place["track"])
        if was is None:
            added.append(place)
        elif was != tuple(place[name] for name in PLACE_COLUMNS):
            moved.append(place)
    return ChangePlan(events, head, state, added, moved)


class DriverPath(Protocol):
    """A change made with the database driver itself (the store chooses one per engine)."""

    def change(
        self,
        case_ref: str,
        request: str | None,
        key: str | None,
        change: Callable[[Stored], Journey],
        saved: int | None,
    ) -> Applied | None:
        """Make the change, or return None (having written nothing) for the locked path."""

    def close(self) -> None:
        """Close any connection the path holds of its own."""


def conflict(case_ref: str, expected: int, found: int | None) -> ConcurrentUpdate:
    """The error for a journey that changed since revision `expected` was read."""
    now = "" if found is None else f" (it is now at revision {found})"
    return ConcurrentUpdate(
        f"Case {case_ref}: the journey changed since revision {expected} was read{now}; "
        "nothing was written: reload it and try again"
    )
