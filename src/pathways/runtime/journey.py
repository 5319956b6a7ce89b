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
from datetime import UTC, datetime

from pathways.errors import NotAuthorised, ProfileChangeRefused
from pathways.runtime.acceptance import AcceptanceMoves
from pathways.runtime.actions import JourneyActions
from pathways.runtime.corrections import Corrections
from pathways.runtime.deadlines import next_timeout
from pathways.runtime.events import Event, ProfileChange
from pathways.runtime.guards import Value
from pathways.runtime.journey_base import NOT_AVAILABLE
from pathways.runtime.journey_queries import check_staff
from pathways.runtime.pauses import Pauses

__all__ = ["Journey"]


class Journey(AcceptanceMoves, Pauses, JourneyActions, Corrections):
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
            self._life,
        )

    # What the case system does

    def handoff(
        self,
        trigger: str,
        *,
        by: str,
        at: datetime,
        shares: Iterable[str] = (),
        staff: str | None = None,
    ) -> Event:
        """Make handoff `trigger` as agency `by` at `at`, sending the named `shares` with it.

        `staff` is the case system's opaque reference for the member of staff (optional).
        Refused, checked in this order, with `InvalidTime`, `InvalidStaffReference`,
        `JourneyClosed`, `NotAuthorised` (no agency: a timeout happens only through `tick`),
        `HandoffNotAvailable`, `NotAuthorised`, `ConditionNotMet`, `WaitingForTrack`,
        `SharingNotPermitted` or `TooEarly` (the stage's `at_least` has not run).
        """
        items = tuple(dict.fromkeys(shares))
        at = self._check_time(at, trigger, by)
        check_staff(staff, self.case_ref, by)
        self._check_open(trigger, by)
        self._check_agency(by, trigger)
        compiled = self.compiled
        positions = self.positions
        rule = compiled.handoffs.get(trigger)
        if rule is not None and positions.get(rule.track) in rule.sources:
            self._check_lifecycle(rule, by, at)
            # The machine's guard asks what `refusal` would; only a refused handoff needs the
            # reason, so it is worked out after the machine has said no.
            event = self._fire(rule, "handoff", by, at, items, positions, staff)
            if event is not None:
                return event
        refusal = compiled.refusal(positions, self.profile, trigger, by, items)
        raise self._refused(refusal or NOT_AVAILABLE, trigger, by)

    def update_profile(
        self, attribute: str, value: Value, *, by: str, at: datetime, staff: str | None = None
    ) -> Event:
        """Record a change to the victim's profile that the pathway declares (turning 18).

        Refused with `InvalidTime`, `InvalidStaffReference`, `JourneyClosed`, `NotAuthorised`
        (not an agency of the pathway, or not one the change names in `by:`) or
        `ProfileChangeRefused` (an undeclared change; `allowed` lists declared ones).
        """
        at = self._check_time(at, None, by)
        check_staff(staff, self.case_ref, by)
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
        recorders = self.compiled.change_recorders(attribute, before, value)
        if by not in recorders:
            names = ", ".join(self.compiled.agency_name(a) for a in recorders)
            raise NotAuthorised(
                f"Case {self.case_ref}: {self.compiled.agency_name(by)} may not record "
                f"{attribute} changing from {before!r} to {value!r}; it is recorded by: {names}",
                journey=self.case_ref,
                stage=self.stage,
                agency=by,
                allowed=recorders,
            )
        self.profile = self.compiled.profile({**self.profile, attribute: value})
        change = ProfileChange(attribute, before, value)
        event = Event(self.event_count, "profile", at, by=by, change=change, staff=staff)
        return self._record(event)

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
        now = self._check_time(now, None, None)
        if self.closed:
            return None
        due = next_timeout(
            self.compiled, self.positions, self._arrivals, self.profile, now, self._life
        )
        if due is None:
            return None
        rule, when = due
        return self._move(rule.name, "timeout", None, max(when.astimezone(UTC), self._last), ())
