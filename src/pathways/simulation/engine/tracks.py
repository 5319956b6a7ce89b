"""Tracks: handoffs that start other tracks or wait for them, parked journeys and deadlines.

A handoff's `starts` opens tracks at the moment it is made; `waits_for` parks the journey at its
stage until those tracks have reached an outcome (or a timeout's deadline wakes it); a track
reaching an outcome releases whatever was parked waiting for it, and the journey closes when its
last open track ends.
"""

from __future__ import annotations

from collections.abc import Callable

from pathways.definition.retelling import handed
from pathways.simulation.engine.events import WAKE, Events
from pathways.simulation.engine.recorder import JourneyRecord, Recorder, Waiting
from pathways.simulation.engine.routes import Routes
from pathways.simulation.engine.tables import SimModel, WayTable

__all__ = ["Advance", "Passing", "Tracks"]

#: Moving a track on from a stage it entered at a time: `Flow.advance(journey, track, stage,
#: time)`.
Advance = Callable[[JourneyRecord, int, int, float], None]
#: What a handoff does besides moving its track on, made from a stage at a time: pass on what
#: it shares, then start the tracks it starts (`Tracks.passing`).
Passing = Callable[[JourneyRecord, int, float], None]


class Tracks:
    """Starting, parking and releasing tracks (see the module docstring).

    Moving a track on through stages is `Flow.advance`, given by `connect`.
    """

    __slots__ = (
        "advance",
        "close",
        "events",
        "extras",
        "outcomes",
        "owners",
        "passes",
        "record",
        "timeout",
        "track_entries",
        "ways",
    )

    advance: Advance

    def __init__(self, model: SimModel, events: Events, routes: Routes, record: Recorder) -> None:
        self.ways = model.ways
        self.owners = [stage.owner for stage in model.stages]
        self.track_entries = model.track_entries
        self.events = events
        self.timeout = routes.timeout
        self.record = record
        self.close = record.close
        self.outcomes = record.outcomes
        #: Per way: what it does besides moving its track on (None: nothing).
        self.passes = [self.passing(way) for way in model.ways]
        #: The same with the count of a milestone first, for the engine's inlined handoffs.
        self.extras = [self.extra(index) for index in range(len(model.ways))]

    def extra(self, way: int) -> Passing | None:
        """`passing`, after counting the handoff's milestone if it is one (`Recorder.milestone`):
        all that the engine's inlined handoff does after counting the visit and the handoff."""
        passing, milestone = self.passes[way], self.record.milestone
        if not self.record.marks[way]:
            return passing
        if passing is None:
            return lambda journey, stage, time: milestone(journey, way, time)

        def both(journey: JourneyRecord, stage: int, time: float) -> None:
            milestone(journey, way, time)
            passing(journey, stage, time)

        return both

    def passing(self, way: WayTable) -> Passing | None:
        """What handoff `way` does besides moving its track on: pass on the items it shares
        (to the holders of the stages it lands at, if the owner of the stage it leaves holds
        them) and start its tracks; None if it does neither. Made once per way, so the engine's
        hot paths need one check for both."""
        shares, receivers, starts = way.shares, way.receivers, way.starts
        owners, start_tracks = self.owners, self.start_tracks
        if not shares:
            if not starts:
                return None
            return lambda journey, stage, time: start_tracks(journey, starts, time)

        def share(journey: JourneyRecord, stage: int, time: float) -> None:
            held, source = journey.held, owners[stage]
            for item in shares:
                had = held.get(item, 0)
                if had:
                    held[item] = handed(had, source, receivers)
            if starts:
                start_tracks(journey, starts, time)

        return share

    def connect(self, advance: Advance) -> None:
        """Say what moves a track on through stages (the engine's `Flow.advance`)."""
        self.advance = advance

    def go(
        self,
        journey: JourneyRecord,
        track: int,
        stage: int,
        arrived: float,
        start: float,
        end: float,
        way: int,
    ) -> tuple[int, float] | None:
        """Take `way` from `stage` once other tracks allow; the next (stage, time), or None."""
        ready = end
        for waited in self.ways[way].waits_for:
            if journey.started >> waited & 1:
                done = journey.done[waited]
                if done < 0.0:
                    self.park(journey, track, stage, arrived, start, end, way)
                    return None
                end = max(end, done)
        self.record.visit(journey, stage, arrived, start, ready, end)
        return self.take(journey, way, arrived, end, stage)

    def depart(
        self,
        journey: JourneyRecord,
        track: int,
        stage: int,
        arrived: float,
        start: float,
        way: int,
        end: float,
    ) -> None:
        """Work at `stage` is done at `end`: take `way` (-1: none, the track is stuck there)."""
        if way < 0:
            self.record.stuck(journey, stage, arrived, start, end)
            return
        step = self.go(journey, track, stage, arrived, start, end, way)
        if step is not None:
            self.advance(journey, track, *step)
            self.close_if_done(journey)

    def take(
        self, journey: JourneyRecord, way: int, arrived: float, time: float, stage: int
    ) -> tuple[int, float]:
        """Make handoff `way` from `stage` at `time`, passing on what it shares and starting
        any tracks it starts; the next (stage, time)."""
        self.record.handoff(journey, way, arrived, time)
        passing = self.passes[way]
        if passing is not None:
            passing(journey, stage, time)
        return self.ways[way].to, time

    def start_tracks(self, journey: JourneyRecord, tracks: tuple[int, ...], time: float) -> None:
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
        journey: JourneyRecord,
        track: int,
        stage: int,
        arrived: float,
        start: float,
        ready: float,
        way: int,
    ) -> None:
        """Hold a track ready to take `way` until the tracks it waits for reach an outcome."""
        item = Waiting(journey, track, stage, arrived, start, ready, way)
        journey.parked.append(item)
        timeout = self.timeout(journey, stage, arrived, ready)
        if timeout is not None:
            timeout_way, due = timeout
            self.events.push(max(due, self.events.now), WAKE, (item, timeout_way, due))

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
        self.advance(journey, item.track, *self.take(journey, way, item.arrived, due, item.stage))
        self.close_if_done(journey)

    def finish_track(self, journey: JourneyRecord, track: int, stage: int, time: float) -> None:
        """A track reaches an outcome at `stage`: release what waited for it, maybe close."""
        journey.done[track] = time
        journey.open -= 1
        if journey.counted:
            self.outcomes[stage] += 1
        if journey.parked:
            self.release(journey)
        # `close_if_done`, inlined: every journey closes here or after a parked track moves on.
        if journey.open == 0 and not journey.closed:
            self.close(journey)

    def release(self, journey: JourneyRecord) -> None:
        """Move on every parked track whose awaited tracks have all reached an outcome."""
        for item in list(journey.parked):
            if not item.active:
                continue
            waits = self.ways[item.way].waits_for
            if all(journey.done[t] >= 0.0 or not journey.started >> t & 1 for t in waits):
                item.active = False
                journey.parked.remove(item)
                end = max([item.ready, *(journey.done[t] for t in waits)])
                self.record.visit(journey, item.stage, item.arrived, item.start, item.ready, end)
                step = self.take(journey, item.way, item.arrived, end, item.stage)
                self.advance(journey, item.track, *step)

    def close_if_done(self, journey: JourneyRecord) -> None:
        if journey.open == 0 and not journey.closed:
            self.close(journey)
