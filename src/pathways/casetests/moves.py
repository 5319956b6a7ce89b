"""How the case-test runner and `pathways walk` move a journey on: who makes a handoff, when.

Both follow a victim through the real runtime (`Journey.handoff`, `Journey.tick_once`) with
the pathway's own time: a handoff happens at the last moment its limits allow (the end of the
due date of the stage's `within` or the handoff's `within`, or just before a timeout would take
the journey elsewhere); a handoff with no limit at all happens at once and is marked *untimed*.
A timeout happens by letting time pass until it is due. The agency making a handoff is the one
that found the victim if it may, else the stage's owner, else the first allowed. A referral
waiting for acceptance is accepted by its stage's owner before the next handoff from there; no
handoff happens before a stage's `at_least` has run.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from pathways.runtime.compiler import CompiledPathway
from pathways.runtime.guards import HandoffRule
from pathways.runtime.journey import Journey
from pathways.runtime.working_days import ENGLAND

__all__ = ["DEFAULT_START", "Move", "Mover", "opening_time"]

#: When journeys open unless a case says `starts_on`: a Monday with no bank holiday near.
DEFAULT_START = date(2025, 1, 6)
_OPENS_AT = time(9, 0)
_LAST_MINUTE = timedelta(minutes=1)


def opening_time(day: date | None) -> datetime:
    """09:00 in England on `day` (default: `DEFAULT_START`), when a followed journey opens."""
    return datetime.combine(day or DEFAULT_START, _OPENS_AT, tzinfo=ENGLAND)


@dataclass(frozen=True, slots=True)
class Move:
    """A handoff open now: made by `agency`, or by itself when its time runs out (`None`)."""

    rule: HandoffRule
    agency: str | None

    @property
    def timeout(self) -> bool:
        return self.agency is None


class Mover:
    """Moves journeys of one compiled pathway on, for the victim found by `found_by`."""

    def __init__(self, compiled: CompiledPathway, found_by: str) -> None:
        self.compiled = compiled
        self.found_by = found_by

    def moves_on(self, journey: Journey, track: str) -> list[Move]:
        """The handoffs open on `track` where the journey is now (none at an outcome)."""
        stage = journey.positions.get(track)
        if stage is None or self.compiled.stages[stage].outcome:
            return []
        found: list[Move] = []
        for rule in self.compiled.stages[stage].exits:
            if not rule.holds(journey.profile) or rule.waiting_for(journey.positions):
                continue
            if rule.timeout and rule.within is not None:
                found.append(Move(rule, None))
            elif rule.agencies:
                found.append(Move(rule, self.agency(rule, stage)))
        return found

    def agency(self, rule: HandoffRule, stage: str) -> str:
        """Who makes `rule`: the finder if it may, else the stage's owner, else the first."""
        if self.found_by in rule.agencies:
            return self.found_by
        owners = [a for a in self.compiled.stages[stage].owners if a in rule.agencies]
        return owners[0] if owners else sorted(rule.agencies)[0]

    def make(self, journey: Journey, move: Move, by: str | None = None) -> list[bool] | None:
        """Make `move` (by `by` if given); the new events' timed flags, or None if it cannot
        happen by itself here."""
        if move.agency is None and by is None:
            return self.timeout(journey, move.rule)
        at, timed = self.when(journey, move.rule)
        agency = by or move.agency or ""
        accepted = _accept(journey, move.rule.track, at)
        journey.handoff(move.rule.name, by=agency, at=at, shares=sorted(move.rule.shares))
        return [*accepted, timed]

    def when(self, journey: Journey, rule: HandoffRule) -> tuple[datetime, bool]:
        """The last moment `rule` may happen by the limits running, and whether any does."""
        last = journey.history[-1].at
        stage = journey.positions.get(rule.track)
        if stage is None:
            return last, False
        earliest = journey.earliest(rule.track)  # the stage's `at_least`, if it has one
        if earliest is not None:
            last = max(last, earliest)
        bounds: list[datetime] = []
        for deadline in journey.deadlines():
            if deadline.track != rule.track or deadline.stage != stage:
                continue
            if (deadline.timeout and deadline.handoff != rule.name) or deadline.handoff in (
                None,
                rule.name,
            ):
                bounds.append(deadline.overdue_from - _LAST_MINUTE)
        if not bounds:
            return last, False
        return max(min(bounds), last), True

    def timeout(self, journey: Journey, rule: HandoffRule) -> list[bool] | None:
        """Let time pass until `rule` happens by itself (others may happen first).

        If the others keep `rule` from happening by its due time (a timeout that starts its
        stage again, say), the route is what did happen while the time passed.
        """
        due = [d for d in journey.deadlines() if d.timeout and d.handoff == rule.name]
        if not due:
            return None
        now = max(due[0].overdue_from, journey.history[-1].at)
        made: list[bool] = []
        while True:
            event = journey.tick_once(now)
            if event is None:
                return made or None
            made.append(True)
            if event.trigger == rule.name:
                return made


def _accept(journey: Journey, track: str, at: datetime) -> list[bool]:
    """A referral on `track` that waits for acceptance is accepted by its stage's owner (case
    tests and walks follow referrals that are accepted); the new event's timed flag."""
    pending = journey.awaiting().get(track)
    if pending is None:
        return []
    owner = journey.compiled.stages[journey.positions[track]].owners[0]
    journey.accept(pending.handoff, by=owner, at=at)
    return [True]
