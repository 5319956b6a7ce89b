"""The journey runtime: what a case system calls to move one victim's journey along a pathway.

A journey is opened by `pathways.runtime.opening` (`start`, `bind` or `replay`). `Journey.handoff`
moves
it, refusing with a specific `JourneyError` that names the case, the stage and what would be
allowed; `available` says what an agency can do now; `update_profile` records a declared change
(a child turning 18); `deadlines`, `overdue` and `tick` deal with time, which is always passed in,
never read from the clock. Every change is recorded as an `Event`.

A `Journey` is a small object with `__slots__`: the shared machine of its `CompiledPathway` reads
and moves its `machine_state` (see `pathways.runtime.compiler`). A store keeps `snapshot()` and the
events (`history`, or `events_since` what it has already saved).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pathways.definition.schema import MAIN_TRACK, Pathway
from pathways.errors import (
    ConditionNotMet,
    HandoffNotAvailable,
    HistoryNotLoaded,
    InvalidTime,
    JourneyClosed,
    JourneyError,
    NotAuthorised,
    ProfileChangeRefused,
    SharingNotPermitted,
    WaitingForTrack,
)
from pathways.runtime.compiler import CompiledPathway
from pathways.runtime.deadlines import Deadline, deadlines, next_timeout
from pathways.runtime.events import Event, EventKind, ProfileChange
from pathways.runtime.guards import HandoffRule, Refusal, Value
from pathways.runtime.snapshots import write_snapshot

__all__ = ["Journey", "Option", "check_time"]

#: What a handoff the machine refuses for no reason the rules name is refused with.
_NOT_AVAILABLE = Refusal("not-available", "the pathway does not allow it", None, ())

_REFUSALS: dict[str, type[JourneyError]] = {
    "not-available": HandoffNotAvailable,
    "not-authorised": NotAuthorised,
    "condition": ConditionNotMet,
    "waiting": WaitingForTrack,
    "sharing": SharingNotPermitted,
}


@dataclass(frozen=True, slots=True)
class Option:
    """A handoff from a stage the journey is at: open to the asking agency now, or why not."""

    trigger: str
    from_stage: str
    to_stage: str
    open: bool
    reason: str | None
    shares: tuple[str, ...]


def check_time(at: object, case_ref: str, trigger: str | None, agency: str | None) -> None:
    """Refuse a time without a time zone with `InvalidTime`."""
    if not isinstance(at, datetime) or at.tzinfo is None or at.utcoffset() is None:
        raise InvalidTime(
            f"Case {case_ref}: {at!r} has no time zone; pass times such as "
            "datetime(2025, 1, 6, 9, 30, tzinfo=ZoneInfo('Europe/London'))",
            journey=case_ref,
            trigger=trigger,
            agency=agency,
        )


class Journey:
    """One victim's journey on one pathway version, known to the case system by `case_ref`."""

    __slots__ = (
        "_arrivals",
        "_events",
        "_last",
        "_unloaded",
        "case_ref",
        "compiled",
        "machine_state",
        "profile",
    )

    compiled: CompiledPathway
    case_ref: str
    profile: Mapping[str, Value]
    machine_state: str | list[str]
    _arrivals: dict[str, datetime]
    _events: list[Event]
    _unloaded: int
    _last: datetime

    def __init__(
        self,
        compiled: CompiledPathway,
        case_ref: str,
        profile: Mapping[str, Value],
        positions: Mapping[str, str],
        arrivals: dict[str, datetime],
        events: list[Event],
        unloaded: int,
        last: datetime | None = None,
    ) -> None:
        self.compiled = compiled
        self.case_ref = case_ref
        self.profile = profile
        self.machine_state = compiled.machine_state(positions)
        self._arrivals = arrivals
        self._events = events
        self._unloaded = unloaded
        self._last = events[-1].at if last is None else last

    def detached(self) -> Journey:
        """A new journey object in the state this one is in now, without its loaded history.

        What `bind` would give for `snapshot()`, without writing and checking the snapshot: for
        a journey store that has just written this journey and changes it again.
        """
        return Journey(
            self.compiled,
            self.case_ref,
            self.profile,
            self.positions,
            dict(self._arrivals),
            [],
            self.event_count,
            self._last,
        )

    # What the journey is now

    @property
    def pathway(self) -> Pathway:
        """The pathway (version) this journey follows."""
        return self.compiled.pathway

    @property
    def positions(self) -> dict[str, str]:
        """The stage each started track is at, main track first."""
        return self.compiled.positions(self.machine_state)

    @property
    def stage(self) -> str:
        """The stage the main track is at."""
        return self.positions[MAIN_TRACK]

    @property
    def closed(self) -> bool:
        """True once every started track has reached an outcome."""
        return self.compiled.finished(self.positions)

    @property
    def history(self) -> tuple[Event, ...]:
        """Everything that happened, in order, from `started` on."""
        if self._unloaded:
            raise HistoryNotLoaded(
                f"Case {self.case_ref}: this journey was bound without its first "
                f"{self._unloaded} events; bind it with its events to read its history",
                journey=self.case_ref,
                stage=self.stage,
            )
        return tuple(self._events)

    @property
    def event_count(self) -> int:
        """How many events the journey has, loaded or not."""
        return self._unloaded + len(self._events)

    def events_since(self, count: int) -> tuple[Event, ...]:
        """The events after the first `count` (what a store appends after saving `count`)."""
        if count < self._unloaded:
            raise HistoryNotLoaded(
                f"Case {self.case_ref}: events before number {self._unloaded} are not loaded",
                journey=self.case_ref,
                stage=self.stage,
            )
        return tuple(self._events[count - self._unloaded :])

    def arrived(self, track: str = MAIN_TRACK) -> datetime:
        """When the journey arrived at the stage it is at on `track`."""
        return self._arrivals[track]

    def owners(self) -> dict[str, tuple[str, ...]]:
        """The agencies responsible for each stage the journey is at."""
        return {s: self.compiled.stages[s].owners for s in self.positions.values()}

    def __repr__(self) -> str:
        where = ", ".join(self.positions.values())
        return f"<Journey {self.case_ref} on {self.pathway.id} {self.pathway.version} at {where}>"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Journey):
            return NotImplemented
        return (
            self.snapshot() == other.snapshot()
            and self._unloaded == other._unloaded
            and self._events == other._events
        )

    __hash__ = None  # type: ignore[assignment]  # a journey changes: not hashable

    # What the case system asks

    def available(self, *, by: str) -> tuple[Option, ...]:
        """Every handoff from where the journey is: open to `by` now, or the reason it is not."""
        if self.closed:
            return ()
        positions = self.positions
        options = []
        for rule in self.compiled.exits(positions):
            refusal = self.compiled.refusal(positions, self.profile, rule.name, by)
            options.append(
                Option(
                    trigger=rule.name,
                    from_stage=positions[rule.track],
                    to_stage=rule.target,
                    open=refusal is None,
                    reason=None if refusal is None else refusal.message,
                    shares=tuple(sorted(rule.shares)),
                )
            )
        return tuple(options)

    def handoff(self, trigger: str, *, by: str, at: datetime, shares: Iterable[str] = ()) -> Event:
        """Make handoff `trigger` as agency `by` at `at`, sending the named `shares` with it.

        Refused, checked in this order, with `InvalidTime`, `JourneyClosed`,
        `HandoffNotAvailable`, `NotAuthorised`, `ConditionNotMet`, `WaitingForTrack` or
        `SharingNotPermitted`.
        """
        items = tuple(dict.fromkeys(shares))
        self._time(at, trigger, by)
        self._open(trigger, by)
        compiled = self.compiled
        positions = self.positions
        rule = compiled.handoffs.get(trigger)
        if rule is not None and positions.get(rule.track) in rule.sources:
            # The machine's guard asks what `refusal` would; only a refused handoff needs the
            # reason, so it is worked out after the machine has said no.
            event = self._try(rule, "handoff", by, at, items, positions)
            if event is not None:
                return event
        refusal = compiled.refusal(positions, self.profile, trigger, by, items)
        raise self._refused(refusal or _NOT_AVAILABLE, trigger, by)

    def update_profile(self, attribute: str, value: Value, *, by: str, at: datetime) -> Event:
        """Record a change to the victim's profile that the pathway declares (turning 18).

        Refused with `InvalidTime`, `JourneyClosed`, `NotAuthorised` (not an agency of the
        pathway) or `ProfileChangeRefused` (an undeclared change; `allowed` lists declared ones).
        """
        self._time(at, None, by)
        self._open(None, by)
        pathway = self.pathway
        if by not in pathway.agencies:
            agencies = tuple(sorted(pathway.agencies))
            raise NotAuthorised(
                f"Case {self.case_ref}: '{by}' is not an agency of {pathway.title}; a change to "
                f"the profile is recorded by one of: {', '.join(agencies)}",
                journey=self.case_ref,
                stage=self.stage,
                agency=by,
                allowed=agencies,
            )
        refusal = self.compiled.change_refusal(self.profile, attribute, value)
        if refusal is not None:
            message, allowed = refusal
            raise ProfileChangeRefused(
                f"Case {self.case_ref}: {message}",
                journey=self.case_ref,
                stage=self.stage,
                agency=by,
                allowed=allowed,
            )
        before = self.profile[attribute]
        self.profile = self.compiled.profile({**self.profile, attribute: value})
        change = ProfileChange(attribute, before, value)
        return self._record(Event(self.event_count, "profile", at, by=by, change=change))

    def deadlines(self) -> tuple[Deadline, ...]:
        """Every time limit running now: stage limits, handoff deadlines and timeouts."""
        return deadlines(self.compiled, self.positions, self._arrivals, self.profile)

    def overdue(self, now: datetime) -> tuple[Deadline, ...]:
        """The limits that have run out by `now` (timeouts are not listed: `tick` makes them)."""
        check_time(now, self.case_ref, None, None)
        return tuple(d for d in self.deadlines() if not d.timeout and d.is_overdue(now))

    def tick(self, now: datetime) -> tuple[Event, ...]:
        """Make every timeout whose time has run out by `now`, earliest first.

        Each is recorded, with no agency, at the moment its time ran out (or at the journey's
        last event, if that is later), so ticking daily or weekly gives the same history.
        """
        fired: list[Event] = []
        event = self.tick_once(now)
        while event is not None:
            fired.append(event)
            event = self.tick_once(now)
        return tuple(fired)

    def tick_once(self, now: datetime) -> Event | None:
        """Make the one timeout whose time ran out first by `now`, if there is one."""
        self._time(now, None, None)
        if self.closed:
            return None
        due = next_timeout(self.compiled, self.positions, self._arrivals, self.profile, now)
        if due is None:
            return None
        rule, when = due
        return self._move(rule.name, "timeout", None, max(when, self._last), ())

    # Storage

    def snapshot(self) -> dict[str, Any]:
        """The journey's state now, as plain JSON-ready data (see `pathways.runtime.snapshots`)."""
        return write_snapshot(
            self.compiled,
            self.case_ref,
            self.profile,
            self.positions,
            self._arrivals,
            self.event_count,
            self._last,
        )

    # Inside

    def _time(self, at: object, trigger: str | None, agency: str | None) -> None:
        check_time(at, self.case_ref, trigger, agency)
        if isinstance(at, datetime) and at < self._last:
            raise InvalidTime(
                f"Case {self.case_ref}: {at.isoformat()} is before the last event on this "
                f"journey ({self._last.isoformat()}); events are recorded in the order they "
                "happen",
                journey=self.case_ref,
                stage=self.stage,
                trigger=trigger,
                agency=agency,
            )

    def _open(self, trigger: str | None, agency: str | None) -> None:
        if self.closed:
            raise JourneyClosed(
                f"Case {self.case_ref}: the journey is closed (every track has reached an "
                "outcome); nothing more can be done on it",
                journey=self.case_ref,
                stage=self.stage,
                trigger=trigger,
                agency=agency,
            )

    def _refused(self, refusal: Refusal, trigger: str, agency: str | None) -> JourneyError:
        return _REFUSALS[refusal.kind](
            f"Case {self.case_ref}: {refusal.message}",
            journey=self.case_ref,
            stage=refusal.stage,
            trigger=trigger,
            agency=agency,
            allowed=refusal.allowed,
        )

    def _record(self, event: Event) -> Event:
        self._events.append(event)
        self._last = event.at
        return event

    def _move(
        self,
        trigger: str,
        what: EventKind,
        agency: str | None,
        at: datetime,
        items: tuple[str, ...],
    ) -> Event:
        """Drive the shared machine, then record where the journey went."""
        rule = self.compiled.handoffs[trigger]
        event = self._try(rule, what, agency, at, items, self.positions)
        if event is None:
            raise self._refused(_NOT_AVAILABLE, trigger, agency)
        return event

    def _try(
        self,
        rule: HandoffRule,
        what: EventKind,
        agency: str | None,
        at: datetime,
        items: tuple[str, ...],
        before: dict[str, str],
    ) -> Event | None:
        """Drive the shared machine and record where the journey went; None if it refused."""
        trigger = rule.name
        if not self.compiled.fire(self, trigger, agency, items):
            return None
        after = self.positions
        started = tuple(t for t in after if t not in before)
        for track in (rule.track, *started):
            self._arrivals[track] = at
        return self._record(
            Event(
                seq=self.event_count,
                what=what,
                at=at,
                by=agency,
                trigger=trigger,
                from_stage=before[rule.track],
                to_stage=after[rule.track],
                shares=items,
                started=started,
            )
        )
