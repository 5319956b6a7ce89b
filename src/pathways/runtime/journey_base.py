"""What every change to a journey shares: checking the time, the agency and the journey's state,
driving the shared machine and recording the event.

`JourneyBase` holds these; `Journey` (`pathways.runtime.journey`) and its parts for acceptance
(`.acceptance`), pauses (`.pauses`), journey-level actions (`.actions`) and corrections
(`.corrections`) build on it.
"""

from __future__ import annotations

from datetime import datetime

from pathways.errors import (
    ActionRefused,
    AwaitingAcceptance,
    ConditionNotMet,
    HandoffNotAvailable,
    InvalidTime,
    JourneyClosed,
    JourneyError,
    NotAuthorised,
    SharingNotPermitted,
    TooEarly,
    WaitingForTrack,
)
from pathways.runtime.events import Event, EventKind, utc_text
from pathways.runtime.guards import HandoffRule, Refusal
from pathways.runtime.journey_queries import JourneyQueries, check_time
from pathways.runtime.lifecycle import Pending
from pathways.runtime.working_days import ENGLAND

__all__ = ["NOT_AVAILABLE", "JourneyBase"]

#: What a handoff the machine refuses for no reason the rules name is refused with.
NOT_AVAILABLE = Refusal("not-available", "the pathway does not allow it", None, ())

_REFUSALS: dict[str, type[JourneyError]] = {
    "not-available": HandoffNotAvailable,
    "not-authorised": NotAuthorised,
    "condition": ConditionNotMet,
    "waiting": WaitingForTrack,
    "sharing": SharingNotPermitted,
}


class JourneyBase(JourneyQueries):
    """A journey's state and questions, with the checks and recording every change shares."""

    __slots__ = ()

    def _check_time(self, at: object, trigger: str | None, agency: str | None) -> datetime:
        """`at` as an instant in UTC, refused if it is before the journey's last event."""
        instant = check_time(at, self.case_ref, trigger, agency)
        if instant < self._last:
            raise InvalidTime(
                f"Case {self.case_ref}: {utc_text(instant)} is before the last event on this "
                f"journey ({utc_text(self._last)}); events are recorded in the order they "
                "happen",
                journey=self.case_ref,
                stage=self.stage,
                trigger=trigger,
                agency=agency,
            )
        return instant

    def _check_agency(self, agency: object, trigger: str) -> None:
        """Refuse a handoff asked for without an agency: only `tick` makes a timeout."""
        if not isinstance(agency, str) or not agency:
            raise NotAuthorised(
                f"Case {self.case_ref}: '{trigger}' needs the agency making it; a handoff that "
                "happens by itself when its time runs out is made only by tick(now)",
                journey=self.case_ref,
                stage=self.stage,
                trigger=trigger,
                agency=None,
                allowed=tuple(sorted(self.compiled.handoffs[trigger].agencies))
                if trigger in self.compiled.handoffs
                else (),
            )

    def _check_lifecycle(self, rule: HandoffRule, agency: str, at: datetime) -> None:
        """Refuse a handoff from a stage whose referral waits for an answer, whose clock is
        paused, or whose minimum time (`at_least`) has not yet run."""
        stage = self.compiled.stages[self.positions[rule.track]]
        pending = self._life.pending.get(rule.track)
        if pending is not None:
            raise AwaitingAcceptance(
                f"Case {self.case_ref}: the referral '{pending.handoff}' to {stage.label} waits "
                f"for {self._owners_text(stage.name)} to accept or decline it; '{rule.name}' "
                "can be made once it is accepted",
                journey=self.case_ref,
                stage=stage.name,
                trigger=rule.name,
                agency=agency,
                allowed=("accept", "decline"),
            )
        paused = self._life.paused.get(rule.track)
        if paused is not None:
            raise ActionRefused(
                f"Case {self.case_ref}: the clock of {stage.label} is paused "
                f"({paused.reason}); resume it before '{rule.name}'",
                journey=self.case_ref,
                stage=stage.name,
                trigger=rule.name,
                agency=agency,
                allowed=("resume",),
            )
        earliest = self.earliest(rule.track)
        if earliest is not None and at < earliest:
            raise TooEarly(
                f"Case {self.case_ref}: the journey must stay at {stage.label} for at least "
                f"{stage.stage.at_least}; '{rule.name}' may be made from "
                f"{earliest.astimezone(ENGLAND):%d %B %Y %H:%M} London time",
                journey=self.case_ref,
                stage=stage.name,
                trigger=rule.name,
                agency=agency,
            )

    def _owners_text(self, stage: str) -> str:
        owners = self.compiled.stages[stage].owners
        return ", ".join(self.compiled.agency_name(a) for a in owners) or "its owner"

    def _check_open(self, trigger: str | None, agency: str | None) -> None:
        if self.closed:
            why = (
                "every track has reached an outcome"
                if self._life.ended is None
                else f"{self._life.ended[0]}: {self._life.ended[1]}"
            )
            raise JourneyClosed(
                f"Case {self.case_ref}: the journey is closed ({why}); nothing more can be "
                "done on it",
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
            raise self._refused(NOT_AVAILABLE, trigger, agency)
        return event

    def _fire(
        self,
        rule: HandoffRule,
        what: EventKind,
        agency: str | None,
        at: datetime,
        items: tuple[str, ...],
        before: dict[str, str],
        staff: str | None = None,
    ) -> Event | None:
        """Drive the shared machine and record where the journey went; None if it refused."""
        trigger = rule.name
        if not self.compiled.fire(self, trigger, agency, items):
            return None
        after = self.positions
        started = tuple(t for t in after if t not in before)
        for track in (rule.track, *started):
            self._arrivals[track] = at
            self._life = self._life.arrived(track)
        if rule.handoff.require == "acceptance" and what == "handoff":
            pending = Pending(rule.name, before[rule.track], at)
            self._life = self._life.with_pending(rule.track, pending)
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
                staff=staff,
            )
        )
