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
from math import ceil, log
from typing import Any

from pathways.simulation.engine.arrivals import arrival_times
from pathways.simulation.engine.capacity import (
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
from pathways.simulation.engine.clock import Clock
from pathways.simulation.engine.flow import Journeys
from pathways.simulation.engine.recorder import Recorder
from pathways.simulation.engine.tables import Limit, RegimeTable, SimModel, WayTable
from pathways.simulation.engine.tracks import Tracks

__all__ = ["Engine"]

_INF = math.inf


def _service(regime: RegimeTable, model: SimModel, rng: random.Random) -> list[Service]:
    """How work at each stage is timed in `regime` (see `capacity.Service`)."""
    table: list[Service] = []
    for stage, spec in zip(model.stages, regime.durations, strict=True):
        sampler = spec.sampler(rng) if spec else None
        # Exponential durations in calendar days with no shift are drawn inline (rate > 0).
        rate = 0.0
        if spec and spec.kind == "exponential" and not spec.shift and not spec.working:
            rate = 1.0 / spec.mean
        table.append((rate, sampler, bool(spec and spec.working), stage.at_least, stage.only_way))
    return table


#: What follows a handoff: (next stage, tracks it starts, step, the stage's pool, a support
#: stage?), where step is `_QUEUE` (join a queue; nothing else happens there on arrival),
#: `_END` (an outcome where nothing else happens) or `_ADVANCE` (anything else).
After = tuple[int, tuple[int, ...], int, int, bool]
_ADVANCE, _QUEUE, _END = range(3)


def _after(way: WayTable, model: SimModel) -> After | None:
    """What follows handoff `way` in the event loop, or None if it needs the general path."""
    if way.waits_for or way.within:
        return None
    stage = model.stages[way.to]
    step = _ADVANCE
    if stage.pool >= 0 and not (stage.collects or stage.timed or stage.outcome is not None):
        step = _QUEUE
    elif stage.outcome is not None and not (stage.collects or stage.support):
        step = _END
    return way.to, way.starts, step, stage.pool, stage.support


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
        self.service = [_service(regime, model, self.rng) for regime in model.regimes]
        self.size = [pool.size[0] for pool in model.pools]
        self.busy = [0] * len(model.pools)
        self.queues: list[deque[Queued]] = [deque() for _ in model.pools]
        self.pool_of = [stage.pool for stage in model.stages]
        self.ready = [not pool.panel for pool in model.pools]
        self.timed = [stage.timed for stage in model.stages]
        self.only_way = [stage.only_way for stage in model.stages]
        self.within = [stage.within for stage in model.stages]
        self.way_to = [way.to for way in model.ways]
        self.starts_of = [way.starts for way in model.ways]
        self.track_entries = model.track_entries
        # Handoffs that need the general path: they wait for tracks or have a deadline.
        self.slow_way = [bool(w.waits_for or w.within) for w in model.ways]
        # What the event loop does after an ordinary handoff (None: the general path); the
        # extra None at the end is for way -1 (no way on).
        self.after: list[After | None] = [_after(way, model) for way in model.ways] + [None]
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
        rate, sampler, working, _, _ = self.service[regime][stage]
        if rate > 0.0:
            return start + -log(1.0 - self.random()) / rate
        if sampler is None:
            return start
        drawn = sampler()
        if working:
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
        new_journey, start_service, serve = self.new_journey, self.start_service, self.serve
        advance, finish_track = self.advance, self.finish_track
        queues, busy, size, ready = self.queues, self.busy, self.size, self.ready
        after, within, series_at = self.after, self.within, self.backlog_series
        waits, services, taken = self.waits, self.services, self.taken
        every, last = self.every, self.last
        while heap:
            entry = pop(heap)
            now = self.now = entry[0]
            kind = entry[1] & 7
            if kind != DEPART:
                if kind == NEW:
                    new_journey(now)
                else:
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
            then = after[way]  # None for a way that needs the general path, and for -1
            if then is None or journey.events is not None:
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
            stage, starts, step, pool, support = then
            if starts:
                self.start_tracks(journey, starts, now)
            if step == _QUEUE:
                if support and journey.support < 0.0:
                    journey.support = now - journey.arrived
                if not ready[pool]:
                    queues[pool].append((journey, track, stage, now, None))
                elif not queues[pool] and busy[pool] < size[pool]:
                    start_service(journey, track, stage, now, now, pool)
                else:
                    queues[pool].append((journey, track, stage, now, None))
                    if busy[pool] < size[pool]:
                        serve(pool, now)
            elif step == _END:
                finish_track(journey, track, stage, now)
            else:
                advance(journey, track, stage, now)
            if journey.open == 0 and not journey.closed:
                record.close(journey)
        record.finish()
        return record

    def other(self, entry: tuple[Any, ...]) -> None:
        """Any event but a departure or a new journey: a journey reaching a queue, a deadline,
        a panel meeting, or a change in the number of caseworkers."""
        kind, time, data = entry[1] & 7, entry[0], entry[2]
        if kind == ARRIVE:
            journey, track, stage = data
            self.queue(journey, track, stage, time)
        elif kind == WAKE:
            self.wake(data)
        elif kind == PANEL:
            self.panel(data, time)
        else:
            pool, regime = data
            self.size[pool] = self.model.pools[pool].size[regime]
            if self.ready[pool]:
                self.serve(pool, time)
