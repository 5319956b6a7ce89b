"""The discrete-event engine: one replication of a scenario, seeded and deterministic.

House style (after SimPy): one heap of events keyed `(time, priority, sequence)`, so ties are
broken the same way every time; randomness comes from `random.Random` streams seeded by text
(`"<seed>:<replication>:arrivals"` and `":journeys"`), which give the same numbers on any
machine and in any process. Arrival times, channels, profiles and profile changes use the
arrivals stream, so two scenarios with the same arrivals see the same victims.

Only capacity-limited stages (caseworkers, panels) need events. At any other stage a journey's
timeline is advanced directly: its duration is drawn, its way on chosen and the next stage
entered, until it reaches a capacity-limited stage (an event is scheduled for its arrival
there), an outcome, or a handoff that waits for another track (it is parked until that track
reaches an outcome). Every scheduled time is at or after the heap's current time, so the order
of events is the order of time.

How ways on are chosen, timeouts, tracks and profile changes are described in
docs/simulation.md; in short: an agency's choice between several open handoffs is drawn with
the scenario's branch probabilities when the journey leaves, using the profile it has then; a
timeout happens instead if its time runs out first (ties go to the timeout, as in the runtime);
`starts` opens tracks at the moment of the handoff; `waits_for` holds a journey at its stage
until those tracks have reached an outcome; profiles change at the times drawn on arrival.
"""

from __future__ import annotations

import heapq
import math
import random
from bisect import bisect_right
from collections import deque
from collections.abc import Callable
from math import ceil
from typing import Any

from pathways.simulation.arrivals import arrival_times, draw_changes, draw_profile
from pathways.simulation.capacity import (
    ARRIVE,
    DEPART,
    NEW,
    PANEL,
    PRIORITY,
    SIZE,
    WAKE,
    Capacity,
)
from pathways.simulation.clock import Clock
from pathways.simulation.recorder import Journey, Recorder, Waiting
from pathways.simulation.tables import Limit, SimModel

__all__ = ["Engine"]

_INF = math.inf


class Engine(Capacity):
    """Runs one replication of `model`; `trace` journeys keep their events for replay."""

    def __init__(self, model: SimModel, seed: int | str, replication: int, trace: int = 0) -> None:
        self.model = model
        self.rng = random.Random(f"{seed}:{replication}:journeys")
        self.arrival_rng = random.Random(f"{seed}:{replication}:arrivals")
        self.clock = Clock(model.start, int(model.horizon) + 800)
        self.record = Recorder(model, self.clock, trace)
        self.heap: list[tuple[float, int, int, int, Any]] = []
        self.sequence = 0
        self.now = 0.0
        self.panels = sum(pool.panel for pool in model.pools)
        self.starts = [r.starts for r in model.regimes]
        self.second = self.starts[1] if len(self.starts) > 1 else _INF
        self.options = [r.options for r in model.regimes]
        self.samplers: list[list[Callable[[], float] | None]] = []
        self.working: list[list[bool]] = []
        for regime in model.regimes:
            self.samplers.append([d.sampler(self.rng) if d else None for d in regime.durations])
            self.working.append([bool(d and d.working) for d in regime.durations])
        self.profiles = len(model.profile_values)
        self.size = [pool.size[0] for pool in model.pools]
        self.busy = [0] * len(model.pools)
        self.queues: list[deque[Waiting]] = [deque() for _ in model.pools]
        self.pool_of = [stage.pool for stage in model.stages]
        self.ready = [not pool.panel for pool in model.pools]
        self.at_least = [stage.at_least for stage in model.stages]
        self.timed = [stage.timed for stage in model.stages]
        self.only_way = [stage.only_way for stage in model.stages]
        self.way_to = [way.to for way in model.ways]
        # Handoffs that need the general path: they start or wait for tracks, or have a deadline.
        self.slow_way = [bool(w.starts or w.waits_for or w.within) for w in model.ways]
        self.warm_up, self.horizon = model.warm_up, model.horizon
        self.busy_time = self.record.busy_time
        self.every, self.last = self.record.every, self.record.last
        self.within = [stage.within for stage in model.stages]

    # Scheduling

    def push(self, time: float, kind: int, data: Any) -> None:
        self.sequence += 1
        heapq.heappush(self.heap, (time, PRIORITY[kind], self.sequence, kind, data))

    def regime(self, time: float) -> int:
        if time < self.second:
            return 0
        return bisect_right(self.starts, time) - 1

    def deadline(self, arrived: float, limit: Limit | None) -> float:
        return _INF if limit is None else self.clock.overdue_at(arrived, limit[0], limit[1])

    def service_end(self, stage: int, start: float) -> float:
        regime = 0 if start < self.second else bisect_right(self.starts, start) - 1
        sampler = self.samplers[regime][stage]
        if sampler is None:
            return start
        drawn = sampler()
        if self.working[regime][stage]:
            return self.clock.add_working(start, drawn)
        return start + drawn

    def profile(self, journey: Journey, time: float) -> int:
        if time < journey.change_at:
            return journey.profile
        current = journey.profile
        for when, profile in journey.changes:
            if when > time:
                break
            current = profile
        return current

    # Journeys

    def run(self) -> Recorder:
        """Simulate until every journey that arrived before the horizon is done."""
        model = self.model
        for index, table in enumerate(model.pools):
            if table.panel:
                self.push(table.first, PANEL, index)
            for regime in range(1, len(table.size)):
                self.push(model.regimes[regime].starts, SIZE, (index, regime))
        self.backlog()
        self.arrivals = arrival_times(self.model, self.clock, self.arrival_rng)
        first = next(self.arrivals, None)
        if first is not None:
            self.push(first, NEW, None)
        heap, pop = self.heap, heapq.heappop
        while heap:
            time, _, _, kind, data = pop(heap)
            self.now = time
            if kind == DEPART:
                self.departed(data)
            elif kind == ARRIVE:
                journey, track, stage = data
                self.queue(journey, track, stage, time)
            elif kind == NEW:
                self.new_journey(time)
            elif kind == WAKE:
                self.wake(data)
            elif kind == PANEL:
                self.panel(data, time)
            else:
                pool, regime = data
                self.size[pool] = model.pools[pool].size[regime]
                if self.ready[pool]:
                    self.serve(pool, time)
        self.record.finish(self.size)
        return self.record

    def new_journey(self, time: float) -> None:
        following = next(self.arrivals, None)
        if following is not None:
            self.push(following, NEW, None)
        profile = draw_profile(self.model.regimes[self.regime(time)], self.arrival_rng)
        journey = self.record.open(time, profile, self.model.warm_up <= time)
        changes = draw_changes(self.model.changes, self.arrival_rng, profile, time)
        if changes:
            journey.changes = changes
            journey.change_at = changes[0][0]
        self.advance(journey, 0, self.model.entry, time)

    def backlog(self) -> None:
        """Cases already waiting on day 0 (never counted in per-journey figures)."""
        regime = self.model.regimes[0]
        for stage, cases, remaining in self.model.backlog:
            sampler = remaining.sampler(self.arrival_rng) if remaining is not None else None
            for _ in range(cases):
                journey = self.record.open(0.0, draw_profile(regime, self.arrival_rng), False)
                if sampler is None or self.model.stages[stage].pool >= 0:
                    self.advance(journey, 0, stage, 0.0)
                    continue
                left = sampler()
                working = remaining is not None and remaining.working
                end = self.clock.add_working(0.0, left) if working else left
                self.record.enter(journey, stage, 0.0)
                step = self.leave(journey, 0, stage, 0.0, 0.0, end)
                if step is not None:
                    self.advance(journey, 0, *step)

    def advance(self, journey: Journey, track: int, stage: int, time: float) -> None:
        """Move a track on from `stage`, entered at `time`, as far as it can go now."""
        stages = self.model.stages
        while True:
            info = stages[stage]
            if info.support and journey.support < 0.0:
                journey.support = time - journey.arrived
            if info.collects:
                self.record.enter(journey, stage, time)
            if info.outcome is not None:
                self.finish_track(journey, track, stage, time)
                return
            pool = info.pool
            if pool >= 0:
                if time <= self.now:
                    if (
                        self.ready[pool]
                        and not self.queues[pool]
                        and not self.timed[stage]
                        and self.busy[pool] < self.size[pool]
                    ):
                        self.start_service(journey, track, stage, time, time, pool)
                        return
                    self.queue(journey, track, stage, time)
                else:
                    self.push(time, ARRIVE, (journey, track, stage))
                return
            end = self.service_end(stage, time)
            if info.at_least is not None:
                end = max(end, self.floor(time, info.at_least))
            way = self.only_way[stage]
            if way < 0:
                way, end = self.choose(journey, stage, time, end)
                if way < 0:
                    self.record.stuck(journey, stage, time, time, end)
                    return
            if self.slow_way[way] or journey.events is not None:
                step = self.go(journey, track, stage, time, time, end, way)
                if step is None:
                    return
                stage, time = step
                continue
            # The common case, inlined for speed: one way on, no tracks, no deadline, no trace.
            record = self.record
            every = self.every
            first, last = ceil(time / every), ceil(min(end, self.last) / every)
            if first < last:
                series = record.backlog[stage]
                series[first] += 1
                series[last] -= 1
            journey.handoffs += 1
            if journey.counted:
                record.waits[stage].append(0.0)
                record.services[stage].append(end - time)
                if info.within is not None:
                    record.check_limit(stage, time, end)
                record.taken[way] += 1
            stage, time = self.way_to[way], end

    def floor(self, time: float, limit: Limit) -> float:
        days, working = limit
        return self.clock.add_working(time, days) if working else time + days

    def choose(self, journey: Journey, stage: int, arrived: float, end: float) -> tuple[int, float]:
        """The way on from `stage` and when it is taken, for a journey ready to leave at `end`."""
        only = self.only_way[stage]
        if only >= 0:
            return only, end
        regime = 0 if end < self.second else bisect_right(self.starts, end) - 1
        profile = journey.profile if end < journey.change_at else self.profile(journey, end)
        option = self.options[regime].get(stage * self.profiles + profile)
        if option is None:
            return -1, end
        if option.timeout >= 0:
            due = self.deadline(arrived, self.model.ways[option.timeout].within)
            if due < _INF and (end >= due or not option.ways):
                return option.timeout, due
        if not option.ways:
            return -1, end
        ways = option.ways
        if len(ways) == 1:
            return ways[0], end
        return ways[bisect_right(option.cumulative, self.rng.random())], end

    def leave(
        self, journey: Journey, track: int, stage: int, arrived: float, start: float, end: float
    ) -> tuple[int, float] | None:
        """Leave `stage` (ready at `end`); the next (stage, time), or None if the track stops."""
        way, end = self.choose(journey, stage, arrived, end)
        if way < 0:
            self.record.stuck(journey, stage, arrived, start, end)
            return None
        return self.go(journey, track, stage, arrived, start, end, way)

    def go(
        self,
        journey: Journey,
        track: int,
        stage: int,
        arrived: float,
        start: float,
        end: float,
        way: int,
    ) -> tuple[int, float] | None:
        """Take `way` from `stage` once other tracks allow; the next (stage, time), or None."""
        info = self.model.ways[way]
        ready = end
        for waited in info.waits_for:
            if journey.started >> waited & 1:
                done = journey.done[waited]
                if done < 0.0:
                    self.park(journey, track, stage, arrived, start, end, way)
                    return None
                end = max(end, done)
        self.record.visit(journey, stage, arrived, start, ready, end)
        return self.take(journey, way, arrived, end)

    def take(self, journey: Journey, way: int, arrived: float, time: float) -> tuple[int, float]:
        """Make handoff `way` at `time`, starting any tracks it starts; the next (stage, time)."""
        info = self.model.ways[way]
        self.record.handoff(journey, way, arrived, time)
        if not info.starts:
            return info.to, time
        fresh = [t for t in info.starts if not journey.started >> t & 1]
        for started in fresh:
            journey.started |= 1 << started
            journey.open += 1
        for started in fresh:
            self.advance(journey, started, self.model.track_entries[started], time)
        return info.to, time

    def park(
        self,
        journey: Journey,
        track: int,
        stage: int,
        arrived: float,
        start: float,
        ready: float,
        way: int,
    ) -> None:
        item = Waiting(journey, track, stage, arrived, start, ready, way)
        journey.parked.append(item)
        option = self.options[self.regime(ready)].get(
            stage * self.profiles + self.profile(journey, ready)
        )
        if option is not None and option.timeout >= 0:
            due = self.deadline(arrived, self.model.ways[option.timeout].within)
            if due < _INF:
                self.push(max(due, self.now), WAKE, (item, option.timeout, due))

    def wake(self, data: tuple[Waiting, int, float]) -> None:
        """A deadline ran out for a journey waiting in a queue or for another track."""
        item, way, due = data
        if not item.active:
            return
        item.active = False
        journey = item.journey
        start, ready = item.start, item.ready
        if start < 0.0:
            start = ready = due
        else:
            journey.parked.remove(item)
        self.record.visit(journey, item.stage, item.arrived, start, ready, due)
        self.advance(journey, item.track, *self.take(journey, way, item.arrived, due))
        self.close_if_done(journey)

    def finish_track(self, journey: Journey, track: int, stage: int, time: float) -> None:
        journey.done[track] = time
        journey.open -= 1
        self.record.outcome(journey, stage)
        for item in list(journey.parked):
            if not item.active:
                continue
            waits = self.model.ways[item.way].waits_for
            if all(journey.done[t] >= 0.0 or not journey.started >> t & 1 for t in waits):
                item.active = False
                journey.parked.remove(item)
                end = max([item.ready, *(journey.done[t] for t in waits)])
                self.record.visit(journey, item.stage, item.arrived, item.start, item.ready, end)
                self.advance(journey, item.track, *self.take(journey, item.way, item.arrived, end))
        self.close_if_done(journey)

    def close_if_done(self, journey: Journey) -> None:
        if journey.open == 0 and not journey.closed:
            self.record.close(journey)
