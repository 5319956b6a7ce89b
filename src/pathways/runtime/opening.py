"""Opening journeys: `start` a new one, `bind` a stored one, `replay` one from its events.

These are the three ways a case system gets a `Journey`. `start` checks the case reference,
time, agency and profile and records the `started` event. `bind` is the fast path for a journey
store: it rebuilds the journey from its snapshot (and, if given, its events) without repeating
anything. `replay` is the audit path: it does every event again on the pathway and refuses the
history at the first event the pathway would not have recorded exactly so; `apply_event` does
one such event again (the journey store uses it to rebuild journeys across roll-outs).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from pathways.definition.schema import MAIN_TRACK, Pathway
from pathways.errors import (
    AuditFailure,
    CorruptRecord,
    InvalidCaseReference,
    InvalidProfile,
    JourneyError,
    NotAuthorised,
)
from pathways.runtime.compiler import CompiledPathway, compile_pathway
from pathways.runtime.corrections import Resolve, redo
from pathways.runtime.events import Event
from pathways.runtime.guards import Value
from pathways.runtime.journey import Journey
from pathways.runtime.journey_queries import check_staff, check_time
from pathways.runtime.snapshots import read_snapshot

__all__ = ["apply_event", "bind", "check_case_ref", "replay", "start"]

_CASE_REF = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}")


def check_case_ref(case_ref: object, by: str | None = None) -> None:
    """Refuse with `InvalidCaseReference` anything but a short opaque code, the whole string
    (`"X-1\\n"` is refused: a trailing newline would make a second journey beside `X-1`)."""
    if not isinstance(case_ref, str) or not _CASE_REF.fullmatch(case_ref):
        raise InvalidCaseReference(
            f"{case_ref!r} is not a case reference: use the case system's own code (letters, "
            "digits and . _ : / -, no spaces), never a name or other free text",
            journey=str(case_ref),
            agency=by,
        )


def start(
    pathway: Pathway | CompiledPathway,
    case_ref: str,
    profile: Mapping[str, Value],
    at: datetime,
    by: str,
    staff: str | None = None,
) -> Journey:
    """Open a journey for `case_ref` (the case system's own code, never a name) at the entry.

    `by` is the agency opening it (any agency of the pathway); `profile` gives one declared
    value for every profile attribute; `staff` is the opening member of staff's opaque
    reference, if the case system gives one. Refused with `InvalidCaseReference`,
    `InvalidTime`, `InvalidStaffReference`, `NotAuthorised` or `InvalidProfile`.
    """
    compiled = pathway if isinstance(pathway, CompiledPathway) else compile_pathway(pathway)
    check_case_ref(case_ref, by)
    at = check_time(at, case_ref, None, by)
    check_staff(staff, case_ref, by)
    agencies = tuple(sorted(compiled.pathway.agencies))
    if by not in compiled.pathway.agencies:
        raise NotAuthorised(
            f"Case {case_ref}: '{by}' is not an agency of {compiled.pathway.title}; "
            f"a journey is opened by one of: {', '.join(agencies) or 'no agency'}",
            journey=case_ref,
            agency=by,
            allowed=agencies,
        )
    problem = compiled.profile_problem(profile)
    if problem is not None:
        raise InvalidProfile(
            f"Case {case_ref}: {problem}",
            journey=case_ref,
            agency=by,
            allowed=tuple(compiled.pathway.profile),
        )
    shared = compiled.profile(profile)
    entry = compiled.pathway.entry
    first = Event(
        seq=0,
        what="started",
        at=at,
        by=by,
        to_stage=entry,
        started=(MAIN_TRACK,),
        profile=tuple(sorted(shared.items())),
        staff=staff,
    )
    return Journey(compiled, case_ref, shared, {MAIN_TRACK: entry}, {MAIN_TRACK: at}, [first], 0)


def bind(
    compiled: CompiledPathway,
    snapshot: Mapping[str, Any],
    events: Sequence[Event | Mapping[str, Any]] | None = None,
) -> Journey:
    """A stored journey, ready to hand off, from its `snapshot()` on its compiled pathway.

    With `events` (all of them) the journey has its `history`; without, it can do everything
    except read the events recorded before it was bound. Raises `CorruptRecord` if the snapshot
    was taken on another pathway version or does not fit this one.
    """
    state = read_snapshot(compiled, snapshot)
    if events is None:
        history: list[Event] = []
        unloaded = state.events
    else:
        history = [e if isinstance(e, Event) else Event.from_dict(e) for e in events]
        unloaded = 0
        if len(history) != state.events:
            raise CorruptRecord(
                f"Case {state.case_ref}: the snapshot counts {state.events} events "
                f"but {len(history)} were given"
            )
    return Journey(
        compiled,
        state.case_ref,
        state.profile,
        state.positions,
        state.arrivals,
        history,
        unloaded,
        state.last_event_at,
        state.lifecycle,
    )


def replay(
    pathway: Pathway | CompiledPathway,
    case_ref: str,
    events: Sequence[Event | Mapping[str, Any]],
    resolve: Resolve | None = None,
) -> Journey:
    """Rebuild a journey from its events alone, doing each again on the pathway.

    `resolve` finds the version a `transferred` event moved to by fingerprint. Raises
    `AuditFailure` naming the first event the pathway would not have recorded so.
    """
    history = [e if isinstance(e, Event) else Event.from_dict(e) for e in events]
    if not history or history[0].what != "started":
        raise AuditFailure(
            f"Case {case_ref}: the first event must open the journey", journey=case_ref, event=0
        )
    first = history[0]
    try:
        journey = start(
            pathway, case_ref, dict(first.profile), first.at, first.by or "", first.staff
        )
    except JourneyError as exc:
        raise AuditFailure(
            f"Case {case_ref}: the journey cannot have opened so: {exc}", journey=case_ref, event=0
        ) from exc
    _check_recorded(journey, first)
    for event in history[1:]:
        apply_event(journey, event, resolve)
    return journey


def apply_event(journey: Journey, event: Event, resolve: Resolve | None = None) -> Event:
    """Do again on `journey` what `event` records (a handoff, profile change, timeout, answer
    to a referral, pause, early end, transfer or correction). A `transferred` event needs
    `resolve`, which finds the pathway version it moved to by fingerprint.

    Returns the event the journey recorded, which must be exactly `event`; otherwise raises
    `AuditFailure` naming it (the pathway refuses it, or records something else).

    ```python
    >>> again = replay(pathway, "HU-1", journey.history[:1])
    >>> apply_event(again, journey.history[1]) == journey.history[1]
    True
    ```
    """
    try:
        _do_again(journey, event, resolve)
    except JourneyError as exc:
        raise AuditFailure(
            f"Case {journey.case_ref}: event {event.seq} cannot have happened: {exc}",
            journey=journey.case_ref,
            event=event.seq,
        ) from exc
    _check_recorded(journey, event)
    return event


def _check_recorded(journey: Journey, event: Event) -> None:
    """Refuse the history unless doing `event` again recorded exactly `event`."""
    if journey.events_since(journey.event_count - 1) != (event,):
        raise AuditFailure(
            f"Case {journey.case_ref}: event {event.seq} is not what the pathway records",
            journey=journey.case_ref,
            event=event.seq,
        )


def _do_again(journey: Journey, event: Event, resolve: Resolve | None) -> None:
    """Do again what `event` records."""
    redo(journey, event, resolve=resolve)
