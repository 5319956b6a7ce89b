"""Tracks: handoffs that start other tracks or wait for them, parked journeys and deadlines.

`Tracks` is the part of the engine that follows a journey's parallel tracks; `Engine` inherits
it. A handoff's `starts` opens tracks at the moment it is made; `waits_for` parks the journey at
its stage until those tracks have reached an outcome (or a timeout's deadline wakes it); a track
reaching an outcome releases whatever was parked waiting for it, and the journey closes when its
last open track ends.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from pathways.simulation.engine.recorder import Journey, Recorder, Waiting
from pathways.simulation.engine.tables import Limit, Option, SimModel

__all__ = ["WAKE", "Tracks"]

INF = math.inf
#: The event kind of a deadline (see `capacity.PRIORITY`).
WAKE = 3


class Tracks:
    """Starting, parking and releasing tracks (a part of `Engine`; see the module docstring)."""

    model: SimModel
    record: Recorder
    now: float
    outcomes: list[int]
    options: list[Mapping[int, Option]]
    profiles: int
    track_entries: Sequence[int]

    if TYPE_CHECKING:

        def push(self, time: float, kind: int, data: Any) -> None: ...
        def regime(self, time: float) -> int: ...
        def profile(self, journey: Journey, time: float) -> int: ...
        def deadline(self, arrived: float, limit: Limit | None) -> float: ...
        def advance(self, journey: Journey, track: int, stage: int, time: float) -> None: ...

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
        if info.starts:
            self.start_tracks(journey, info.starts, time)
        return info.to, time

    def start_tracks(self, journey: Journey, tracks: tuple[int, ...], time: float) -> None:
        """Open those of `tracks` the journey has not started yet, all at `time`."""
        if len(tracks) == 1:
            track = tracks[0]
            if not journey.started >> track & 1:
                journey.started |= 1 << track
                journey.open += 1
                self.advance(journey, track, self.track_entries[track], time)
            return
        fresh = [t for t in tracks if not journey.started >> t & 1]
        for started in fresh:
            journey.started |= 1 << started
            journey.open += 1
        for started in fresh:
            self.advance(journey, started, self.track_entries[started], time)

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
            if due < INF:
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
        if journey.open == 0 and not journey.closed:
            self.record.close(journey)

    def finish_track(self, journey: Journey, track: int, stage: int, time: float) -> None:
        journey.done[track] = time
        journey.open -= 1
        if journey.counted:
            self.outcomes[stage] += 1
        if journey.parked:
            self.release(journey)
        if journey.open == 0 and not journey.closed:
            self.record.close(journey)

    def release(self, journey: Journey) -> None:
        """Move on every parked track whose awaited tracks have all reached an outcome."""
        ways = self.model.ways
        for item in list(journey.parked):
            if not item.active:
                continue
            waits = ways[item.way].waits_for
            if all(journey.done[t] >= 0.0 or not journey.started >> t & 1 for t in waits):
                item.active = False
                journey.parked.remove(item)
                end = max([item.ready, *(journey.done[t] for t in waits)])
                self.record.visit(journey, item.stage, item.arrived, item.start, item.ready, end)
                self.advance(journey, item.track, *self.take(journey, item.way, item.arrived, end))

    def close_if_done(self, journey: Journey) -> None:
        if journey.open == 0 and not journey.closed:
            self.record.close(journey)
