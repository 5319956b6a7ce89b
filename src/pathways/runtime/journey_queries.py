"""A journey's state, and the questions a case system asks of it without changing it.

`JourneyQueries` holds what a journey is now (its pathway version, profile, the stage of each
track and when it arrived there, its events) and answers: where it is (`positions`, `stage`,
`closed`, `owners`), what happened (`history`, `events_since`), what `available` handoffs an
agency has now (each a `HandoffOption`, open or with the reason it is not), which time limits
run (`deadlines`, `overdue`), and its `snapshot` for a store. `Journey`
(`pathways.runtime.journey`) adds what changes it: handoffs, profile changes and timeouts.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pathways.definition.schema import MAIN_TRACK, Pathway
from pathways.errors import HistoryNotLoaded, InvalidStaffReference, InvalidTime
from pathways.runtime.compiler import CompiledPathway
from pathways.runtime.deadlines import Deadline, deadlines
from pathways.runtime.events import Event, utc_text
from pathways.runtime.guards import Value
from pathways.runtime.lifecycle import EMPTY, Lifecycle
from pathways.runtime.snapshots import write_snapshot
from pathways.runtime.working_days import allowed_from, day_in_england

__all__ = ["EARLIEST", "LATEST", "HandoffOption", "JourneyQueries", "check_staff", "check_time"]


@dataclass(frozen=True, slots=True)
class HandoffOption:
    """A handoff from a stage the journey is at: open to the asking agency now, or why not."""

    trigger: str
    from_stage: str
    to_stage: str
    open: bool
    reason: str | None
    shares: tuple[str, ...]


#: The years a journey's events may fall in: the National Referral Mechanism began in 2009,
#: and a year such as 2205 is a mistyped date, never a real one.
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)


def check_time(at: object, case_ref: str, trigger: str | None, agency: str | None) -> datetime:
    """The instant `at` in UTC; refuse a time without a time zone, or outside the years 2000 to
    2099 (a mistyped year), with `InvalidTime`.

    Times are compared as instants: 01:30 London time on 26 October 2025 happens twice (before
    and after the clocks go back), and `fold=1` is the later one.
    """
    if not isinstance(at, datetime) or at.tzinfo is None or at.utcoffset() is None:
        raise InvalidTime(
            f"Case {case_ref}: {at!r} has no time zone; pass times such as "
            "datetime(2025, 1, 6, 9, 30, tzinfo=ZoneInfo('Europe/London'))",
            journey=case_ref,
            trigger=trigger,
            agency=agency,
        )
    instant = at.astimezone(UTC)
    if not EARLIEST <= instant < LATEST:
        raise InvalidTime(
            f"Case {case_ref}: {at.isoformat()} is not a time a journey can happen at; "
            "expected a time from 2000 to 2099\n  hint: check the year for a typing mistake",
            journey=case_ref,
            trigger=trigger,
            agency=agency,
        )
    return instant


_STAFF = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}")


def check_staff(staff: object, case_ref: str, agency: str | None) -> None:
    """Refuse a staff reference that is not a short opaque code (`InvalidStaffReference`)."""
    if staff is not None and (not isinstance(staff, str) or not _STAFF.fullmatch(staff)):
        raise InvalidStaffReference(
            f"Case {case_ref}: {staff!r} is not a staff reference: use the case system's own "
            "code for the member of staff (at most 64 letters, digits and . _ : / -), never "
            "a name",
            journey=case_ref,
            agency=agency,
        )


class JourneyQueries:
    """One victim's journey on one pathway version, known to the case system by `case_ref`:
    its state and the questions asked of it (`Journey` adds the changes)."""

    __slots__ = (
        "_arrivals",
        "_events",
        "_last",
        "_life",
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
    _life: Lifecycle

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
        life: Lifecycle = EMPTY,
    ) -> None:
        self.compiled = compiled
        self.case_ref = case_ref
        self.profile = profile
        self.machine_state = compiled.machine_state(positions)
        self._arrivals = arrivals
        self._events = events
        self._unloaded = unloaded
        self._last = events[-1].at if last is None else last
        self._life = life

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
        """True once every started track has reached an outcome, or the journey was withdrawn
        or closed early."""
        return self._life.ended is not None or self.compiled.finished_at(self.machine_state)

    @property
    def lifecycle(self) -> Lifecycle:
        """Referrals awaiting an answer, paused clocks, how it ended, corrections in force."""
        return self._life

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

    def earliest(self, track: str = MAIN_TRACK) -> datetime | None:
        """When the journey may first leave the stage it is at on `track`: once the stage's
        `at_least` has run (None if the stage has no minimum)."""
        minimum = self.compiled.stages[self.positions[track]].stage.at_least
        if minimum is None:
            return None
        return allowed_from(day_in_england(self._arrivals[track]), minimum)

    def owners(self) -> dict[str, tuple[str, ...]]:
        """The agencies responsible for each stage the journey is at."""
        return {s: self.compiled.stages[s].owners for s in self.positions.values()}

    def __repr__(self) -> str:
        where = ", ".join(self.positions.values())
        return f"<Journey {self.case_ref} on {self.pathway.id} {self.pathway.version} at {where}>"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, JourneyQueries):
            return NotImplemented
        return (
            self.snapshot() == other.snapshot()
            and self._unloaded == other._unloaded
            and self._events == other._events
        )

    __hash__ = None  # type: ignore[assignment]  # a journey changes: not hashable

    # What the case system asks

    def available(self, *, by: str, at: datetime | None = None) -> tuple[HandoffOption, ...]:
        """Every handoff from where the journey is: open to `by` now, or the reason it is not.

        A handoff from a stage whose referral awaits an answer or whose clock is paused is not
        open; with `at`, neither is one from a stage whose `at_least` has not run by then.
        """
        if self.closed:
            return ()
        positions = self.positions
        options = []
        for rule in self.compiled.exits(positions):
            refusal = self.compiled.refusal(positions, self.profile, rule.name, by)
            reason = None if refusal is None else refusal.message
            if reason is None:
                reason = self._held_back(rule.track, at)
            options.append(
                HandoffOption(
                    trigger=rule.name,
                    from_stage=positions[rule.track],
                    to_stage=rule.target,
                    open=reason is None,
                    reason=reason,
                    shares=tuple(sorted(rule.shares)),
                )
            )
        return tuple(options)

    def _held_back(self, track: str, at: datetime | None) -> str | None:
        """Why nothing may leave `track`'s stage now for lifecycle reasons, or None."""
        pending = self._life.pending.get(track)
        if pending is not None:
            return f"the referral '{pending.handoff}' waits to be accepted or declined"
        paused = self._life.paused.get(track)
        if paused is not None:
            return f"the stage's clock is paused ({paused.reason}); resume it first"
        earliest = self.earliest(track) if at is not None else None
        if earliest is not None and at is not None and at < earliest:
            return f"the stage's minimum time runs until {utc_text(earliest)}"
        return None

    def deadlines(self) -> tuple[Deadline, ...]:
        """Every time limit running now: stage limits, handoff deadlines and timeouts."""
        return deadlines(self.compiled, self.positions, self._arrivals, self.profile, self._life)

    def overdue(self, now: datetime) -> tuple[Deadline, ...]:
        """The limits that have run out by `now` (timeouts are not listed: `tick` makes them)."""
        check_time(now, self.case_ref, None, None)
        return tuple(d for d in self.deadlines() if not d.timeout and d.is_overdue(now))

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
            self._life,
        )
