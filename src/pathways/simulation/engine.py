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

The loop is written for speed, because a study runs millions of stage visits: one flat heap
entry per event (`capacity.KEY`), tables indexed by number rather than looked up by name, the
common handoff (no trace, no deadline, nothing to wait for) recorded inline, and exponential
durations drawn inline exactly as `random.Random.expovariate` draws them. None of it changes a
number: the same events happen in the same order, with the same draws from the same streams.
"""

from __future__ import annotations

import heapq
import math
import random
from bisect import bisect_right
from collections import deque
from collections.abc import Callable
from math import ceil, log
from typing import Any

from pathways.simulation.arrivals import arrival_times
from pathways.simulation.capacity import (
    ARRIVE,
    DEPART,
    KEY,
    NEW,
    PANEL,
    SIZE,
    WAKE,
    Capacity,
    Queued,
    Service,
)
from pathways.simulation.clock import Clock
from pathways.simulation.journeys import Journeys
from pathways.simulation.recorder import Recorder
from pathways.simulation.tables import Limit, SimModel
from pathways.simulation.tracks import Tracks

__all__ = ["Engine"]

_INF = math.inf


class Engine(Journeys, Tracks, Capacity):
    """Runs one replication of `model`; `trace` journeys keep their events for replay."""

    def __init__(self, model: SimModel, seed: int | str, replication: int, trace: int = 0) -> None:
        self.model = model
        self.rng = random.Random(f"{seed}:{replication}:journeys")
        self.random = self.rng.random
        self.arrival_rng = random.Random(f"{seed}:{replication}:arrivals")
        self.clock = Clock(model.start, int(model.horizon) + 800)
        self.record = record = Recorder(model, self.clock, trace)
        self.heap: list[tuple[Any, ...]] = []
        self.sequence = 0
        self.now = 0.0
        self.panels = sum(pool.panel for pool in model.pools)
        self.starts = [r.starts for r in model.regimes]
        self.second = self.starts[1] if len(self.starts) > 1 else _INF
        self.options = [r.options for r in model.regimes]
        self.profiles = len(model.profile_values)
        cells = len(model.stages) * self.profiles
        self.option_at = [[r.options.get(cell) for cell in range(cells)] for r in model.regimes]
        self.samplers: list[list[Callable[[], float] | None]] = []
        self.working: list[list[bool]] = []
        self.rates: list[list[float]] = []
        for regime in model.regimes:
            self.samplers.append([d.sampler(self.rng) if d else None for d in regime.durations])
            self.working.append([bool(d and d.working) for d in regime.durations])
            # Exponential calendar-day durations with no shift are drawn inline (rate > 0).
            self.rates.append(
                [
                    1.0 / d.mean
                    if d and d.kind == "exponential" and not d.shift and not d.working
                    else 0.0
                    for d in regime.durations
                ]
            )
        self.size = [pool.size[0] for pool in model.pools]
        self.busy = [0] * len(model.pools)
        self.queues: list[deque[Queued]] = [deque() for _ in model.pools]
        self.pool_of = [stage.pool for stage in model.stages]
        self.ready = [not pool.panel for pool in model.pools]
        self.at_least = [stage.at_least for stage in model.stages]
        self.timed = [stage.timed for stage in model.stages]
        self.only_way = [stage.only_way for stage in model.stages]
        self.within = [stage.within for stage in model.stages]
        # A capacity-limited stage where nothing happens on arrival but joining the queue.
        self.plain_pool = [
            s.pool >= 0 and not (s.collects or s.timed or s.outcome is not None)
            for s in model.stages
        ]
        self.support = [s.support for s in model.stages]
        self.service: list[list[Service]] = [
            list(zip(rates, samplers, working, self.at_least, self.only_way, strict=True))
            for rates, samplers, working in zip(
                self.rates, self.samplers, self.working, strict=True
            )
        ]
        self.way_to = [way.to for way in model.ways]
        self.starts_of = [way.starts for way in model.ways]
        self.track_entries = model.track_entries
        # Handoffs that need the general path: they wait for tracks or have a deadline.
        self.slow_way = [bool(w.waits_for or w.within) for w in model.ways]
        self.warm_up, self.horizon = model.warm_up, model.horizon
        self.every, self.last = record.every, record.last
        self.busy_time, self.backlog_series = record.busy_time, record.backlog
        self.waits, self.services = record.waits, record.services
        self.taken, self.outcomes = record.taken, record.outcomes

    # Scheduling

    def push(self, time: float, kind: int, data: Any) -> None:
        self.sequence += 8
        heapq.heappush(self.heap, (time, KEY[kind] + self.sequence, data))

    def regime(self, time: float) -> int:
        if time < self.second:
            return 0
        return bisect_right(self.starts, time) - 1

    def deadline(self, arrived: float, limit: Limit | None) -> float:
        return _INF if limit is None else self.clock.overdue_at(arrived, limit[0], limit[1])

    def service_end(self, stage: int, start: float) -> float:
        regime = 0 if start < self.second else bisect_right(self.starts, start) - 1
        rate = self.rates[regime][stage]
        if rate > 0.0:
            return start + -log(1.0 - self.random()) / rate
        sampler = self.samplers[regime][stage]
        if sampler is None:
            return start
        drawn = sampler()
        if self.working[regime][stage]:
            return self.clock.add_working(start, drawn)
        return start + drawn

    # The event loop

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
        record, heap, pop, other = self.record, self.heap, heapq.heappop, self.other
        queues, busy, size, ready, pool_of = (
            self.queues,
            self.busy,
            self.size,
            self.ready,
            self.pool_of,
        )
        start_service, serve, advance = self.start_service, self.serve, self.advance
        slow_way, starts_of, way_to = self.slow_way, self.starts_of, self.way_to
        plain_pool, support, within = self.plain_pool, self.support, self.within
        series_at, waits, services, taken = (
            self.backlog_series,
            self.waits,
            self.services,
            self.taken,
        )
        every, last = self.every, self.last
        while heap:
            entry = pop(heap)
            now = self.now = entry[0]
            if entry[1] & 7 != DEPART:
                other(entry)
                continue
            # Work at a stage is done (the entry pushed by `start_service` or `panel`).
            _, _, journey, track, stage, arrived, start, way, pool = entry
            if pool >= 0:
                busy[pool] -= 1
                queue = queues[pool]
                if queue and busy[pool] < size[pool]:
                    # `serve`, inlined for the common case: the next case has no deadline.
                    if queue[0][4] is None:
                        waiting, was, at, since, _ = queue.popleft()
                        start_service(waiting, was, at, since, now, pool)
                    else:
                        serve(pool, now)
            if way < 0 or slow_way[way] or journey.events is not None:
                self.finish_service(journey, track, stage, arrived, start, way, now)
                continue
            # The common case, inlined: `record.visit`, `record.handoff`, `advance`, `queue`.
            low = ceil(arrived / every)
            high = ceil((now if now < last else last) / every)
            if low < high:
                series = series_at[stage]
                series[low] += 1
                series[high] -= 1
            journey.handoffs += 1
            if journey.counted:
                waits[stage].append(start - arrived)
                services[stage].append(now - start)
                if within[stage] is not None:
                    record.check_limit(stage, arrived, now)
                taken[way] += 1
            if starts_of[way]:
                self.start_tracks(journey, starts_of[way], now)
            stage = way_to[way]
            if plain_pool[stage]:
                if support[stage] and journey.support < 0.0:
                    journey.support = now - journey.arrived
                pool = pool_of[stage]
                if not ready[pool]:
                    queues[pool].append((journey, track, stage, now, None))
                elif not queues[pool] and busy[pool] < size[pool]:
                    start_service(journey, track, stage, now, now, pool)
                else:
                    queues[pool].append((journey, track, stage, now, None))
                    if busy[pool] < size[pool]:
                        serve(pool, now)
            else:
                advance(journey, track, stage, now)
            if journey.open == 0 and not journey.closed:
                record.close(journey)
        record.finish(self.size)
        return record

    def other(self, entry: tuple[Any, ...]) -> None:
        """Any event but a departure: a journey arriving or reaching a queue, a deadline, a
        panel meeting, or a change in the number of caseworkers."""
        kind, time, data = entry[1] & 7, entry[0], entry[2]
        if kind == ARRIVE:
            self.queue(*data, time)
        elif kind == NEW:
            self.new_journey(time)
        elif kind == WAKE:
            self.wake(data)
        elif kind == PANEL:
            self.panel(data, time)
        else:
            pool, regime = data
            self.size[pool] = self.model.pools[pool].size[regime]
            if self.ready[pool]:
                self.serve(pool, time)
