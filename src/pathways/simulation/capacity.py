"""Capacity: caseworkers who serve a queue, and panels that meet and decide in batches.

`Capacity` is the part of the engine that handles capacity-limited stages; `Engine` inherits
it. A journey reaching such a stage joins its agency's queue (first come, first served across
the stages the agency serves). Caseworkers pick cases up as they come free; a panel takes up to
its number of cases at each meeting. A case leaves the queue early only by a timeout.
"""

from __future__ import annotations

import heapq
import math
import random
from bisect import bisect_right
from collections import deque
from collections.abc import Callable, Mapping
from math import ceil
from typing import TYPE_CHECKING, Any

from pathways.simulation.clock import Clock
from pathways.simulation.recorder import Journey, Recorder, Waiting
from pathways.simulation.tables import Limit, Option, SimModel

__all__ = ["ARRIVE", "DEPART", "NEW", "PANEL", "PRIORITY", "SIZE", "WAKE", "Capacity"]

INF = math.inf
#: Event kinds, and the priorities that order events at the same time: capacity changes, then
#: departures, then arrivals at a queue and deadlines, then panel meetings, then new journeys.
SIZE, DEPART, ARRIVE, WAKE, PANEL, NEW = range(6)
PRIORITY = (0, 1, 2, 2, 3, 4)


class Capacity:
    """Queues, caseworkers and panels (a part of `Engine`; see the module docstring)."""

    model: SimModel
    clock: Clock
    record: Recorder
    rng: random.Random
    heap: list[tuple[float, int, int, int, Any]]
    sequence: int
    panels: int
    now: float
    starts: list[float]
    second: float
    options: list[Mapping[int, Option]]
    samplers: list[list[Callable[[], float] | None]]
    working: list[list[bool]]
    profiles: int
    size: list[int]
    busy: list[int]
    busy_time: list[float]
    queues: list[deque[Waiting]]
    pool_of: list[int]
    ready: list[bool]
    at_least: list[Limit | None]
    timed: list[bool]
    only_way: list[int]
    way_to: list[int]
    slow_way: list[bool]
    within: list[Limit | None]
    warm_up: float
    horizon: float
    every: float
    last: float

    if TYPE_CHECKING:

        def push(self, time: float, kind: int, data: Any) -> None: ...
        def regime(self, time: float) -> int: ...
        def profile(self, journey: Journey, time: float) -> int: ...
        def deadline(self, arrived: float, limit: Limit | None) -> float: ...
        def service_end(self, stage: int, start: float) -> float: ...
        def floor(self, time: float, limit: Limit) -> float: ...
        def choose(
            self, journey: Journey, stage: int, arrived: float, end: float
        ) -> tuple[int, float]: ...
        def park(
            self,
            journey: Journey,
            track: int,
            stage: int,
            arrived: float,
            start: float,
            ready: float,
            way: int,
        ) -> None: ...
        def take(
            self, journey: Journey, way: int, arrived: float, time: float
        ) -> tuple[int, float]: ...
        def advance(self, journey: Journey, track: int, stage: int, time: float) -> None: ...
        def close_if_done(self, journey: Journey) -> None: ...

    def queue(self, journey: Journey, track: int, stage: int, time: float) -> None:
        """A journey reaches a capacity-limited stage: served now if a caseworker is free."""
        pool = self.pool_of[stage]
        queue = self.queues[pool]
        free = self.busy[pool] < self.size[pool]
        if not queue and self.ready[pool] and free and not self.timed[stage]:
            self.start_service(journey, track, stage, time, time, pool)
            return
        item = Waiting(journey, track, stage, time)
        queue.append(item)
        if self.timed[stage]:
            option = self.options[self.regime(time)].get(
                stage * self.profiles + self.profile(journey, time)
            )
            if option is not None and option.timeout >= 0:
                due = self.deadline(time, self.model.ways[option.timeout].within)
                if due < INF:
                    self.push(due, WAKE, (item, option.timeout, due))
        if self.ready[pool]:
            self.serve(pool, time)

    def start_service(
        self, journey: Journey, track: int, stage: int, arrived: float, time: float, pool: int
    ) -> None:
        regime = 0 if time < self.second else bisect_right(self.starts, time) - 1
        sampler = self.samplers[regime][stage]
        if sampler is None:
            end = time
        elif self.working[regime][stage]:
            end = self.clock.add_working(time, sampler())
        else:
            end = time + sampler()
        at_least = self.at_least[stage]
        if at_least is not None:
            end = max(end, self.floor(arrived, at_least))
        way = self.only_way[stage]
        if way < 0:
            way, end = self.choose(journey, stage, arrived, end)
        self.busy[pool] += 1
        low = time if time > self.warm_up else self.warm_up
        high = end if end < self.horizon else self.horizon
        if high > low:
            self.busy_time[pool] += high - low
        self.sequence += 1
        heapq.heappush(
            self.heap,
            (end, 1, self.sequence, DEPART, (journey, track, stage, arrived, time, way, pool)),
        )

    def serve(self, pool: int, time: float) -> None:
        queue = self.queues[pool]
        while queue and self.busy[pool] < self.size[pool]:
            item = queue.popleft()
            if item.active:
                item.active = False
                self.start_service(item.journey, item.track, item.stage, item.arrived, time, pool)

    def departed(self, data: tuple[Journey, int, int, float, float, int, int]) -> None:
        journey, track, stage, arrived, start, way, pool = data
        now = self.now
        if pool >= 0:
            self.busy[pool] -= 1
            if self.queues[pool]:
                self.serve(pool, now)
        if way < 0 or self.slow_way[way] or journey.events is not None:
            self.finish_service(journey, track, stage, arrived, start, way, now)
            return
        record = self.record
        every = self.every
        first, last = ceil(arrived / every), ceil(min(now, self.last) / every)
        if first < last:
            series = record.backlog[stage]
            series[first] += 1
            series[last] -= 1
        journey.handoffs += 1
        if journey.counted:
            record.waits[stage].append(start - arrived)
            record.services[stage].append(now - start)
            if self.within[stage] is not None:
                record.check_limit(stage, arrived, now)
            record.taken[way] += 1
        self.advance(journey, track, self.way_to[way], now)
        if journey.open == 0 and not journey.closed:
            record.close(journey)

    def finish_service(
        self,
        journey: Journey,
        track: int,
        stage: int,
        arrived: float,
        start: float,
        way: int,
        end: float,
    ) -> None:
        if way < 0:
            self.record.stuck(journey, stage, arrived, start, end)
            return
        ready = end
        for waited in self.model.ways[way].waits_for:
            if journey.started >> waited & 1:
                if journey.done[waited] < 0.0:
                    self.park(journey, track, stage, arrived, start, end, way)
                    return
                end = max(end, journey.done[waited])
        self.record.visit(journey, stage, arrived, start, ready, end)
        self.advance(journey, track, *self.take(journey, way, arrived, end))
        self.close_if_done(journey)

    def panel(self, pool: int, time: float) -> None:
        table = self.model.pools[pool]
        queue = self.queues[pool]
        cases = table.size[self.regime(time)]
        decided = 0
        while queue and decided < cases:
            item = queue.popleft()
            if not item.active:
                continue
            item.active = False
            decided += 1
            journey, track, stage, arrived = item.journey, item.track, item.stage, item.arrived
            end = self.service_end(stage, time)
            at_least = self.model.stages[stage].at_least
            if at_least is not None:
                end = max(end, self.floor(arrived, at_least))
            way, end = self.choose(journey, stage, arrived, end)
            if end > time:
                self.push(end, DEPART, (journey, track, stage, arrived, time, way, -1))
            else:
                self.finish_service(journey, track, stage, arrived, time, way, end)
        self.record.meeting(pool, time, decided, cases)
        # Other events still to come (the heap holds one meeting per other panel) may bring cases.
        if time < self.model.horizon or len(self.heap) > self.panels - 1 or queue:
            self.push(time + table.every, PANEL, pool)
