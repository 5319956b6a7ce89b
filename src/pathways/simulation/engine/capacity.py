"""Capacity: caseworkers who serve a queue, and panels that meet and decide in batches.

A journey reaching a capacity-limited stage joins its agency's queue (first come, first served
across the stages the agency serves, or by priority class first: `priority.ClassQueue`).
Caseworkers pick cases up as they come free; a panel takes up to its number of cases at each
meeting. A case leaves the queue early only by a timeout.

A queue holds `(journey, track, stage, arrived, token)` tuples; `token` is None, or, at a stage
a timeout leaves, the `Waiting` its deadline event refers to (`active` turns false when either
the deadline or the service comes first, and the other then skips it).
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections import deque
from collections.abc import Callable
from heapq import heappush
from math import log

from pathways.simulation.engine.events import ARRIVE, DEPART, KEY, PANEL, WAKE, Events
from pathways.simulation.engine.priority import ClassQueue
from pathways.simulation.engine.recorder import JourneyRecord, Recorder, Waiting
from pathways.simulation.engine.routes import Routes, profile_at
from pathways.simulation.engine.streams import AGENCY, KINDS
from pathways.simulation.engine.tables import SimModel
from pathways.simulation.engine.timing import Timing

__all__ = ["Capacity", "Departed", "Queued"]

_ARRIVE, _DEPART = KEY[ARRIVE], KEY[DEPART]

#: A place in a queue: (journey, track, stage, arrived, deadline token or None).
Queued = tuple[JourneyRecord, int, int, float, "Waiting | None"]
#: What to do when work at a stage is done: `Tracks.depart(journey, track, stage, arrived,
#: start, way, end)`.
Departed = Callable[[JourneyRecord, int, int, float, float, int, float], None]


class Capacity:
    """Queues, caseworkers and panels (see the module docstring).

    A departure is pushed as `(end, key, journey, track, stage, arrived, start, way, pool)`,
    with pool -1 for a panel's decision; `Engine.run` frees the caseworker, and `departed`
    (given by `connect`) moves the journey on.
    """

    __slots__ = (
        "busy",
        "busy_time",
        "choose",
        "classed",
        "departed",
        "draw",
        "duration_blocks",
        "events",
        "fast",
        "heap",
        "horizon",
        "only_way",
        "panels",
        "pool_of",
        "pools",
        "queues",
        "quick",
        "ready",
        "record",
        "regime",
        "second",
        "sequence",
        "service_end",
        "size",
        "split",
        "streams",
        "team_end",
        "teamed",
        "timed",
        "timeout",
        "warm_up",
    )

    departed: Departed

    def __init__(
        self, model: SimModel, events: Events, timing: Timing, routes: Routes, record: Recorder
    ) -> None:
        self.pools = model.pools
        self.panels = sum(pool.panel for pool in model.pools)
        self.size = [pool.timeline[0][1] for pool in model.pools]
        self.busy = [0] * len(model.pools)
        self.queues: list[deque[Queued] | ClassQueue] = [deque() for _ in model.pools]
        #: Pools whose queues serve priority classes: every case joins the queue, so that
        #: its wait (0 or more) is counted by class.
        self.classed = set(model.priorities)
        for pool, (classes, shares) in model.priorities.items():
            queue = ClassQueue(len(classes), shares, timing.streams.uniform, events)
            self.queues[pool] = queue
            record.class_waits[pool] = queue.waits
        self.ready = [not pool.panel for pool in model.pools]
        self.pool_of = [stage.pool for stage in model.stages]
        self.timed = [stage.timed for stage in model.stages]
        self.only_way = routes.only_way
        self.warm_up, self.horizon = model.warm_up, model.horizon
        self.events, self.heap, self.sequence = events, events.heap, events.sequence
        self.regime, self.service_end = timing.regime, timing.end
        self.team_end = timing.team_end
        if model.pauses:  # only then is the check for a pause worth making
            self.service_end, self.team_end = timing.paused_end, timing.paused_team_end
        self.draw, self.duration_blocks, self.second = timing.draw, timing.blocks, timing.second
        #: Per stage: the rate of its exponential duration in calendar days with no shift or
        #: minimum in the first regime, when no team takes its own time there (else 0).
        own = {stage for durations in model.team_durations for stage in durations}
        self.quick = [
            service.rate
            if service.at_least is None
            and index not in model.split
            and index not in own
            and index not in model.pauses
            else 0.0
            for index, service in enumerate(timing.first)
        ]
        #: Per stage, for `start_service`: until when its duration is `quick` (the second
        #: regime's start, or minus infinity if it is not), that rate, the duration stream's
        #: blocks and its only way on (-1: a choice).
        self.fast = [
            (self.second if rate > 0.0 else -math.inf, rate, blocks, way)
            for rate, blocks, way in zip(
                self.quick, self.duration_blocks, self.only_way, strict=True
            )
        ]
        #: Per pool: whether the team takes its own time at some stage.
        self.teamed = [team is not None for team in timing.teams]
        self.split = model.split
        self.streams = timing.streams
        self.choose, self.timeout = routes.choose, routes.timeout
        self.record, self.busy_time = record, record.busy_time

    def connect(self, departed: Departed) -> None:
        """Say what moves a journey on once its work is done (the engine's `Tracks.depart`)."""
        self.departed = departed

    def reach(self, journey: JourneyRecord, track: int, stage: int, time: float) -> None:
        """A track reaches a capacity-limited stage at `time`: it queues now, or at `time` by an
        event if that is later than now."""
        if time > self.events.now:
            heappush(self.heap, (time, _ARRIVE + next(self.sequence), (journey, track, stage)))
        elif self.timed[stage]:
            self.queue(journey, track, stage, time)
        else:
            self.join(journey, track, stage, time, self.pool_for(journey, stage, time))

    def pool_for(self, journey: JourneyRecord, stage: int, time: float) -> int:
        """The pool that takes the journey's case at `stage`: the stage's own, or at a stage
        shared between teams, the one drawn with the journey's number of its `agency` stream
        (the same on every call)."""
        shared = self.split.get(stage) if self.split else None
        if shared is None:
            return self.pool_of[stage]
        pools, shares = shared
        cumulative = shares.get(profile_at(journey, time))
        if cumulative is None or len(pools) == 1:
            return pools[0]
        draw = self.streams.uniform(stage * KINDS + AGENCY, journey.key)
        return pools[min(bisect_right(cumulative, draw), len(pools) - 1)]

    def queue(self, journey: JourneyRecord, track: int, stage: int, time: float) -> None:
        """A journey reaches a capacity-limited stage: served now if a caseworker is free.

        At a stage a timeout leaves, its place in the queue carries a deadline token.
        """
        pool = self.pool_for(journey, stage, time)
        if not self.timed[stage]:
            self.join(journey, track, stage, time, pool)
            return
        item = Waiting(journey, track, stage, time)
        self.queues[pool].append((journey, track, stage, time, item))
        timeout = self.timeout(journey, stage, time, time)
        if timeout is not None:
            way, due = timeout
            self.events.push(due, WAKE, (item, way, due))
        if self.ready[pool]:
            self.serve(pool, time)

    def join(self, journey: JourneyRecord, track: int, stage: int, time: float, pool: int) -> None:
        """`queue` at a stage no timeout leaves, whose pool is `pool`."""
        queue = self.queues[pool]
        if self.ready[pool] and self.busy[pool] < self.size[pool]:
            if not queue and pool not in self.classed:  # a class queue counts every wait
                self.start_service(journey, track, stage, time, time, pool)
                return
            queue.append((journey, track, stage, time, None))
            self.serve(pool, time)
        else:
            queue.append((journey, track, stage, time, None))

    def start_service(
        self, journey: JourneyRecord, track: int, stage: int, arrived: float, time: float, pool: int
    ) -> None:
        """A caseworker of `pool` picks the journey up at `time`; its departure is scheduled."""
        until, rate, blocks, way = self.fast[stage]
        if time < until:
            # `Timing.end`, inlined for an exponential duration in the first regime.
            try:
                draw = blocks[journey.block][journey.slot]
            except KeyError:
                draw = self.draw(journey, stage)
            end = time + -log(1.0 - draw) / rate
        elif self.teamed[pool]:
            end = self.team_end(journey, stage, arrived, time, pool)
        else:
            end = self.service_end(journey, stage, arrived, time)
        if way < 0:
            way, end = self.choose(journey, stage, arrived, end)
        self.busy[pool] += 1
        warm_up, horizon = self.warm_up, self.horizon
        low = time if time > warm_up else warm_up
        high = end if end < horizon else horizon
        if high > low:
            self.busy_time[pool] += high - low
        heappush(
            self.heap,
            (end, _DEPART + next(self.sequence), journey, track, stage, arrived, time, way, pool),
        )

    def serve(self, pool: int, time: float) -> None:
        """Free caseworkers of `pool` pick up the cases at the front of its queue."""
        queue, busy, size = self.queues[pool], self.busy, self.size
        start = self.start_service
        while queue and busy[pool] < size[pool]:
            journey, track, stage, arrived, token = queue.popleft()
            if token is not None:
                if not token.active:
                    continue
                token.active = False
            start(journey, track, stage, arrived, time, pool)

    def resize(self, pool: int, size: int, time: float) -> None:
        """A change in the capacity of `pool` (dated, or an absence) comes into force."""
        self.size[pool] = size
        if self.ready[pool]:
            self.serve(pool, time)

    def panel(self, pool: int, time: float) -> None:
        """A panel meets: it decides up to its number of cases from the front of its queue."""
        table, queue = self.pools[pool], self.queues[pool]
        cases = self.size[pool]
        decided = 0
        while queue and decided < cases:
            journey, track, stage, arrived, token = queue.popleft()
            if token is not None:
                if not token.active:
                    continue
                token.active = False
            decided += 1
            if self.teamed[pool]:
                end = self.team_end(journey, stage, arrived, time, pool)
            else:
                end = self.service_end(journey, stage, arrived, time)
            way, end = self.choose(journey, stage, arrived, end)
            if end > time:
                key = _DEPART + next(self.sequence)
                heappush(self.heap, (end, key, journey, track, stage, arrived, time, way, -1))
            else:
                self.departed(journey, track, stage, arrived, time, way, end)
        self.record.meeting(pool, time, decided, cases)
        # Other events still to come (the heap holds one meeting per other panel) may bring cases.
        # After the horizon a panel with no places left to give stops meeting.
        more = queue and (time < self.horizon or max(table.size[self.regime(time) :]) > 0)
        if time < self.horizon or len(self.heap) > self.panels - 1 or more:
            self.events.push(time + table.every, PANEL, pool)
