"""The audit trail: each journey's events (and roll-outs) form a SHA-256 hash chain.

Each entry's hash is SHA-256 of the previous entry's hash and the entry's canonical JSON (sorted
keys, no spaces, UTF-8), starting from `GENESIS`. An event's entry is its `Event.to_dict()` with
the case reference; a roll-out's entry records the versions and stage moves. The journey row
keeps the hash of its last entry (`head_hash`) and its event count, so removing the last event
is caught too. `verify_chain` walks the stored entries and raises `AuditFailure` naming the
first event that was edited, removed or moved:

```python
>>> head = chain(GENESIS, event_entry("HU-1", {"seq": 0, "what": "started"}))
>>> len(head)
64
```

A chain shows that the stored record was not changed *after the fact* by someone editing rows;
someone able to rewrite every later hash could rewrite a whole journey, so keep a copy of the
head hashes somewhere else (a nightly export) if that threat matters.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pathways.errors import AuditFailure, CorruptRecord
from pathways.runtime.events import Event

__all__ = [
    "GENESIS",
    "Entry",
    "canonical",
    "chain",
    "chain_event",
    "event_entry",
    "rollout_entry",
    "verify_chain",
]

#: The "previous hash" of a journey's first event.
GENESIS = "0" * 64


#: One encoder, made once: `json.dumps` with these options would build a new one per call.
#: (No circular check: what is hashed is plain data, built by the store.)
_CANONICAL = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, check_circular=False
)


def canonical(data: Mapping[str, Any]) -> bytes:
    """The canonical JSON bytes of `data`: sorted keys, no spaces, UTF-8."""
    return _CANONICAL.encode(data).encode("utf-8")


def chain(previous: str, entry: Mapping[str, Any]) -> str:
    """The hash of `entry` following an entry whose hash is `previous`."""
    return hashlib.sha256(previous.encode("ascii") + canonical(entry)).hexdigest()


def chain_event(previous: str, case_ref: str, event: Mapping[str, Any]) -> str:
    """`chain(previous, event_entry(case_ref, event))`, byte for byte, without the copies.

    The entry's canonical JSON is `{"case_ref":<case_ref>,"event":<event>}` (its two keys
    are already in sorted order), so it is written from the two parts' canonical JSON.
    """
    encode = _CANONICAL.encode
    text = f'{{"case_ref":{encode(case_ref)},"event":{encode(event)}}}'
    return hashlib.sha256(previous.encode("ascii") + text.encode("utf-8")).hexdigest()


def event_entry(case_ref: str, event: Mapping[str, Any]) -> dict[str, Any]:
    """What is hashed for one event (`event` is `Event.to_dict()`)."""
    return {"case_ref": case_ref, "event": dict(event)}


def rollout_entry(case_ref: str, rollout: Mapping[str, Any]) -> dict[str, Any]:
    """What is hashed for one roll-out to a new pathway version."""
    return {"case_ref": case_ref, "rollout": dict(rollout)}


@dataclass(frozen=True, slots=True)
class Entry:
    """One stored entry of a journey's chain, as read back: an event or a roll-out.

    `seq` is the event's number, or for a roll-out the number of events before it; `data` is
    the event's canonical dictionary or the roll-out's record; `hash` is the stored hash.
    """

    seq: int
    rollout: bool
    data: Mapping[str, Any]
    hash: str

    def order(self) -> tuple[int, int]:
        return (self.seq, 0 if self.rollout else 1)


def verify_chain(
    case_ref: str, entries: Iterable[Entry], *, event_count: int, head_hash: str
) -> list[Event]:
    """Check a journey's stored chain; return its events, in order.

    Raises `AuditFailure` with `event` set to the first event that was edited (its hash does not
    follow), removed (its number is missing) or moved (it is not where its hash puts it).
    """
    previous = GENESIS
    expected = 0
    events: list[Event] = []
    for entry in sorted(entries, key=Entry.order):
        if entry.rollout:
            found = rollout_entry(case_ref, entry.data)
            if entry.seq != expected or chain(previous, found) != entry.hash:
                raise AuditFailure(
                    f"Case {case_ref}: the roll-out recorded after event {expected - 1} was "
                    "edited, removed or moved",
                    journey=case_ref,
                    event=expected,
                )
            previous = entry.hash
            continue
        if entry.seq != expected:
            raise AuditFailure(
                f"Case {case_ref}: event {expected} is missing (removed, or renumbered)",
                journey=case_ref,
                event=expected,
            )
        if chain_event(previous, case_ref, entry.data) != entry.hash:
            raise AuditFailure(
                f"Case {case_ref}: event {expected} was edited or moved: its hash does not "
                "follow from the events before it",
                journey=case_ref,
                event=expected,
            )
        try:
            event = Event.from_dict(entry.data)
        except CorruptRecord as exc:
            raise AuditFailure(
                f"Case {case_ref}: event {expected} cannot be read: {exc}",
                journey=case_ref,
                event=expected,
            ) from None
        events.append(event)
        previous = entry.hash
        expected += 1
    if expected < event_count:
        raise AuditFailure(
            f"Case {case_ref}: the journey counts {event_count} events but only {expected} "
            f"are stored; event {expected} is missing",
            journey=case_ref,
            event=expected,
        )
    if expected > event_count or previous != head_hash:
        last = max(expected - 1, 0)
        raise AuditFailure(
            f"Case {case_ref}: the journey's record of its last event does not match event {last}",
            journey=case_ref,
            event=last,
        )
    return events
