"""Journeys: a victim arriving, and a track moving on through stages without capacity.

`Journeys` is the part of the engine that moves a journey's tracks; `Engine` inherits it. At a
stage without capacity a track's timeline is advanced directly: its duration is drawn, its way
on chosen (`choose`) and the next stage entered, until it reaches a capacity-limited stage, an
outcome, or a handoff that waits for another track (see `tracks.py`).
"""

from __future__ import annotations

import heapq
import math
from bisect import bisect_right
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from math import ceil, log
from random import Random
from typing import TYPE_CHECKING, Any

from pathways.simulation.engine.arrivals import draw_changes, draw_profile
from pathways.simulation.engine.capacity import ARRIVE, KEY, NEW, Queued, Service
from pathways.simulation.engine.clock import Clock
from pathways.simulation.engine.recorder import Journey, Recorder
from pathways.simulation.engine.tables import Limit, Option, SimModel

__all__ = ["Journeys"]

_INF = math.inf


class Journeys:
    """New journeys and the movement of tracks (a part of `Engine`; see the module docstring)."""

    model: SimModel
    clock: Clock
    record: Recorder
    random: Callable[[], float]
    arrival_rng: Random
    arrivals: Iterator[float]
    heap: list[tuple[Any, ...]]
    sequence: int
    now: float
    starts: list[float]
    second: float
    profiles: int
    option_at: list[list[Option | None]]
    service: list[list[Service]]
    size: list[int]
    busy: list[int]
    queues: list[deque[Queued]]
    ready: list[bool]
    only_way: list[int]
    way_to: list[int]
    slow_way: list[bool]
    starts_of: list[tuple[int, ...]]
    warm_up: float
    every: float
    last: float
    waits: Sequence[Any]
    services: Sequence[Any]
    taken: list[int]
    backlog_series: list[list[int]]

    if TYPE_CHECKING:

        def deadline(self, arrived: float, limit: Limit | None) -> float: ...
        def start_service(
            self, journey: Journey, track: int, stage: int, arrived: float, time: float, pool: int
        ) -> None: ...
        def wait(
            self, journey: Journey, track: int, stage: int, time: float, pool: int
        ) -> None: ...
        def finish_track(self, journey: Journey, track: int, stage: int, time: float) -> None: ...
        def start_tracks(self, journey: Journey, tracks: tuple[int, ...], time: float) -> None: ...
        def go(
            self,
            journey: Journey,
            track: int,
            stage: int,
            arrived: float,
            start: float,
            end: float,
            way: int,
        ) -> tuple[int, float] | None: ...

    def new_journey(self, time: float) -> None:
        following = next(self.arrivals, None)
        if following is not None:
            self.sequence += 8
            heapq.heappush(self.heap, (following, KEY[NEW] + self.sequence, None))
        regime = 0 if time < self.second else bisect_right(self.starts, time) - 1
        profile = draw_profile(self.model.regimes[regime], self.arrival_rng)
        journey = self.record.open(time, profile, self.warm_up <= time)
        if self.model.changes:
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
        stages, now, second, service0 = self.model.stages, self.now, self.second, self.service[0]
        while True:
            info = stages[stage]
            if info.support and journey.support < 0.0:
                journey.support = time - journey.arrived
            collects = info.collects
            if collects:
                if journey.collected & collects:
                    journey.retellings += 1
                journey.collected |= collects
            if info.outcome is not None:
                self.finish_track(journey, track, stage, time)
                return
            pool = info.pool
            if pool >= 0:
                if time > now:
                    self.sequence += 8
                    heapq.heappush(
                        self.heap, (time, KEY[ARRIVE] + self.sequence, (journey, track, stage))
                    )
                elif (
                    self.ready[pool]
                    and not self.queues[pool]
                    and not info.timed
                    and self.busy[pool] < self.size[pool]
                ):
                    self.start_service(journey, track, stage, time, time, pool)
                else:
                    self.wait(journey, track, stage, time, pool)
                return
            if time < second:
                rate, sampler, working, at_least, way = service0[stage]
            else:
                rate, sampler, working, at_least, way = self.service[
                    bisect_right(self.starts, time) - 1
                ][stage]
            if rate > 0.0:
                end = time + -log(1.0 - self.random()) / rate
            elif sampler is None:
                end = time
            elif working:
                end = self.clock.add_working(time, sampler())
            else:
                end = time + sampler()
            if at_least is not None:
                end = max(end, self.floor(time, at_least))
            if way < 0:
                # `choose`, inlined for the common case: no timeout open to this profile.
                regime = 0 if end < second else bisect_right(self.starts, end) - 1
                profile = journey.profile if end < journey.change_at else self.profile(journey, end)
                option = self.option_at[regime][stage * self.profiles + profile]
                if option is not None and option.timeout < 0 and option.ways:
                    ways = option.ways
                    if len(ways) == 1:
                        way = ways[0]
                    else:
                        way = ways[bisect_right(option.cumulative, self.random())]
                else:
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
            # The common case, inlined for speed: `record.visit` and `record.handoff`.
            every, cap = self.every, self.last
            low, high = ceil(time / every), ceil((end if end < cap else cap) / every)
            if low < high:
                series = self.backlog_series[stage]
                series[low] += 1
                series[high] -= 1
            journey.handoffs += 1
            if journey.counted:
                self.waits[stage].append(0.0)
                self.services[stage].append(end - time)
                if info.within is not None:
                    self.record.check_limit(stage, time, end)
                self.taken[way] += 1
            if self.starts_of[way]:
                self.start_tracks(journey, self.starts_of[way], end)
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
        option: Option | None = self.option_at[regime][stage * self.profiles + profile]
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
        return ways[bisect_right(option.cumulative, self.random())], end

    def leave(
        self, journey: Journey, track: int, stage: int, arrived: float, start: float, end: float
    ) -> tuple[int, float] | None:
        """Leave `stage` (ready at `end`); the next (stage, time), or None if the track stops."""
        way, end = self.choose(journey, stage, arrived, end)
        if way < 0:
            self.record.stuck(journey, stage, arrived, start, end)
            return None
        return self.go(journey, track, stage, arrived, start, end, way)

    def profile(self, journey: Journey, time: float) -> int:
        if time < journey.change_at:
            return journey.profile
        current = journey.profile
        for when, profile in journey.changes:
            if when > time:
                break
            current = profile
        return current
