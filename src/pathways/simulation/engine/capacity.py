"""Capacity: caseworkers who serve a queue, and panels that meet and decide in batches.

`Capacity` is the part of the engine that handles capacity-limited stages; `Engine` inherits
it. A journey reaching such a stage joins its agency's queue (first come, first served across
the stages the agency serves). Caseworkers pick cases up as they come free; a panel takes up to
its number of cases at each meeting. A case leaves the queue early only by a timeout.

A queue holds `(journey, track, stage, arrived, token)` tuples; `token` is None, or, at a stage
a timeout leaves, the `Waiting` its deadline event refers to (`active` turns false when either
the deadline or the service comes first, and the other then skips it).
"""

from __future__ import annotations

import heapq
import math
from bisect import bisect_right
from collections import deque
from collections.abc import Callable, Mapping
from heapq import heappush
from math import log
from typing import TYPE_CHECKING, Any

from pathways.simulation.engine.clock import Clock
from pathways.simulation.engine.recorder import Journey, Recorder, Waiting
from pathways.simulation.engine.tables import Limit, Option, SimModel
from pathways.simulation.engine.tracks import WAKE

__all__ = ["ARRIVE", "DEPART", "KEY", "NEW", "PANEL", "PRIORITY", "SIZE", "WAKE", "Capacity"]

INF = math.inf
#: Event kinds, and the priorities that order events at the same time: capacity changes, then
#: departures, then arrivals at a queue and deadlines, then panel meetings, then new journeys.
SIZE, DEPART, ARRIVE, _, PANEL, NEW = range(6)
PRIORITY = (0, 1, 2, 2, 3, 4)
#: A heap entry is `(time, key, data...)` with `key = KEY[kind] + sequence`: the priority in
#: the high bits, the push's sequence number (a multiple of 8) in the middle and the kind in the
#: low 3 bits, so entries order by `(time, priority, sequence)` and compare no further.
KEY = tuple(priority << 52 | kind for kind, priority in enumerate(PRIORITY))
_DEPART = KEY[DEPART]

#: A place in a queue: (journey, track, stage, arrived, deadline token or None).
Queued = tuple[Journey, int, int, float, "Waiting | None"]
#: How work at a stage is timed in one regime: (exponential rate or 0, sampler, in working days,
#: minimum time, the one way on or -1).
Service = tuple[float, "Callable[[], float] | None", bool, "Limit | None", int]


class Capacity:
    """Queues, caseworkers and panels (a part of `Engine`; see the module docstring)."""

    model: SimModel
    clock: Clock
    record: Recorder
    random: Callable[[], float]
    heap: list[tuple[Any, ...]]
    sequence: int
    panels: int
    starts: list[float]
    second: float
    options: list[Mapping[int, Option]]
    service: list[list[Service]]
    profiles: int
    size: list[int]
    busy: list[int]
    busy_time: list[float]
    queues: list[deque[Queued]]
    pool_of: list[int]
    ready: list[bool]
    timed: list[bool]
    warm_up: float
    horizon: float

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
        def start_tracks(self, journey: Journey, tracks: tuple[int, ...], time: float) -> None: ...
        def advance(self, journey: Journey, track: int, stage: int, time: float) -> None: ...
        def close_if_done(self, journey: Journey) -> None: ...

    def queue(self, journey: Journey, track: int, stage: int, time: float) -> None:
        """A journey reaches a capacity-limited stage: served now if a caseworker is free."""
        pool = self.pool_of[stage]
        if (
            not self.queues[pool]
            and self.ready[pool]
            and self.busy[pool] < self.size[pool]
            and not self.timed[stage]
        ):
            self.start_service(journey, track, stage, time, time, pool)
        else:
            self.wait(journey, track, stage, time, pool)

    def wait(self, journey: Journey, track: int, stage: int, time: float, pool: int) -> None:
        """Join the queue at `stage` (with a deadline, if a timeout leaves it)."""
        if not self.timed[stage]:
            self.queues[pool].append((journey, track, stage, time, None))
        else:
            item = Waiting(journey, track, stage, time)
            self.queues[pool].append((journey, track, stage, time, item))
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
        if time < self.second:
            rate, sampler, working, at_least, way = self.service[0][stage]
        else:
            regime = bisect_right(self.starts, time) - 1
            rate, sampler, working, at_least, way = self.service[regime][stage]
        if rate > 0.0:
            # An exponential draw in calendar days, exactly as `Random.expovariate` makes it.
            end = time + -log(1.0 - self.random()) / rate
        elif sampler is None:
            end = time
        elif working:
            end = self.clock.add_working(time, sampler())
        else:
            end = time + sampler()
        if at_least is not None:
            end = max(end, self.floor(arrived, at_least))
        if way < 0:
            way, end = self.choose(journey, stage, arrived, end)
        self.busy[pool] += 1
        warm_up, horizon = self.warm_up, self.horizon
        low = time if time > warm_up else warm_up
        high = end if end < horizon else horizon
        if high > low:
            self.busy_time[pool] += high - low
        self.sequence = sequence = self.sequence + 8
        heappush(
            self.heap, (end, _DEPART + sequence, journey, track, stage, arrived, time, way, pool)
        )

    def serve(self, pool: int, time: float) -> None:
        queue, busy, size = self.queues[pool], self.busy, self.size
        start = self.start_service
        while queue and busy[pool] < size[pool]:
            journey, track, stage, arrived, token = queue.popleft()
            if token is not None:
                if not token.active:
                    continue
                token.active = False
            start(journey, track, stage, arrived, time, pool)

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
            journey, track, stage, arrived, token = queue.popleft()
            if token is not None:
                if not token.active:
                    continue
                token.active = False
            decided += 1
            end = self.service_end(stage, time)
            at_least = self.model.stages[stage].at_least
            if at_least is not None:
                end = max(end, self.floor(arrived, at_least))
            way, end = self.choose(journey, stage, arrived, end)
            if end > time:
                self.sequence += 8
                heapq.heappush(
                    self.heap,
                    (end, _DEPART + self.sequence, journey, track, stage, arrived, time, way, -1),
                )
            else:
                self.finish_service(journey, track, stage, arrived, time, way, end)
        self.record.meeting(pool, time, decided, cases)
        # Other events still to come (the heap holds one meeting per other panel) may bring cases.
        if time < self.model.horizon or len(self.heap) > self.panels - 1 or queue:
            self.push(time + table.every, PANEL, pool)
