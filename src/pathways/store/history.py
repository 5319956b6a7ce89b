"""A journey made again from its stored events: the chain verified, each event done again on
the version it was recorded on, each roll-out crossed by its recorded stage moves.

`pathways.store.rebuild` compares the journey this makes with the stored one; a draft for a
request sent again (`JourneyStore.draft` with a used key, `pathways.store.saving`) is the
journey its first events made (`upto`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from pathways.errors import AuditFailure
from pathways.runtime.compiler import CompiledPathway
from pathways.runtime.events import Event
from pathways.runtime.journey import Journey
from pathways.runtime.opening import apply_event, bind, replay
from pathways.store import audit

__all__ = ["journey_from"]


def journey_from(
    case_ref: str,
    row: Any,
    entries: Sequence[audit.Entry],
    compiled: Callable[[str], CompiledPathway],
    verified: Callable[[str, Any, list[audit.Entry]], list[Event]],
    upto: int | None = None,
) -> Journey:
    """The journey its chain `entries` make (`row` is its journey row; `compiled` finds a
    version by fingerprint; `verified` checks the chain with the store's audit keys and returns
    its events: `JourneyStore.verified`); with `upto`, as its first `upto` events and the
    roll-outs made by then left it. `AuditFailure` names the first event that fails."""
    events = verified(case_ref, row, list(entries))
    rollouts = sorted((e for e in entries if e.rollout), key=audit.Entry.order)
    first = _first_version(rollouts, events, row.fingerprint)
    if upto is not None:
        events = events[:upto]
        rollouts = [entry for entry in rollouts if entry.seq <= upto]
    end = rollouts[0].seq if rollouts else len(events)
    journey = replay(compiled(first), case_ref, events[:end], compiled)
    for number, entry in enumerate(rollouts):
        journey = _cross(compiled, journey, entry.data)
        end = rollouts[number + 1].seq if number + 1 < len(rollouts) else len(events)
        for event in events[entry.seq : end]:
            apply_event(journey, event, compiled)
    return journey


def _first_version(rollouts: list[audit.Entry], events: list[Event], current: str) -> str:
    """The version a journey opened on: where its first roll-out or transfer moved it from."""
    moves = [(e.seq, str(dict(e.detail)["from"])) for e in events if e.what == "transferred"]
    moves += [(entry.seq, str(entry.data["from"])) for entry in rollouts]
    return min(moves)[1] if moves else current


def _cross(
    compiled: Callable[[str], CompiledPathway], journey: Journey, record: dict[str, Any] | Any
) -> Journey:
    """The journey moved to a new version as a recorded roll-out moved it."""
    target = compiled(record["to"])
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
