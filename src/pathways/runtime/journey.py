"""The journey runtime: what a case system calls to move one victim's journey along a pathway.

A journey is opened by `pathways.runtime.opening` (`start`, `bind` or `replay`). `Journey.handoff`
moves it, refusing with a specific `JourneyError` that names the case, the stage and what would
be allowed; `update_profile` records a declared change (a child turning 18); `tick` makes the
timeouts that have run out, time always being passed in, never read from the clock. Every change
is recorded as an `Event`. What a journey is now, and what an agency can do (`available`,
`deadlines`, `overdue`), are asked of `JourneyQueries` (`pathways.runtime.journey_queries`),
which `Journey` extends.

A `Journey` is a small object with `__slots__`: the shared machine of its `CompiledPathway` reads
and moves its `machine_state` (see `pathways.runtime.compiler`). A store keeps `snapshot()` and the
events (`history`, or `events_since` what it has already saved).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from pathways.errors import (
    ConditionNotMet,
    HandoffNotAvailable,
    InvalidTime,
    JourneyClosed,
    JourneyError,
    NotAuthorised,
    ProfileChangeRefused,
    SharingNotPermitted,
    WaitingForTrack,
)
from pathways.runtime.deadlines import next_timeout
from pathways.runtime.events import Event, EventKind, ProfileChange
from pathways.runtime.guards import HandoffRule, Refusal, Value
from pathways.runtime.journey_queries import JourneyQueries, check_time

__all__ = ["Journey"]

#: What a handoff the machine refuses for no reason the rules name is refused with.
_NOT_AVAILABLE = Refusal("not-available", "the pathway does not allow it", None, ())

_REFUSALS: dict[str, type[JourneyError]] = {
    "not-available": HandoffNotAvailable,
    "not-authorised": NotAuthorised,
    "condition": ConditionNotMet,
    "waiting": WaitingForTrack,
    "sharing": SharingNotPermitted,
}


class Journey(JourneyQueries):
    """One victim's journey on one pathway version, known to the case system by `case_ref`."""

    __slots__ = ()

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

    # What the case system does

    def handoff(self, trigger: str, *, by: str, at: datetime, shares: Iterable[str] = ()) -> Event:
        """Make handoff `trigger` as agency `by` at `at`, sending the named `shares` with it.

        Refused, checked in this order, with `InvalidTime`, `JourneyClosed`,
        `HandoffNotAvailable`, `NotAuthorised`, `ConditionNotMet`, `WaitingForTrack` or
        `SharingNotPermitted`.
        """
        items = tuple(dict.fromkeys(shares))
        self._check_time(at, trigger, by)
        self._check_open(trigger, by)
        compiled = self.compiled
        positions = self.positions
        rule = compiled.handoffs.get(trigger)
        if rule is not None and positions.get(rule.track) in rule.sources:
            # The machine's guard asks what `refusal` would; only a refused handoff needs the
            # reason, so it is worked out after the machine has said no.
            event = self._fire(rule, "handoff", by, at, items, positions)
            if event is not None:
                return event
        refusal = compiled.refusal(positions, self.profile, trigger, by, items)
        raise self._refused(refusal or _NOT_AVAILABLE, trigger, by)

    def update_profile(self, attribute: str, value: Value, *, by: str, at: datetime) -> Event:
        """Record a change to the victim's profile that the pathway declares (turning 18).

        Refused with `InvalidTime`, `JourneyClosed`, `NotAuthorised` (not an agency of the
        pathway) or `ProfileChangeRefused` (an undeclared change; `allowed` lists declared ones).
        """
        self._check_time(at, None, by)
        self._check_open(None, by)
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
        self._check_time(now, None, None)
        if self.closed:
            return None
        due = next_timeout(self.compiled, self.positions, self._arrivals, self.profile, now)
        if due is None:
            return None
        rule, when = due
        return self._move(rule.name, "timeout", None, max(when, self._last), ())

    # Inside

    def _check_time(self, at: object, trigger: str | None, agency: str | None) -> None:
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

    def _check_open(self, trigger: str | None, agency: str | None) -> None:
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
        event = self._fire(rule, what, agency, at, items, self.positions)
        if event is None:
            raise self._refused(_NOT_AVAILABLE, trigger, agency)
        return event

    def _fire(
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
