"""What the engine observes during one replication, and the journeys it follows.

Statistics are kept for journeys that arrive between the warm-up and the horizon ("counted"
journeys), and each is followed to its end; backlog over time counts every journey, including
those already waiting at the start and those that arrived during the warm-up. Backlog is the
number of journeys at each stage at midnight every day (every `every` days when that is not a
whole number of days), kept as difference arrays so a visit costs two additions however long
it lasts; the results sample it every `every` days, and at the end of each calendar period.

For figures by calendar period (`pathways.simulation.period_figures`), every journey's
milestones are counted by day, compactly: arrivals and closures per day, handoffs that are
milestones (`engine.milestones`) per handoff and day, and for each RG and CG decision its time
and the days since the journey's NRM referral (when it has one), as pairs in a flat array.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Callable

from pathways.simulation.engine import milestones
from pathways.simulation.engine.clock import Clock
from pathways.simulation.engine.tables import SimModel

__all__ = ["JourneyRecord", "Recorder", "Waiting"]

#: One traced event: (time, order, kind, name or attribute, agency or value).
TraceEvent = tuple[float, int, str, str, "str | bool"]


def _ignore(key: int) -> None:
    """Nothing to release."""


class JourneyRecord:
    """The engine's record of one victim's journey: where its tracks are, what has happened.

    Not the runtime's `pathways.runtime.journey.Journey`: only what the simulation needs.
    """

    __slots__ = (
        "arrived",
        "block",
        "change_at",
        "changes",
        "closed",
        "counted",
        "done",
        "events",
        "handoffs",
        "held",
        "key",
        "number",
        "open",
        "parked",
        "paused",
        "profile",
        "referred",
        "retellings",
        "slot",
        "started",
        "stuck",
        "support",
        "visits",
    )

    def __init__(
        self, number: int, arrived: float, profile: int, counted: bool, tracks: int, key: int
    ) -> None:
        self.number = number
        #: The journey's number in the random streams (`streams.Streams`): its place among
        #: arrivals, or -1, -2, ... for cases waiting on day 0.
        self.key = key
        self.block, self.slot = key >> 10, key & 1023
        self.arrived = arrived
        self.profile = profile
        self.counted = counted
        self.changes: tuple[tuple[float, int], ...] = ()
        self.change_at = math.inf
        self.closed = False
        self.held: dict[int, int] = {}  # item -> holders (`pathways.definition.retelling`)
        self.done = [-1.0] * tracks
        self.events: list[TraceEvent] | None = None
        self.handoffs = 0
        self.open = 1
        self.parked: list[Waiting] = []
        self.referred = -math.inf  # not referred (yet); a starting case may be referred < 0
        self.retellings = 0
        self.started = 1
        self.stuck = False
        self.support = -1.0
        #: Draws per purpose at stages it can come back to (None until it reaches one).
        self.visits: dict[int, int] | None = None
        #: Per stage whose clock may be paused: the days paused on the current visit.
        self.paused: dict[int, float] | None = None


class Waiting:
    """A journey held at a stage: in a queue (`start` is -1 until work starts), or parked
    until other tracks reach an outcome. `active` turns false once it has moved on."""

    __slots__ = ("active", "arrived", "journey", "ready", "stage", "start", "track", "way")

    def __init__(
        self,
        journey: JourneyRecord,
        track: int,
        stage: int,
        arrived: float,
        start: float = -1.0,
        ready: float = -1.0,
        way: int = -1,
    ) -> None:
        self.journey = journey
        self.track = track
        self.stage = stage
        self.arrived = arrived
        self.start = start
        self.ready = ready
        self.way = way
        self.active = True


class Recorder:
    """Collects per-stage times, journey totals, utilisation and backlog for one replication."""

    def __init__(self, model: SimModel, clock: Clock, trace: int) -> None:
        self.model = model
        self.clock = clock
        self.trace = trace
        self.traced: list[JourneyRecord] = []
        self.tracks = len(model.tracks)
        stages = len(model.stages)
        #: The backlog grid: a day, or `model.every` when that is not a whole number of days.
        self.every = 1.0 if float(model.every).is_integer() else model.every
        self.samples = int(model.horizon // self.every) + 1
        self.last = self.samples * self.every
        self.waits = [array("d") for _ in range(stages)]
        self.services = [array("d") for _ in range(stages)]
        self.breaches = [0] * stages
        self.within = [stage.within for stage in model.stages]
        self.stuck_at = [0] * stages
        self.outcomes = [0] * stages
        self.backlog = [[0] * (self.samples + 1) for _ in range(stages)]
        self.open_backlog = [0] * (self.samples + 1)
        self.taken = [0] * len(model.ways)
        #: Per stage: days paused by counted journeys (`Timing.pause` adds to it).
        self.paused = [0.0] * stages
        self.late = [0] * len(model.ways)
        self.busy_time = [0.0] * len(model.pools)
        #: Per pool with priority classes: each class's queue waits (`priority.ClassQueue`).
        self.class_waits: dict[int, list[array[float]]] = {}
        self.decided = [0] * len(model.pools)
        self.offered = [0] * len(model.pools)
        self.utilisation: list[float] = []
        self.journeys = 0
        self.closed = 0
        self.unfinished = 0
        self.to_close = array("d")
        self.to_support = array("d")
        self.handoffs = 0
        self.retellings = 0
        self.count = 0
        self.active: dict[int, JourneyRecord] = {}
        #: Journeys closed per block of the random streams (`Streams`), and what lets a block
        #: go once all 1,024 have closed (`Streams.let_go`).
        self.closed_in: dict[int, int] = {}
        self.release: Callable[[int], None] = _ignore
        self.open_at = [0] * stages
        self.open_tracks = [0] * self.tracks
        self._milestones(model)

    def _milestones(self, model: SimModel) -> None:
        """Set up the daily counts of arrivals, closures and milestones (see the docstring)."""
        self.days = days = int(model.horizon) + 1  # the last cell holds everything later
        self.arrived_days = [0] * (days + 1)
        self.closed_days = [0] * (days + 1)
        found = model.milestones
        # ways beyond the pathway's handoffs (ways of leaving early, `attrition`) mark nothing
        self.marks = [*found.marks, *[0] * (len(model.ways) - len(found.marks))]
        self.way_days = [[0] * (days + 1) if mark else [] for mark in self.marks]
        self.entry_mark = found.entry
        self.rg_times = array("d")
        self.cg_times = array("d")

    def open(self, time: float, profile: int, counted: bool, key: int) -> JourneyRecord:
        number = self.count
        journey = JourneyRecord(number, time, profile, counted, self.tracks, key)
        self.count = number + 1
        self.active[number] = journey
        if counted:
            self.journeys += 1
            if len(self.traced) < self.trace:
                journey.events = []
                self.traced.append(journey)
        return journey

    def arrive(self, journey: JourneyRecord, time: float) -> None:
        """A new victim arrives (not a case of the starting backlog)."""
        day = int(time)
        self.arrived_days[day if day < self.days else self.days] += 1
        if self.entry_mark & milestones.REFERRAL:
            journey.referred = time

    def milestone(self, journey: JourneyRecord, way: int, time: float) -> None:
        """Handoff `way`, a milestone, is made at `time` (by any journey, counted or not)."""
        day = int(time)
        self.way_days[way][day if day < self.days else self.days] += 1
        mark = self.marks[way]
        if mark & milestones.REFERRAL:
            if journey.referred == -math.inf:
                journey.referred = time
        elif mark & (milestones.RG | milestones.CG) and journey.referred > -math.inf:
            times = self.rg_times if mark & milestones.RG else self.cg_times
            times.append(time)
            times.append(time - journey.referred)

    def _span(self, series: list[int], start: float, end: float) -> None:
        every = self.every
        first = max(math.ceil(start / every), 0)
        last = math.ceil(min(end, self.samples * every) / every)
        if first < last:
            series[first] += 1
            series[last] -= 1

    def visit(
        self,
        journey: JourneyRecord,
        stage: int,
        arrived: float,
        start: float,
        ready: float,
        end: float,
    ) -> None:
        """A stage visit: arrived, picked up at `start`, ready to go at `ready`, left at `end`."""
        every = self.every
        first = max(math.ceil(arrived / every), 0)
        last = math.ceil(min(end, self.last) / every)
        if first < last:
            series = self.backlog[stage]
            series[first] += 1
            series[last] -= 1
        if journey.counted:
            self.waits[stage].append((start - arrived) + (end - ready))
            self.services[stage].append(ready - start)
            self.check_limit(stage, arrived, end, journey)

    def check_limit(self, stage: int, arrived: float, end: float, journey: JourneyRecord) -> None:
        """Count a breach of the stage's time limit by a visit from `arrived` to `end`, less
        the time the journey's clock was paused there (`pauses`)."""
        within = self.model.stages[stage].within
        if journey.paused is not None:
            end -= journey.paused.get(stage, 0.0)
        if within is not None and end >= self.clock.overdue_at(arrived, *within):
            self.breaches[stage] += 1

    def stuck(
        self, journey: JourneyRecord, stage: int, arrived: float, start: float, end: float
    ) -> None:
        """A track has no way on for this profile: it stays at `stage` for good."""
        self._span(self.backlog[stage], arrived, math.inf)
        journey.stuck = True
        self.stuck_at[stage] += 1
        if journey.counted:
            self.open_at[stage] += 1

    def handoff(self, journey: JourneyRecord, way: int, arrived: float, time: float) -> None:
        journey.handoffs += 1
        if self.marks[way]:
            self.milestone(journey, way, time)
        info = self.model.ways[way]
        if journey.counted:
            self.taken[way] += 1
            limit = info.within
            if limit is not None and not info.timeout:
                self.late[way] += time >= self.clock.overdue_at(arrived, *limit)
        if journey.events is not None:
            kind = "timeout" if info.timeout else "handoff"
            journey.events.append((time, len(journey.events), kind, info.name, info.agency))

    def close(self, journey: JourneyRecord) -> None:
        journey.closed = True
        del self.active[journey.number]
        # `Streams.closed`, inlined: count the journey's block closed.
        closed_in, block = self.closed_in, journey.block
        done = closed_in[block] = closed_in.get(block, 0) + 1
        if done == 1024:
            self.release(block)
        end = max(journey.done)
        day = int(end)
        self.closed_days[day if day < self.days else self.days] += 1
        arrived = journey.arrived
        every = self.every
        first = max(math.ceil(arrived / every), 0)
        last = math.ceil((end if end < self.last else self.last) / every)
        if first < last:
            self.open_backlog[first] += 1
            self.open_backlog[last] -= 1
        if journey.events is not None:
            self._trace_changes(journey, end)
        if journey.counted:
            self.closed += 1
            self.to_close.append(end - arrived)
            if journey.support >= 0.0:
                self.to_support.append(journey.support)
            self.handoffs += journey.handoffs
            self.retellings += journey.retellings

    def _trace_changes(self, journey: JourneyRecord, end: float) -> None:
        """Add a traced journey's profile changes before `end` to its events."""
        assert journey.events is not None
        names = self.model.attributes
        before = self.model.profile_values[journey.profile]
        for when, profile in journey.changes:
            after = self.model.profile_values[profile]
            if when < end:
                for name, old, new in zip(names, before, after, strict=True):
                    if old != new:
                        journey.events.append((when, len(journey.events), "profile", name, new))
            before = after

    def meeting(self, pool: int, time: float, decided: int, cases: int) -> None:
        if self.model.warm_up <= time < self.model.horizon:
            self.decided[pool] += decided
            self.offered[pool] += cases

    def finish(self) -> None:
        """Close the books: utilisation per pool and journeys still open at the end."""
        model = self.model
        for index, pool in enumerate(model.pools):
            if pool.panel:
                offered = self.offered[index]
                self.utilisation.append(self.decided[index] / offered if offered else math.nan)
                continue
            capacity = 0.0
            bounds = [time for time, _ in pool.timeline[1:]] + [math.inf]
            for (time, size), following in zip(pool.timeline, bounds, strict=True):
                low = max(time, model.warm_up)
                high = min(following, model.horizon)
                capacity += size * max(0.0, high - low)
            self.utilisation.append(self.busy_time[index] / capacity if capacity else math.nan)
        for journey in self.active.values():
            self._span(self.open_backlog, journey.arrived, math.inf)
            if journey.counted:
                self.unfinished += 1
                if journey.support >= 0.0:
                    self.to_support.append(journey.support)
                for track in range(self.tracks):
                    if journey.started >> track & 1 and journey.done[track] < 0.0:
                        self.open_tracks[track] += 1

    def left_open(self, journey: JourneyRecord, stage: int, arrived: float) -> None:
        """A journey still waits at `stage` (queued or parked) when the run ends: it is in the
        backlog from `arrived` on, and counted as open at the stage."""
        self._span(self.backlog[stage], arrived, math.inf)
        if journey.counted:
            self.open_at[stage] += 1
