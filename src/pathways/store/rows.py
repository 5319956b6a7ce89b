"""Between runtime objects and table rows: events, snapshots, positions and derived columns.

The journey row keeps, besides the snapshot's data, a few columns derived from the journey so
that a case system can ask questions without loading journeys: whether it is closed and since
when, when it becomes overdue (the earliest limit that is not a timeout) and when its next
timeout falls due. Each position row keeps the same for its own track (`position_rows`): when
it becomes overdue, whether its clock is paused, the referral awaiting its owner's answer, and
whether it is work at all, so that worklists are asked per stage (`pathways.store.worklists`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from functools import lru_cache
from typing import Any

from pathways.runtime.deadlines import Deadline
from pathways.runtime.events import OPTIONAL_KEYS, Event, utc_text
from pathways.runtime.journey import Journey
from pathways.store.audit import Entry

__all__ = [
    "derived",
    "entry_from_event_row",
    "entry_from_rollout_row",
    "event_row",
    "json_text",
    "outbox_rows",
    "position_rows",
    "profile_text",
    "snapshot_from_rows",
]


def json_text(value: Any) -> str:
    """The text of a JSON column's value, as SQLAlchemy's JSON type writes it (`None`: null)."""
    if value is None:
        return "null"
    return "[]" if value == [] else json.dumps(value)


def profile_text(profile: Mapping[str, Any]) -> str:
    """`json_text` of a profile (a flat mapping of a few coarse values), remembered: a
    pathway's victims share a handful of profiles, and every change writes one."""
    return _profile_text(tuple(profile.items()))


@lru_cache(maxsize=1024)
def _profile_text(items: tuple[tuple[str, Any], ...]) -> str:
    return json.dumps(dict(items))


def event_row(case_ref: str, data: Mapping[str, Any], at: datetime, hash_: str) -> dict[str, Any]:
    """The events-table row for an event whose canonical dictionary is `data`."""
    return {
        "case_ref": case_ref,
        "seq": data["seq"],
        "kind": data["what"],
        "at": at,
        "agency": data["by"],
        "handoff": data["trigger"],
        "from_stage": data["from"],
        "to_stage": data["to"],
        "shares": data["shares"],
        "started": data["started"],
        "profile": data["profile"],
        "change": data["change"],
        "hash": hash_,
        "extra": {key: data[key] for key in OPTIONAL_KEYS if key in data} or None,
    }


def entry_from_event_row(row: Any) -> Entry:
    """A stored event row as a chain entry: its canonical dictionary, rebuilt column by column."""
    data = {
        "seq": row.seq,
        "what": row.kind,
        "at": utc_text(row.at),
        "by": row.agency,
        "trigger": row.handoff,
        "from": row.from_stage,
        "to": row.to_stage,
        "shares": row.shares,
        "started": row.started,
        "profile": row.profile,
        "change": row.change,
    }
    if row.extra:
        data.update(row.extra)
    return Entry(seq=row.seq, rollout=False, data=data, hash=row.hash)


def rollout_record(
    seq: int, at: datetime, source: str, target: str, moves: Mapping[str, list[str]]
) -> dict[str, Any]:
    """The chained record of a roll-out: after `seq` events, from one version to another."""
    return {"seq": seq, "at": utc_text(at), "from": source, "to": target, "moves": dict(moves)}


def entry_from_rollout_row(row: Any) -> Entry:
    """A stored roll-out row as a chain entry."""
    data = rollout_record(row.seq, row.at, row.from_fingerprint, row.to_fingerprint, row.moves)
    return Entry(seq=row.seq, rollout=True, data=data, hash=row.hash)


def snapshot_from_rows(journey: Any, version: Any, positions: Iterable[Any]) -> dict[str, Any]:
    """The runtime snapshot of a stored journey, from its row, its version's and its positions."""
    return {
        "case_ref": journey.case_ref,
        "pathway": version.pathway_id,
        "version": version.version,
        "fingerprint": journey.fingerprint,
        "profile": dict(journey.profile),
        "tracks": {p.track: {"stage": p.stage, "since": utc_text(p.since)} for p in positions},
        "events": journey.event_count,
        "last_event_at": utc_text(journey.last_event_at),
        **({"lifecycle": journey.lifecycle} if getattr(journey, "lifecycle", None) else {}),
    }


def position_rows(
    journey: Journey, limits: Sequence[Deadline] | None = None
) -> list[dict[str, Any]]:
    """One positions-table row per started track, with its work state as the runtime has it.

    `due` is when the track's stage becomes overdue: the earliest of its limits that is not a
    timeout (`Journey.deadlines`, which give none while the clock is paused), null when none
    runs or the position is not work; `active` is true while it is work (the journey is open
    and the stage is not an outcome); `awaiting` names the referral waiting for the stage
    owner's answer. `limits`, if given, are `journey.deadlines()` already worked out.
    """
    closed = journey.closed
    due: dict[str, datetime] = {}
    if not closed:
        for limit in journey.deadlines() if limits is None else limits:
            if not limit.timeout:
                was = due.get(limit.track)
                if was is None or limit.overdue_from < was:
                    due[limit.track] = limit.overdue_from
    life = journey.lifecycle
    stages = journey.compiled.stages
    rows = []
    for track, stage in journey.positions.items():
        active = not closed and not stages[stage].outcome
        pending = life.pending.get(track)
        rows.append(
            {
                "case_ref": journey.case_ref,
                "track": track,
                "stage": stage,
                "since": journey.arrived(track),
                "due": due.get(track) if active else None,
                "paused": track in life.paused,
                "awaiting": pending.handoff if pending is not None and active else None,
                "active": active,
            }
        )
    return rows


def derived(
    journey: Journey, last_event: Event | None, limits: Sequence[Deadline] | None = None
) -> dict[str, Any]:
    """The journey row's columns that follow from the journey (not its identity or revision).

    `last_event` is the newest event, if the caller has it: a journey that has just closed
    closed at its time (and its time is the journey's last event time). `limits`, if given,
    are `journey.deadlines()` already worked out.
    """
    if last_event is not None:
        last = last_event.at
    else:
        last = datetime.fromisoformat(journey.snapshot()["last_event_at"])
    overdue: list[datetime] = []
    timeouts: list[datetime] = []
    for limit in journey.deadlines() if limits is None else limits:
        (timeouts if limit.timeout else overdue).append(limit.overdue_from)
    closed = journey.closed
    values: dict[str, Any] = {
        "fingerprint": journey.compiled.fingerprint,
        "lifecycle": journey.lifecycle.to_data(),
        "profile": dict(journey.profile),
        "event_count": journey.event_count,
        "last_event_at": last,
        "closed": closed,
        "overdue_from": min(overdue) if overdue and not closed else None,
        "timeout_at": min(timeouts) if timeouts and not closed else None,
    }
    if closed and last_event is not None:
        values["closed_at"] = last_event.at
    return values


def outbox_rows(case_ref: str, seqs: Iterable[int], fingerprint: str) -> list[dict[str, Any]]:
    """The outbox rows that tell other systems of events `seqs`, recorded on version
    `fingerprint` (`pathways.store.outbox`)."""
    return [{"case_ref": case_ref, "seq": seq, "fingerprint": fingerprint} for seq in seqs]
