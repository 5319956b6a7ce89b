"""The audit trail: each journey's events (and roll-outs) form a keyed hash chain.

Each entry's link is HMAC-SHA256, under the store's audit key (`pathways.store.keys`), of the
previous entry's link and the entry's canonical JSON (sorted keys, no spaces, UTF-8), starting
from `GENESIS`; with no key it is plain SHA-256 of the same bytes (an *unkeyed* link, which
shows accidental damage but not a rewrite by someone with access to the database). An event's
entry is its `Event.to_dict()` with the case reference and the time the database recorded it;
a roll-out's entry records the versions and stage moves; a *key change* entry records "from
here on key <id>" and is MACed with the old key (or plain SHA-256 from an unkeyed chain) and
then the new key, so which key signs which link is itself in the chain. The journey row keeps
the link of its last entry (`head_hash`), the key it was made with and its event count, so
removing the last event is caught too. `verify_chain` walks the stored entries and raises
`AuditFailure` naming the first event that was edited, removed or moved:

```python
>>> head = chain(GENESIS, event_entry("HU-1", {"seq": 0, "what": "started"}))
>>> len(head)
64
```

What this does and does not protect against is set out in docs/store.md ("What the audit
protects against"); in short: without the key, no one can rewrite a journey's record so that
it verifies, but deleting a whole journey, or cutting a journey back to an earlier link, is
only seen against an anchor (`pathways.store.anchor`) kept somewhere else.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pathways.errors import AuditFailure, AuditKeyError, CorruptRecord
from pathways.runtime.events import Event
from pathways.store.keys import AuditKeys

__all__ = [
    "GENESIS",
    "Entry",
    "canonical",
    "chain",
    "chain_event",
    "chain_key_change",
    "event_entry",
    "key_change_entry",
    "link",
    "rollout_entry",
    "verify_chain",
]

#: The "previous hash" of a journey's first entry.
GENESIS = "0" * 64


#: One encoder, made once: `json.dumps` with these options would build a new one per call.
#: (No circular check: what is hashed is plain data, built by the store.)
_CANONICAL = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, check_circular=False
)


def canonical(data: Mapping[str, Any]) -> bytes:
    """The canonical JSON bytes of `data`: sorted keys, no spaces, UTF-8."""
    return _CANONICAL.encode(data).encode("utf-8")


def link(secret: bytes | None, previous: str, message: bytes) -> str:
    """HMAC-SHA256 under `secret` of `previous` then `message` (SHA-256 when no secret), in hex."""
    data = previous.encode("ascii") + message
    if secret is None:
        return hashlib.sha256(data).hexdigest()
    return hmac.digest(secret, data, "sha256").hex()


def chain(previous: str, entry: Mapping[str, Any], secret: bytes | None = None) -> str:
    """The link of `entry` following an entry whose link is `previous`."""
    return link(secret, previous, canonical(entry))


def chain_event(
    previous: str,
    case_ref: str,
    event: Mapping[str, Any],
    recorded: str | None = None,
    secret: bytes | None = None,
) -> str:
    """`chain(previous, event_entry(case_ref, event, recorded), secret)`, without the copies.

    The entry's canonical JSON is `{"case_ref":<case_ref>,"event":<event>}` (with
    `"recorded_at":<recorded>` last when the time of recording is known: its keys are already
    in sorted order), so it is written from the parts' canonical JSON.
    """
    encode = _CANONICAL.encode
    when = "" if recorded is None else f',"recorded_at":{encode(recorded)}'
    text = f'{{"case_ref":{encode(case_ref)},"event":{encode(event)}{when}}}'
    return link(secret, previous, text.encode("utf-8"))


def event_entry(
    case_ref: str, event: Mapping[str, Any], recorded: str | None = None
) -> dict[str, Any]:
    """What is chained for one event (`event` is `Event.to_dict()`)."""
    entry = {"case_ref": case_ref, "event": dict(event)}
    return entry if recorded is None else {**entry, "recorded_at": recorded}


def rollout_entry(
    case_ref: str, rollout: Mapping[str, Any], recorded: str | None = None
) -> dict[str, Any]:
    """What is chained for one roll-out to a new pathway version."""
    entry = {"case_ref": case_ref, "rollout": dict(rollout)}
    return entry if recorded is None else {**entry, "recorded_at": recorded}


def key_change_entry(case_ref: str, change: Mapping[str, Any], recorded: str) -> dict[str, Any]:
    """What is chained for "from here on key <id>" (`change`: `seq`, `from`, `to`)."""
    return {"case_ref": case_ref, "key": dict(change), "recorded_at": recorded}


def chain_key_change(previous: str, entry: Mapping[str, Any], old: bytes | None, new: bytes) -> str:
    """The link of a key change: MACed with the old key (or unkeyed), then with the new key."""
    inner = chain(previous, entry, old)
    return link(new, inner, b"")


@dataclass(frozen=True, slots=True)
class Entry:
    """One stored entry of a journey's chain, as read back: an event, a roll-out or a key change.

    `seq` is the event's number, or for a roll-out or key change the number of events before
    it (`number` orders those among themselves); `kind` is `event`, `rollout` or `key`; `data`
    is the event's canonical dictionary or the record; `hash` the stored link; `recorded` the
    time the database recorded it (UTC text), None when not known (written before revision
    0003).
    """

    seq: int
    kind: str
    data: Mapping[str, Any]
    hash: str
    recorded: str | None = None
    number: int = 0

    @property
    def rollout(self) -> bool:
        return self.kind == "rollout"

    def order(self) -> tuple[int, int, int]:
        return (self.seq, 1 if self.kind == "event" else 0, self.number)


class _Walk:
    """The state of a chain being verified: the link so far, the key signing, what was seen."""

    def __init__(self, case_ref: str, keys: AuditKeys | None, seen: set[str] | None) -> None:
        self.case_ref = case_ref
        self.keys = keys
        self.seen = seen
        self.previous = GENESIS
        self.key: str | None = None

    def secret(self, key_id: str | None, seq: int) -> bytes | None:
        if key_id is not None and self.keys is None:
            raise AuditKeyError(
                f"Case {self.case_ref}: the record from event {seq} on is signed with audit key "
                f"{key_id}; give the audit keys to verify it"
            )
        return None if self.keys is None else self.keys.secret(key_id)

    def follows(self, entry: Entry) -> bool:
        """True (and the walk moves on) if `entry`'s link follows from the walk so far."""
        if entry.kind == "rollout":
            found = rollout_entry(self.case_ref, entry.data, entry.recorded)
            ok = chain(self.previous, found, self.secret(self.key, entry.seq)) == entry.hash
            key = self.key
        elif entry.kind == "key":
            key = entry.data.get("to")
            if entry.data.get("from") != self.key or not isinstance(key, str):
                return False
            found = key_change_entry(self.case_ref, entry.data, entry.recorded or "")
            old, new = self.secret(self.key, entry.seq), self.secret(key, entry.seq)
            assert new is not None
            ok = chain_key_change(self.previous, found, old, new) == entry.hash
        else:
            secret = self.secret(self.key, entry.seq)
            made = chain_event(self.previous, self.case_ref, entry.data, entry.recorded, secret)
            ok, key = made == entry.hash, self.key
        if ok:
            self.previous, self.key = entry.hash, key
            if self.seen is not None:
                self.seen.add(entry.hash)
        return ok

    def fail(self, message: str, event: int) -> AuditFailure:
        return AuditFailure(f"Case {self.case_ref}: {message}", journey=self.case_ref, event=event)


def verify_chain(
    case_ref: str,
    entries: Iterable[Entry],
    *,
    event_count: int,
    head_hash: str,
    head_key: str | None = None,
    keys: AuditKeys | None = None,
    seen: set[str] | None = None,
) -> list[Event]:
    """Check a journey's stored chain with `keys`; return its events, in order.

    Raises `AuditFailure` with `event` set to the first event that was edited (its link does
    not follow), removed (its number is missing) or moved (it is not where its link puts it),
    and `AuditKeyError` if a key the chain names is not among `keys`. Every link that follows
    is added to `seen`, if given.
    """
    walk = _Walk(case_ref, keys, seen)
    ordered = sorted(entries, key=Entry.order)
    others = [e for e in ordered if e.kind != "event"]
    expected = 0
    events: list[Event] = []
    for entry in [e for e in ordered if e.kind == "event"] + [None]:
        _records(walk, others, expected)
        if entry is None:
            break
        if entry.seq != expected:
            raise walk.fail(f"event {expected} is missing (removed, or renumbered)", expected)
        if not walk.follows(entry):
            raise walk.fail(
                f"event {expected} was edited or moved: its link does not follow from the "
                "entries before it under the key that signs them", expected
            )  # fmt: skip
        try:
            events.append(Event.from_dict(entry.data))
        except CorruptRecord as exc:
            raise walk.fail(f"event {expected} cannot be read: {exc}", expected) from None
        expected += 1
    if others:
        raise walk.fail(
            f"a roll-out or key change recorded {_place(others[0].seq)} was edited, removed "
            "or moved", others[0].seq
        )  # fmt: skip
    if expected < event_count:
        raise walk.fail(
            f"the journey counts {event_count} events but only {expected} are stored; event "
            f"{expected} is missing", expected
        )  # fmt: skip
    if expected > event_count or walk.previous != head_hash or walk.key != head_key:
        last = max(expected - 1, 0)
        raise walk.fail(f"the journey's record of its last entry does not match event {last}", last)
    return events


def _records(walk: _Walk, others: list[Entry], seq: int) -> None:
    """Walk the roll-outs and key changes recorded after `seq` events (in the order their links
    make: of two at the same place, the one whose link follows comes first)."""
    while others and others[0].seq <= seq:
        due = [e for e in others if e.seq == others[0].seq]
        if due[0].seq < seq:
            break  # out of place: reported after the last event
        for entry in _heads(due):
            if walk.follows(entry):
                others.remove(entry)
                break
        else:
            what = "a roll-out" if due[0].kind == "rollout" else "a key change"
            raise walk.fail(
                f"{what} recorded {_place(seq)} was edited, removed or moved "
                "(its link does not follow from the entries before it)", seq
            )  # fmt: skip


def _heads(due: list[Entry]) -> list[Entry]:
    """The first roll-out and the first key change among `due` (each kind in its own order)."""
    firsts: dict[str, Entry] = {}
    for entry in due:
        firsts.setdefault(entry.kind, entry)
    return list(firsts.values())


def _place(seq: int) -> str:
    return f"after event {seq - 1}" if seq else "before the first event"
