"""The discrete-event engine: one replication of a scenario, seeded and deterministic.

House style (after SimPy): one heap of events keyed `(time, priority, sequence)`, so ties are
broken the same way every time; randomness comes from `random.Random` streams seeded by text
(`"<seed>:<replication>:arrivals"` for arrival times, and one stream per purpose read by
journey number, `streams.Streams`), which give the same numbers on any machine and in any
process, whatever the order of events: two scenarios with the same arrivals see the same
victims, and each victim gets the same draws wherever the scenarios agree.

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

The engine is composed of parts, each owning its state and given what it needs when it is
made: `Events` (the heap), `Timing` (durations), `Routes` (ways on), `Recorder` (what is
observed), `Capacity` (queues, caseworkers, panels), `Tracks` (starting, parking and releasing
tracks) and `Flow` (arrivals and movement through stages without capacity). `Tracks` and
`Capacity` call back into `Flow.advance` and `Tracks.depart`, given by `connect`.

The loop is written for speed, because a study runs millions of stage visits: one flat heap
entry per event (`events.KEY`), tables indexed by number rather than looked up by name, parts'
methods and lists bound to locals, and the common departure (no trace, no time limit on the
handoff, no tracks to wait for) handled inline, with what else the handoff does (a milestone,
sharing, starting tracks) made once per way (`Tracks.extra`). None of it changes a number: the
same events happen in the same order, with the same draws from the same streams
(`tests/simulation/engine/test_pinned.py` pins them).
"""

from __future__ import annotations

import heapq
import math
import random
from math import ceil
from typing import Any

from pathways.simulation.engine.capacity import Capacity
from pathways.simulation.engine.clock import Clock
from pathways.simulation.engine.events import ARRIVE, DEPART, NEW, PANEL, SIZE, WAKE, Events
from pathways.simulation.engine.flow import Flow
from pathways.simulation.engine.recorder import Recorder
from pathways.simulation.engine.routes import Routes
from pathways.simulation.engine.streams import Streams
from pathways.simulation.engine.tables import SimModel, WayTable
from pathways.simulation.engine.timing import Timing
from pathways.simulation.engine.tracks import Tracks

__all__ = ["Engine"]

#: What follows a handoff: (next stage, step, the stage's pool, support),
#: where step is `_QUEUE` (join a caseworkers' queue; nothing else happens there on arrival),
#: `_END` (an outcome where nothing else happens) or `_ADVANCE` (anything else, a panel's queue
#: too: the loop's inlined join assumes caseworkers, who are always ready), and support is 0 at
#: a support stage and minus infinity elsewhere, so `journey.support < support` says "first
#: support now" in one comparison.
After = tuple[int, int, int, float]
_ADVANCE, _QUEUE, _END = range(3)


def _after(way: WayTable, model: SimModel) -> After | None:
    """What follows handoff `way` in the event loop, or None if it needs the general path
    (one that waits for tracks or has a time limit)."""
    if way.waits_for or way.within:
        return None
    stage = model.stages[way.to]
    step = _ADVANCE
    queue = stage.pool >= 0 and not model.pools[stage.pool].panel and way.to not in model.split
    queue = queue and stage.pool not in model.priorities  # a class queue: `Capacity.join`
    if queue and not (stage.collects or stage.timed or stage.outcome is not None):
        step = _QUEUE
    elif stage.outcome is not None and not (stage.collects or stage.support):
        step = _END
    return way.to, step, stage.pool, 0.0 if stage.support else -math.inf


class Engine:
    """Runs one replication of `model`; `trace` journeys keep their events for replay."""

    def __init__(self, model: SimModel, seed: int | str, replication: int, trace: int = 0) -> None:
        self.model = model
        arrival_rng = random.Random(f"{seed}:{replication}:arrivals")
        names = [stage.name for stage in model.stages]
        self.streams = streams = Streams(names, model.revisited, seed, replication)
        clock = Clock(model.start, int(model.horizon) + 800)
        self.record = record = Recorder(model, clock, trace)
        record.release = streams.let_go
        self.events = events = Events()
        timing = Timing(model, clock, streams)
        timing.paused = record.paused
        routes = Routes(model, timing, streams)
        self.capacity = capacity = Capacity(model, events, timing, routes, record)
        self.tracks = tracks = Tracks(model, events, routes, record)
        parts = (events, timing, routes, record)
        self.flow = flow = Flow(model, clock, arrival_rng, streams, parts, capacity, tracks)
        tracks.connect(flow.advance)
        capacity.connect(tracks.depart)
        # What the event loop does after an ordinary handoff (None: the general path, for
        # every way when journeys are traced); the extra None at the end is for way -1.
        self.after: list[After | None] = [
            None if trace else _after(way, model) for way in model.ways
        ] + [None]

    def _start(self) -> None:
        """Schedule panel meetings and changes in capacity (dated, and absences), then the
        backlog and arrivals."""
        model, push = self.model, self.events.push
        for index, table in enumerate(model.pools):
            if table.panel:
                push(table.first, PANEL, index)
            for time, size in table.timeline[1:]:
                push(time, SIZE, (index, size))
        self.flow.start()

    def run(self) -> Recorder:
        """Simulate until every journey that arrived before the horizon is done."""
        self._start()
        events, capacity, tracks, record = self.events, self.capacity, self.tracks, self.record
        heap, pop, other = events.heap, heapq.heappop, self.other
        advance = self.flow.advance
        start_service, serve, join = capacity.start_service, capacity.serve, capacity.join
        queues, busy, size = capacity.queues, capacity.busy, capacity.size
        depart, finish_track = tracks.depart, tracks.finish_track
        after, within, series_at, extras = self.after, record.within, record.backlog, tracks.extras
        waits, services, taken = record.waits, record.services, record.taken
        every, last = record.every, record.last
        while heap:
            entry = pop(heap)
            now = events.now = entry[0]
            if entry[1] & 7 != DEPART:
                other(entry)
                continue
            # Work at a stage is done (the entry pushed by `Capacity.start_service` or `panel`).
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
            if then is None:
                depart(journey, track, stage, arrived, start, way, now)
                continue
            # The common case, inlined: `record.visit`, `record.handoff`, then the next stage.
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
                    record.check_limit(stage, arrived, now, journey)
                taken[way] += 1
            extra = extras[way]  # the milestone, what it shares, the tracks it starts
            if extra is not None:
                extra(journey, stage, now)
            stage, step, pool, support = then
            if step == _QUEUE:
                if journey.support < support:
                    journey.support = now - journey.arrived
                # `Capacity.join`, inlined for its two common cases (the pool is caseworkers).
                if busy[pool] >= size[pool]:
                    queues[pool].append((journey, track, stage, now, None))
                elif not queues[pool]:
                    start_service(journey, track, stage, now, now, pool)
                else:
                    join(journey, track, stage, now, pool)
            elif step == _END:
                finish_track(journey, track, stage, now)
            else:
                advance(journey, track, stage, now)
            # Nothing to close here: a journey closes in `Tracks.finish_track`, the one place
            # its last open track can end.
        self._left_open()
        record.finish()
        return record

    def _left_open(self) -> None:
        """Journeys still queued, or parked for another track, when the run ends (a stage with
        no capacity, or one waiting for a track that is stuck) stay in the backlog."""
        record = self.record
        for queue in self.capacity.queues:
            for journey, _, stage, arrived, token in queue:
                if token is None or token.active:
                    record.left_open(journey, stage, arrived)
        for journey in record.active.values():
            for item in journey.parked:
                if item.active:
                    record.left_open(journey, item.stage, item.arrived)

    def other(self, entry: tuple[Any, ...]) -> None:
        """Any event but a departure: a new journey, a journey reaching a queue, a deadline, a
        panel meeting, or a change in the number of caseworkers."""
        kind, time, data = entry[1] & 7, entry[0], entry[2]
        if kind == NEW:
            self.flow.new_journey(time)
        elif kind == ARRIVE:
            journey, track, stage = data
            self.capacity.queue(journey, track, stage, time)
        elif kind == WAKE:
            self.tracks.wake(data)
        elif kind == PANEL:
            self.capacity.panel(data, time)
        else:
            pool, size = data
            self.capacity.resize(pool, size, time)
