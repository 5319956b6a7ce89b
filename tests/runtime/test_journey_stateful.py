"""Random journeys on random pathways, checked step by step against a plain reference model.

The reference reads the `Pathway` model directly and evaluates conditions with
`pathways.definition.conditions.evaluate`: it shares no code with the compiler or the runtime
except the
calendar (tested on its own). After every step the runtime must have accepted exactly what the
reference accepted (or refused it with the same error), be where the reference is, have lost no
history and have an owner for every stage it is at. Journeys are stored and bound again along
the way, and at the end rebuilt from their events.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from pathways.definition.conditions import evaluate
from pathways.definition.schema import MAIN_TRACK, Handoff, Pathway
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
from pathways.runtime.compiler import compile_pathway
from pathways.runtime.journey import Journey
from pathways.runtime.opening import bind, replay, start
from pathways.runtime.working_days import day_in_england, overdue_from
from strategies import pathways

LONDON = ZoneInfo("Europe/London")
OUTSIDER = "outsider"


class Reference:
    """What the pathway allows, worked out from the pathway model in the plainest way."""

    def __init__(self, pathway: Pathway, profile: dict[str, Any], at: datetime) -> None:
        self.p = pathway
        self.profile = dict(profile)
        self.positions = {MAIN_TRACK: pathway.entry}
        self.arrivals = {MAIN_TRACK: at}
        self.last = at
        self.events = 1

    def outcome(self, track: str) -> bool:
        return self.p.stages[self.positions[track]].kind == "outcome"

    @property
    def closed(self) -> bool:
        return all(self.outcome(t) for t in self.positions)

    def may(self, handoff: Handoff) -> set[str]:
        return {a for actor in handoff.by for a in self.p.owner_agencies(actor)}

    def holds(self, handoff: Handoff) -> bool:
        return handoff.when is None or evaluate(handoff.when, self.profile)

    def waiting(self, handoff: Handoff) -> bool:
        return any(t in self.positions and not self.outcome(t) for t in handoff.waits_for)

    def handoff(
        self, trigger: str, agency: str, at: datetime, shares: list[str]
    ) -> type[JourneyError] | None:
        if at < self.last:
            return InvalidTime
        if self.closed:
            return JourneyClosed
        handoff = self.p.handoffs.get(trigger)
        if handoff is None:
            return HandoffNotAvailable
        track = self.p.stages[handoff.to].track
        if self.positions.get(track) not in handoff.from_:
            return HandoffNotAvailable
        if agency not in self.may(handoff):
            return NotAuthorised
        if not self.holds(handoff):
            return ConditionNotMet
        if self.waiting(handoff):
            return WaitingForTrack
        if any(item not in handoff.shares for item in shares):
            return SharingNotPermitted
        self.move(handoff, at)
        return None

    def move(self, handoff: Handoff, at: datetime) -> None:
        track = self.p.stages[handoff.to].track
        self.positions[track] = handoff.to
        self.arrivals[track] = at
        for started in handoff.starts:
            if started not in self.positions:
                self.positions[started] = self.p.tracks[started].entry
                self.arrivals[started] = at
        self.last = at
        self.events += 1

    def change(
        self, attribute: str, value: Any, agency: str, at: datetime
    ) -> type[JourneyError] | None:
        if at < self.last:
            return InvalidTime
        if self.closed:
            return JourneyClosed
        if agency not in self.p.agencies:
            return NotAuthorised
        declared = self.p.profile.get(attribute)
        if declared is None:
            return ProfileChangeRefused
        current = self.profile[attribute]
        allowed = [
            c
            for c in declared.changes
            if (type(c.from_), c.from_, type(c.to), c.to)
            == (type(current), current, type(value), value)
        ]
        if not allowed:
            return ProfileChangeRefused
        self.profile[attribute] = value
        self.last = at
        self.events += 1
        return None

    def tick(self, now: datetime) -> type[JourneyError] | None:
        if now < self.last:
            return InvalidTime
        while not self.closed:
            due: tuple[datetime, Handoff] | None = None
            for track in (MAIN_TRACK, *self.p.tracks):
                if track not in self.positions or self.outcome(track):
                    continue
                for name in self.p.handoffs_from(self.positions[track]):
                    handoff = self.p.handoffs[name]
                    if not handoff.timeout or handoff.within is None:
                        continue
                    if not self.holds(handoff) or self.waiting(handoff):
                        continue
                    day = day_in_england(self.arrivals[track])
                    when = overdue_from(day, handoff.within)
                    if when <= now and (due is None or when < due[0]):
                        due = (when, handoff)
            if due is None:
                break
            self.move(due[1], max(due[0], self.last))
        return None


class JourneyMachine(RuleBasedStateMachine):
    """Drives one journey on one drawn pathway, and its reference, with the same steps."""

    journey: Journey
    reference: Reference
    pathway: Pathway
    seen: tuple[Any, ...] = ()

    @initialize(pathway=pathways(), data=st.data())
    def open_journey(self, pathway: Pathway, data: st.DataObject) -> None:
        self.pathway = pathway
        profile = {
            name: data.draw(st.sampled_from(attribute.domain), label=name)
            for name, attribute in pathway.profile.items()
        }
        opened_by = data.draw(st.sampled_from(sorted(pathway.agencies)), label="opened by")
        self.now = datetime(2025, 12, 18, 9, 0, tzinfo=LONDON)
        self.journey = start(compile_pathway(pathway), "CASE-1", profile, self.now, opened_by)
        self.reference = Reference(pathway, profile, self.now)

    def _when(self, data: st.DataObject) -> datetime:
        hours = data.draw(st.integers(-30, 24 * 6), label="hours later")
        self.now = max(self.now, self.now + timedelta(hours=hours))
        return self.now + timedelta(hours=min(hours, 0))

    def _agency(self, data: st.DataObject, likely: set[str]) -> str:
        choices = sorted(likely) if likely and data.draw(st.booleans()) else None
        pool = choices or [*sorted(self.pathway.agencies), OUTSIDER]
        return data.draw(st.sampled_from(pool), label="agency")

    def _outcome(self, step: Any) -> type[JourneyError] | None:
        try:
            step()
        except JourneyError as error:
            return type(error)
        return None

    @rule(data=st.data())
    def hand_off(self, data: st.DataObject) -> None:
        ref = self.reference
        here = [h for t, s in ref.positions.items() for h in self.pathway.handoffs_from(s)]
        pool = here if here and data.draw(st.booleans()) else [*self.pathway.handoffs, "nowhere"]
        trigger = data.draw(st.sampled_from(pool), label="trigger")
        handoff = self.pathway.handoffs.get(trigger)
        agency = self._agency(data, ref.may(handoff) if handoff else set())
        items = [*self.pathway.information, "passport"]
        shares = data.draw(st.lists(st.sampled_from(items), unique=True, max_size=2))
        at = self._when(data)
        expected = ref.handoff(trigger, agency, at, shares)
        outcome = self._outcome(
            lambda: self.journey.handoff(trigger, by=agency, at=at, shares=shares)
        )
        assert outcome is expected, (trigger, agency, shares, outcome, expected)
        event(f"handoff: {'accepted' if expected is None else expected.__name__}")

    @rule(data=st.data())
    def change_profile(self, data: st.DataObject) -> None:
        names = [*self.pathway.profile, "name"]
        attribute = data.draw(st.sampled_from(names), label="attribute")
        declared = self.pathway.profile.get(attribute)
        domain = list(declared.domain) if declared else ["x"]
        value = data.draw(st.sampled_from([*domain, "unknown"]), label="value")
        agency = self._agency(data, set(self.pathway.agencies))
        at = self._when(data)
        expected = self.reference.change(attribute, value, agency, at)
        outcome = self._outcome(
            lambda: self.journey.update_profile(attribute, value, by=agency, at=at)
        )
        assert outcome is expected, (attribute, value, agency, outcome, expected)
        event(f"profile change: {'accepted' if expected is None else expected.__name__}")

    @rule(data=st.data())
    def tick(self, data: st.DataObject) -> None:
        at = self._when(data)
        before = self.reference.events
        expected = self.reference.tick(at)
        outcome = self._outcome(lambda: self.journey.tick(at))
        assert outcome is expected
        event(f"tick: {self.reference.events - before} timeouts")

    @rule(with_events=st.booleans())
    def store_and_bind(self, with_events: bool) -> None:
        journey = self.journey
        text = json.dumps({"s": journey.snapshot(), "e": [e.to_dict() for e in journey.history]})
        stored = json.loads(text)
        bound = bind(journey.compiled, stored["s"], stored["e"] if with_events else None)
        assert bound.positions == journey.positions
        assert bound.snapshot() == journey.snapshot()
        if with_events:
            assert bound == journey
            self.journey = bound

    @invariant()
    def same_place_and_profile(self) -> None:
        assert self.journey.positions == self.reference.positions
        assert dict(self.journey.profile) == self.reference.profile
        assert self.journey.closed == self.reference.closed

    @invariant()
    def no_history_lost(self) -> None:
        history = self.journey.history
        assert len(history) == self.reference.events
        assert [e.seq for e in history] == list(range(len(history)))
        assert history[: len(self.seen)] == self.seen
        self.seen = history

    @invariant()
    def every_stage_has_an_owner(self) -> None:
        for stage, owners in self.journey.owners().items():
            assert owners, stage

    def teardown(self) -> None:
        if hasattr(self, "journey"):
            events = [e.to_dict() for e in self.journey.history]
            assert replay(self.pathway, "CASE-1", events) == self.journey


JourneyMachine.TestCase.settings = settings(
    max_examples=150,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
test_random_journeys_match_the_reference = JourneyMachine.TestCase
