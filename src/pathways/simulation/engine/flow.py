"""Flow: victims arriving, and tracks moving on through stages without capacity.

At a stage without capacity a track's timeline is advanced directly: its duration is drawn
(`Timing.end`), its way on chosen (`Routes.choose`) and the next stage entered, until it reaches
a capacity-limited stage (`Capacity.reach`: its queue now, or by an event at its arrival
there), an outcome, or a handoff that waits for another track (`Tracks.go`).
"""

from __future__ import annotations

import math
import random
from bisect import bisect_right
from collections.abc import Iterator, Mapping
from heapq import heappush
from math import ceil, log

from pathways.definition.retelling import is_retold
from pathways.simulation.engine.arrivals import arrival_times, draw_changes, draw_profile
from pathways.simulation.engine.capacity import Capacity
from pathways.simulation.engine.clock import Clock
from pathways.simulation.engine.endless import ENDLESS, FOLLOWED, endless_loop
from pathways.simulation.engine.events import KEY, NEW, Events
from pathways.simulation.engine.recorder import JourneyRecord, Recorder
from pathways.simulation.engine.routes import Routes
from pathways.simulation.engine.streams import DURATION, KINDS, Streams
from pathways.simulation.engine.tables import SimModel, StageTable
from pathways.simulation.engine.timing import Timing
from pathways.simulation.engine.tracks import Tracks

__all__ = ["Flow"]

_NEW = KEY[NEW]


class Flow:
    """New journeys, the backlog on day 0, and the movement of tracks (see the module docstring).

    Arrival times come from the arrivals stream `arrival_rng`; each journey's channel, profile
    and profile changes from its own numbers in `streams`.
    """

    __slots__ = (
        "arrival_rng",
        "arrivals",
        "arrived",
        "choose",
        "clock",
        "constant",
        "events",
        "extras",
        "finish_track",
        "go",
        "heap",
        "loop",
        "model",
        "once",
        "purposes",
        "reach",
        "record",
        "second",
        "sequence",
        "service_end",
        "services",
        "slow_way",
        "stages",
        "starts",
        "streams",
        "taken",
        "waits",
        "way_to",
    )

    def __init__(
        self,
        model: SimModel,
        clock: Clock,
        arrival_rng: random.Random,
        streams: Streams,
        parts: tuple[Events, Timing, Routes, Recorder],
        capacity: Capacity,
        tracks: Tracks,
    ) -> None:
        events, timing, routes, record = parts
        self.model, self.clock, self.arrival_rng = model, clock, arrival_rng
        self.streams = streams
        #: Journeys arrived so far: the next one's number in the random streams.
        self.arrived = 0
        self.stages = model.stages
        self.events, self.heap, self.sequence = events, events.heap, events.sequence
        self.starts, self.second = timing.starts, timing.second
        self.service_end = timing.paused_end if model.pauses else timing.end
        self.choose = routes.choose
        self.record = record
        self.waits, self.services, self.taken = record.waits, record.services, record.taken
        self.reach = capacity.reach
        self.finish_track, self.go = tracks.finish_track, tracks.go
        #: Per way: whether it takes the general path (`Tracks.go`): it waits for tracks, or
        #: counts lateness against a time limit; every way does when journeys are traced.
        self.slow_way = [bool(w.waits_for or w.within or record.trace) for w in model.ways]
        self.way_to = [way.to for way in model.ways]
        self.extras = tracks.extras
        self.constant = timing.constant
        self.arrivals: Iterator[float] = iter(())
        self.purposes = tuple(
            streams.profile_purpose(name) for name in ("channel", "profile", "profile-changes")
        )
        #: Per profile: (rate, new profile) when it changes once, one way only, else None.
        self.once = [_once(model, profile) for profile in range(len(model.profile_values))]
        self.loop: list[int] = []  # the stages of a track going round a loop (`going_round`)

    def start(self) -> None:
        """Put the backlog in place and schedule the first arrival."""
        self.backlog()
        self.arrivals = arrival_times(self.model, self.clock, self.arrival_rng)
        first = next(self.arrivals, None)
        if first is not None:
            self.events.push(first, NEW, None)

    def new_journey(self, time: float) -> None:
        """A victim arrives: their profile and profile changes are drawn, their journey starts."""
        following = next(self.arrivals, None)
        if following is not None:
            heappush(self.heap, (following, _NEW + next(self.sequence), None))
        number = self.arrived
        self.arrived = number + 1
        journey = self.open(number, time, self.model.warm_up <= time)
        self.record.arrive(journey, time)
        self.advance(journey, 0, self.model.entry, time)

    def open(
        self, number: int, time: float, counted: bool, given: Mapping[int, int] | None = None
    ) -> JourneyRecord:
        """Open journey `number` at `time`: its profile and profile changes are drawn (`given`
        maps the profile drawn to one with some values fixed, for the backlog table)."""
        model, uniform, purposes = self.model, self.streams.uniform, self.purposes
        regime = model.regimes[0 if time < self.second else bisect_right(self.starts, time) - 1]
        if len(regime.channels) > 1:
            profile = draw_profile(
                regime, uniform(purposes[0], number), uniform(purposes[1], number)
            )
        elif len(regime.profiles[0][0]) > 1:
            profile = draw_profile(regime, 0.0, uniform(purposes[1], number))
        else:
            profile = regime.profiles[0][0][0]
        if given is not None:
            profile = given[profile]
        journey = self.record.open(time, profile, counted, number)
        if model.changes and profile in model.changes:
            draw = uniform(purposes[2], number)
            once = self.once[profile]
            if once is not None:
                # `draw_changes` for a profile that changes once, one way: the same number.
                rate, target = once
                changes: tuple[tuple[float, int], ...] = ((time + -log(1.0 - draw) / rate, target),)
            else:
                draws = self.streams.draws.start(draw, key=number, purpose=purposes[2])
                changes = draw_changes(model.changes, draws, profile, time)
            journey.changes = changes
            journey.change_at = changes[0][0]
        return journey

    def backlog(self) -> None:
        """Cases already waiting on day 0 (never counted in per-journey figures): the `backlog`
        counts, then the backlog table's cases, oldest referral first, each keeping its
        referral date as the journey's start."""
        draws = self.streams.draws
        number = 0
        for stage, cases, remaining in self.model.backlog:
            sampler = remaining.sampler(draws) if remaining is not None else None
            for _ in range(cases):
                number -= 1
                journey = self.open(number, 0.0, False)
                if sampler is None or self.stages[stage].pool >= 0:
                    self.advance(journey, 0, stage, 0.0)
                    continue
                purpose = stage * KINDS + DURATION
                draws.start(self.streams.uniform(purpose, number), key=number, purpose=purpose)
                left = sampler()
                working = remaining is not None and remaining.working
                end = self.clock.add_working(0.0, left) if working else left
                _enter(journey, self.stages[stage], 0.0)
                step = self.leave(journey, 0, stage, 0.0, 0.0, end)
                if step is not None:
                    self.advance(journey, 0, *step)
        for stage, referred, cases, profiles in self.model.starting:
            for _ in range(cases):
                number -= 1
                journey = self.open(number, 0.0, False, profiles)
                journey.arrived = journey.referred = referred
                self.advance(journey, 0, stage, 0.0)

    def leave(
        self,
        journey: JourneyRecord,
        track: int,
        stage: int,
        arrived: float,
        start: float,
        end: float,
    ) -> tuple[int, float] | None:
        """Leave `stage` (ready at `end`); the next (stage, time), or None if the track stops."""
        way, end = self.choose(journey, stage, arrived, end)
        if way < 0:
            self.record.stuck(journey, stage, arrived, start, end)
            return None
        return self.go(journey, track, stage, arrived, start, end, way)

    def going_round(self, stage: int, moves: int) -> None:
        """Note `stage` of a track that has moved `moves` times in one go; once it has been
        followed round its loop, stop the simulation (`pathways.simulation.engine.endless`)."""
        if moves == ENDLESS + 1:
            self.loop = []
        self.loop.append(stage)
        if moves > ENDLESS + FOLLOWED:
            raise endless_loop(self.model, self.loop)

    def advance(self, journey: JourneyRecord, track: int, stage: int, time: float) -> None:
        """Move a track on from `stage`, entered at `time`, as far as it can go now (stopping
        the simulation if it never stops: `pathways.simulation.engine.endless`)."""
        stages, record, service_end, constant = (
            self.stages,
            self.record,
            self.service_end,
            self.constant,
        )
        every, last, backlog = record.every, record.last, record.backlog
        moves, endless = 0, ENDLESS
        while True:
            moves += 1
            if moves > endless:
                self.going_round(stage, moves)
            info = stages[stage]
            # `_enter`, inlined: this runs at every stage a track enters.
            if info.support and journey.support < 0.0:
                journey.support = time - journey.arrived
            if info.asks:
                ask(journey, info)
            if info.outcome is not None:
                self.finish_track(journey, track, stage, time)
                return
            if info.pool >= 0:
                self.reach(journey, track, stage, time)
                return
            fixed = constant[stage]
            end = time + fixed if fixed >= 0.0 else service_end(journey, stage, time, time)
            way = info.only_way
            if way < 0:
                way, end = self.choose(journey, stage, time, end)
                if way < 0:
                    self.record.stuck(journey, stage, time, time, end)
                    return
            if self.slow_way[way]:
                step = self.go(journey, track, stage, time, time, end, way)
                if step is None:
                    return
                stage, time = step
                continue
            # `record.visit` and `record.handoff`, inlined for the common handoff; an instant
            # visit is in no backlog.
            if end > time:
                low, high = ceil(time / every), ceil((end if end < last else last) / every)
                if low < high:
                    series = backlog[stage]
                    series[low] += 1
                    series[high] -= 1
            journey.handoffs += 1
            if journey.counted:
                self.waits[stage].append(0.0)
                self.services[stage].append(end - time)
                if info.within is not None:
                    record.check_limit(stage, time, end, journey)
                self.taken[way] += 1
            extra = self.extras[way]  # the milestone, what it shares, the tracks it starts
            if extra is not None:
                extra(journey, stage, end)
            stage, time = self.way_to[way], end


def _once(model: SimModel, profile: int) -> tuple[float, int] | None:
    """(rate, new profile) if `profile` can change only one way, to a profile that does not
    change: its change is then drawn from one number, as `draw_changes` draws it."""
    options = model.changes.get(profile, ())
    if len(options) != 1 or options[0][1] in model.changes:
        return None
    rate, target = options[0]
    return math.fsum([rate]), target


def _enter(journey: JourneyRecord, info: StageTable, time: float) -> None:
    """A track enters a support stage or one that collects information."""
    if info.support and journey.support < 0.0:
        journey.support = time - journey.arrived
    if info.asks:
        ask(journey, info)


def ask(journey: JourneyRecord, info: StageTable) -> None:
    """A track enters a stage that asks for information: count the retellings."""
    held, owner = journey.held, info.owner
    for item in info.asks:
        had = held.get(item, 0)
        journey.retellings += is_retold(had, owner)
        held[item] = had | owner
