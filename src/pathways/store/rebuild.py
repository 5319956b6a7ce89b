"""Rebuild journeys from their events and compare them with what is stored.

The events are the record; the journey row, its positions and its derived columns are a cache
of them. `rebuild(store, case_ref)` verifies the hash chain, then does every event again on the
pathway version it was recorded on (crossing each roll-out by its recorded stage moves) and
returns the journey. `check_journey` lists every difference between that journey and the stored one.
Stored due dates that differ only because the calendar changed since they were written are
`stale` findings, not problems of the record (`pathways.store.deadlines`).
`scan` does both for every journey, a page of case references at a time, yielding findings as
it goes (memory stays bounded however large the database); `check_database` collects them
(`pathways db verify URL` prints them as they come, with progress on stderr).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pathways.errors import AuditFailure, JourneyError, StoreError
from pathways.runtime.events import Event
from pathways.runtime.journey import Journey
from pathways.runtime.opening import apply_event, bind, replay
from pathways.store import audit
from pathways.store.arguments import check_case_ref
from pathways.store.deadlines import DEADLINE_COLUMNS
from pathways.store.failures import guarded
from pathways.store.rows import derived, position_rows

if TYPE_CHECKING:
    from pathways.store.journey_store import JourneyStore

__all__ = ["PAGE", "Finding", "check_database", "check_journey", "rebuild", "scan"]

#: How many journeys `scan` checks per page of case references.
PAGE = 200


@dataclass(frozen=True, slots=True, order=True)
class Finding:
    """Something wrong with one stored journey; `event` names the event, when one is to blame.

    A `stale` finding is a stored due date that differs from the one its events give today
    only because the calendar changed since it was written (a bank holiday announced since):
    not a problem of the record; `pathways db refresh-deadlines` writes it again.
    """

    case_ref: str
    event: int | None
    message: str
    stale: bool = False

    def __str__(self) -> str:
        where = "" if self.event is None else f" event {self.event}"
        return f"{self.case_ref}{where}: {self.message}"


@guarded("rebuild")
def rebuild(store: JourneyStore, case_ref: str) -> Journey:
    """The journey as its events make it; `AuditFailure` names the first event that fails."""
    check_case_ref(case_ref)
    with store.reading() as conn:
        row = store.row(conn, case_ref)
        entries = store.entries(conn, case_ref)
    events = audit.verify_chain(
        case_ref, entries, event_count=row.event_count, head_hash=row.head_hash
    )
    rollouts = sorted((e for e in entries if e.rollout), key=audit.Entry.order)
    first = _first_version(rollouts, events, row.fingerprint)
    end = rollouts[0].seq if rollouts else len(events)
    journey = replay(store.compiled(first), case_ref, events[:end], store.compiled)
    for number, entry in enumerate(rollouts):
        journey = _cross(store, journey, entry.data)
        end = rollouts[number + 1].seq if number + 1 < len(rollouts) else len(events)
        for event in events[entry.seq : end]:
            apply_event(journey, event, store.compiled)
    return journey


@guarded("check_journey")
def check_journey(store: JourneyStore, case_ref: str) -> list[Finding]:
    """Every difference between the stored journey and the journey rebuilt from its events."""
    try:
        journey = rebuild(store, case_ref)
    except AuditFailure as exc:
        return [Finding(case_ref, exc.event, str(exc))]
    except (StoreError, JourneyError) as exc:
        return [Finding(case_ref, None, f"cannot be rebuilt: {exc}")]
    with store.reading() as conn:
        row = store.row(conn, case_ref)
        stored = store.snapshot(conn, row)
        places = store.places(conn, case_ref)
    found: list[Finding] = []
    rebuilt = journey.snapshot()
    for name in sorted(set(stored) | set(rebuilt)):
        if name != "lifecycle" and stored.get(name) != rebuilt.get(name):
            found.append(_differs(case_ref, name, stored.get(name), rebuilt.get(name)))
    history = journey.history
    expected = derived(journey, history[-1])
    expected["opened_at"] = history[0].at
    expected.setdefault("closed_at", None)
    for name, value in sorted(expected.items()):
        if getattr(row, name) != value:
            stale = name in DEADLINE_COLUMNS and _only_deadlines(name, getattr(row, name), value)
            found.append(_differs(case_ref, name, getattr(row, name), value, stale=stale))
    return found + _positions(journey, places)


def _only_deadlines(name: str, stored: Any, rebuilt: Any) -> bool:
    """True if a stored journey column differs from its events only in its due dates (or the
    working days a paused clock held, in `lifecycle`): what a calendar change moves."""
    if name != "lifecycle":
        return True
    if not isinstance(stored, dict) or not isinstance(rebuilt, dict):
        return False
    return {k: v for k, v in stored.items() if k != "held"} == {
        k: v for k, v in rebuilt.items() if k != "held"
    }


def _positions(journey: Journey, places: list[Any]) -> list[Finding]:
    """Differences between the stored positions' work state and the journey's."""
    stored = {p.track: p for p in places}
    found = []
    for place in position_rows(journey):
        row = stored.get(place["track"])
        if row is None:
            continue  # the snapshot's tracks already differ
        for name in ("due", "paused", "awaiting", "active"):
            was, now = getattr(row, name), place[name]
            if was != now:
                what = f"{name} of track {place['track']}"
                found.append(_differs(journey.case_ref, what, was, now, stale=name == "due"))
    return found


def scan(
    store: JourneyStore, *, progress: Callable[[int], None] | None = None, page: int = PAGE
) -> Iterator[Finding]:
    """`check_journey` every stored journey, `page` at a time, yielding findings by case reference.

    Only one page of case references is held at once. After each page, `progress` (if given)
    is called with the number of journeys checked so far.
    """
    checked = 0
    after: str | None = None
    while True:
        refs = store.case_refs(after=after, limit=page)
        if not refs:
            return
        for case_ref in refs:
            yield from sorted(check_journey(store, case_ref))
        checked += len(refs)
        if progress is not None:
            progress(checked)
        after = refs[-1]


def check_database(
    store: JourneyStore, *, progress: Callable[[int], None] | None = None
) -> list[Finding]:
    """Every finding of `scan`, by case reference."""
    return list(scan(store, progress=progress))


def _first_version(rollouts: list[audit.Entry], events: list[Event], current: str) -> str:
    """The version a journey opened on: where its first roll-out or transfer moved it from."""
    moves = [(e.seq, str(dict(e.detail)["from"])) for e in events if e.what == "transferred"]
    moves += [(entry.seq, str(entry.data["from"])) for entry in rollouts]
    return min(moves)[1] if moves else current


def _differs(
    case_ref: str, name: str, stored: object, rebuilt: object, *, stale: bool = False
) -> Finding:
    message = f"stored {name} is {stored!r} but its events give {rebuilt!r}"
    if stale:
        message += " (out of date: run `pathways db refresh-deadlines`)"
    return Finding(case_ref, None, message, stale)


def _cross(store: JourneyStore, journey: Journey, record: dict[str, Any] | Any) -> Journey:
    """The journey moved to a new version as a recorded roll-out moved it."""
    target = store.compiled(record["to"])
    if record["from"] != journey.compiled.fingerprint:
        raise AuditFailure(
            f"Case {journey.case_ref}: a roll-out says the journey was on version "
            f"{record['from'][:12]}, but its events ran on {journey.compiled.fingerprint[:12]}",
            journey=journey.case_ref,
            event=record["seq"],
        )
    snapshot = journey.snapshot()
    for track, (_, new) in record["moves"].items():
        snapshot["tracks"][track]["stage"] = new
    snapshot.update(
        fingerprint=target.fingerprint,
        pathway=target.pathway.id,
        version=target.pathway.version,
    )
    return bind(target, snapshot, list(journey.history))
