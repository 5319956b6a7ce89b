"""Follow a case's victim through the pathway with the real runtime: every route, or the one given.

A *run* is one journey, opened with `pathways.runtime.opening.start` and moved with
`Journey.handoff`,
`Journey.update_profile` and `Journey.tick_once`, exactly as a case system would; its events are
the route. Without a `route:` the runner explores: from where the journey is it tries every
handoff whose condition the profile meets and that some agency may make (the agency that found
the victim if it may, else the agency owning the stage, else the first allowed), and every
timeout that would happen by itself. Parallel tracks are explored in one order (the main track
as far as it can go, then the next track): the choices on each track are all tried, the
interleavings are not, which is enough to say where a victim can get to.

Time is the pathway's own: each handoff happens at the last moment its limits allow (the end of
the due date of the stage's `within` or the handoff's `within`, or just before a timeout would
take the journey elsewhere), so "within 10 working days" means the pathway's time limits add up
to no more than that. A handoff with no limit at all happens at once but is marked *untimed*:
the pathway does not say when it happens.

Exploration is bounded: a route never returns to a state (stages and profile) it has been in,
is at most `MAX_STEPS` events long, and at most `MAX_ROUTES` routes are followed per case.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from pathways.casetests.cases import Case, Step
from pathways.casetests.moves import DEFAULT_START, Move, Mover, opening_time
from pathways.definition.schema import Pathway
from pathways.errors import JourneyError
from pathways.runtime.compiler import CompiledPathway, compile_pathway
from pathways.runtime.events import Event
from pathways.runtime.guards import Value
from pathways.runtime.journey import Journey
from pathways.runtime.opening import bind, start

__all__ = [
    "CASE_REF",
    "DEFAULT_START",
    "MAX_ROUTES",
    "MAX_STEPS",
    "Ending",
    "Exploration",
    "Run",
    "explore",
    "first_finder",
    "profiles",
]

#: Routes followed per case at most, and events per route at most.
MAX_ROUTES = 2000
MAX_STEPS = 60
#: The case reference of every journey the runner opens.
CASE_REF = "case-test"

#: How a run ended: every track at an outcome (`closed`), no handoff anyone may make (`stuck`),
#: every way on goes back to where it has been (`loop`), the given route ended (`stopped`), a
#: step of the given route was refused (`refused`), or the route grew too long (`too-long`).
Ending = Literal["closed", "stuck", "loop", "stopped", "refused", "too-long"]


@dataclass(frozen=True)
class Run:
    """One route a victim took: the journey's events and how the route ended.

    `timed[i]` is False when no time limit bounds when event `i` happened. `refusal` says why
    a step of the given route could not be made (`ending == "refused"`), `step` which one.
    """

    profile: Mapping[str, Value]
    events: tuple[Event, ...]
    timed: tuple[bool, ...]
    ending: Ending
    refusal: str | None = None
    step: int | None = None

    @property
    def opened(self) -> datetime:
        return self.events[0].at


@dataclass(frozen=True)
class Exploration:
    """Every run of one case, in the order found, and whether the bounds cut exploration short."""

    compiled: CompiledPathway
    runs: tuple[Run, ...]
    truncated: bool
    explored: bool = field(default=True)


def explore(pathway: Pathway | CompiledPathway, case: Case) -> Exploration:
    """Every route open to the victim of `case` (or the one route it gives)."""
    compiled = pathway if isinstance(pathway, CompiledPathway) else compile_pathway(pathway)
    explorer = _Explorer(compiled, case)
    for profile in profiles(compiled.pathway, case.profile):
        explorer.run(profile)
        if explorer.truncated:
            break
    return Exploration(compiled, tuple(explorer.runs), explorer.truncated, case.route is None)


def profiles(pathway: Pathway, given: Mapping[str, Value]) -> Iterator[dict[str, Value]]:
    """Every full profile matching `given`: attributes not given take each of their values."""
    names = list(pathway.profile)
    domains = [(given[n],) if n in given else pathway.profile[n].domain for n in names]
    for values in itertools.product(*domains):
        yield dict(zip(names, values, strict=True))


def first_finder(compiled: CompiledPathway) -> str:
    """Who finds the victim unless told: the entry stage's owner, else the first agency."""
    owners = compiled.entry.owners
    return owners[0] if owners else "".join(sorted(compiled.pathway.agencies)[:1])


class _Explorer:
    def __init__(self, compiled: CompiledPathway, case: Case) -> None:
        self.compiled = compiled
        self.case = case
        self.found_by = case.found_by or first_finder(compiled)
        self.mover = Mover(compiled, self.found_by)
        self.opens = opening_time(date.fromisoformat(case.starts_on) if case.starts_on else None)
        self.runs: list[Run] = []
        self.truncated = False

    # one profile

    def run(self, profile: dict[str, Value]) -> None:
        journey = start(self.compiled, CASE_REF, profile, self.opens, self.found_by)
        timed = [True]
        steps = self.case.route if self.case.route is not None else self.case.starts_with or ()
        for index, step in enumerate(steps):
            try:
                timed.extend(self._step(journey, step))
            except JourneyError as exc:
                self._record(journey, profile, timed, "refused", _reason(exc), index)
                return
        if self.case.route is not None:
            self._record(journey, profile, timed, "closed" if journey.closed else "stopped")
            return
        self._search(journey, profile, timed, {_state(journey)})

    def _search(
        self, journey: Journey, profile: dict[str, Value], timed: list[bool], seen: set[object]
    ) -> None:
        if len(self.runs) >= MAX_ROUTES:
            self.truncated = True
            return
        if journey.closed:
            self._record(journey, profile, timed, "closed")
            return
        if journey.event_count >= MAX_STEPS:
            self.truncated = True
            self._record(journey, profile, timed, "too-long")
            return
        moves = self._moves(journey)
        if not moves:
            self._record(journey, profile, timed, "stuck")
            return
        looped = explored = 0
        for move in moves:
            child = bind(self.compiled, journey.snapshot(), journey.history)
            made = self.mover.make(child, move)
            if made is None:
                continue
            key = _state(child)
            if key in seen:
                looped += 1
                continue
            explored += 1
            self._search(child, profile, [*timed, *made], seen | {key})
        if not explored:
            self._record(journey, profile, timed, "loop" if looped else "stuck")

    def _moves(self, journey: Journey) -> list[Move]:
        """The handoffs open on the first track that has any."""
        for track in self.compiled.tracks:
            moves = self.mover.moves_on(journey, track)
            if moves:
                return moves
        return []

    def _record(
        self,
        journey: Journey,
        profile: dict[str, Value],
        timed: list[bool],
        ending: Ending,
        refusal: str | None = None,
        step: int | None = None,
    ) -> None:
        self.runs.append(Run(profile, journey.history, tuple(timed), ending, refusal, step))

    # given steps

    def _step(self, journey: Journey, step: Step) -> list[bool]:
        if step.becomes is not None:
            at = journey.history[-1].at
            for attribute, value in step.becomes.items():
                who = self.compiled.change_recorders(attribute, journey.profile[attribute], value)
                by = self.found_by if self.found_by in who or not who else who[0]
                journey.update_profile(attribute, value, by=by, at=at)
            return [True] * len(step.becomes)
        name = step.handoff or ""
        rule = self.compiled.handoffs[name]
        if step.by is None and rule.timeout and rule.within is not None:
            made = self.mover.timeout(journey, rule)
            if made is None:
                refusal = self.compiled.refusal(journey.positions, journey.profile, name, None)
                message = refusal.message if refusal is not None else "its time is not running"
                raise JourneyError(
                    f"'{name}' does not happen by itself here: {message}", journey=CASE_REF
                )
            return made
        stage = journey.positions.get(rule.track, journey.stage)
        agency = step.by or self.mover.agency(rule, stage)
        made = self.mover.make(journey, Move(rule, agency))
        return made or []


def _state(journey: Journey) -> object:
    return (tuple(journey.positions.items()), tuple(journey.profile.items()))


def _reason(exc: JourneyError) -> str:
    text = str(exc)
    prefix = f"Case {CASE_REF}: "
    return text[len(prefix) :] if text.startswith(prefix) else text
