"""How long things take: stage service times per regime, minimum times and deadlines.

`Timing.end` is the one place a stage's duration is drawn, for work picked up by a caseworker,
decided by a panel or done at a stage without capacity. The draw is the journey's own number
of the stage's `duration` stream (`streams.Streams`), whenever and in whatever order it is
made. Exponential durations in calendar days with no shift are drawn inline by inversion, as
`random.Random.expovariate` does; others use the distribution's sampler on a `Draws`
sequence started from that number.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Callable
from math import log
from typing import NamedTuple

from pathways.simulation.engine.clock import Clock
from pathways.simulation.engine.recorder import JourneyRecord
from pathways.simulation.engine.streams import DURATION, KINDS, PAUSE, Draws, Streams
from pathways.simulation.engine.tables import Limit, RegimeTable, SimModel
from pathways.simulation.scenario.distributions import DurationSpec, Sampler

__all__ = ["Service", "Timing"]

_INF = math.inf


class Service(NamedTuple):
    """How work at one stage is timed in one regime.

    `rate` is the rate of an exponential duration in calendar days with no shift (drawn
    inline), else 0; `sampler` draws any other duration (None: instant); `working` lays the draw
    onto working days; `at_least` is the stage's minimum time from arrival; `fixed` is the
    duration when it is always the same (no number is drawn), else -1.
    """

    rate: float
    sampler: Callable[[], float] | None
    working: bool
    at_least: Limit | None
    fixed: float = -1.0


def _service(spec: DurationSpec | None, at_least: Limit | None, rng: Draws) -> Service:
    sampler = spec.sampler(rng) if spec else None
    rate = 0.0
    if spec and spec.kind == "exponential" and not spec.shift and not spec.working:
        rate = 1.0 / spec.mean
    fixed = -1.0
    if spec and (spec.kind == "fixed" or (spec.kind in ("lognormal", "gamma") and not spec.sd)):
        fixed = spec.shift + spec.mean
    return Service(rate, sampler, bool(spec and spec.working), at_least, fixed)


def _services(regime: RegimeTable, model: SimModel, rng: Draws) -> list[Service]:
    return [
        _service(spec, stage.at_least, rng)
        for stage, spec in zip(model.stages, regime.durations, strict=True)
    ]


class Timing:
    """Stage durations drawn from the `duration` streams, and the regime in force at a time."""

    __slots__ = (
        "blocks",
        "clock",
        "constant",
        "draws",
        "first",
        "paused",
        "pausing",
        "revisited",
        "second",
        "starts",
        "streams",
        "tables",
        "teams",
    )

    def __init__(self, model: SimModel, clock: Clock, streams: Streams) -> None:
        self.clock = clock
        self.streams = streams
        #: The duration stream's blocks of each stage (`Streams.blocks`); none for a stage a
        #: journey can come back to, so that `draw` counts its visits.
        self.blocks = [
            {} if streams.revisited[stage] else streams.blocks[stage * KINDS + DURATION]
            for stage in range(len(model.stages))
        ]
        self.revisited = streams.revisited
        self.draws = rng = streams.draws
        self.starts = [r.starts for r in model.regimes]
        #: When the second regime starts: before it, regime 0 is in force without a search.
        self.second = self.starts[1] if len(self.starts) > 1 else _INF
        self.tables = [_services(regime, model, rng) for regime in model.regimes]
        self.first = self.tables[0]
        #: Per stage: the probability of a pause and a sampler of its length (`pauses`), or
        #: None; and the days paused per stage by counted journeys (the recorder's list).
        self.pausing: list[tuple[float, Sampler, bool] | None] = [None] * len(model.stages)
        for stage, (probability, spec) in model.pauses.items():
            self.pausing[stage] = (probability, spec.sampler(rng), spec.working)
        self.paused = [0.0] * len(model.stages)
        self.constant = [self._constant(stage) for stage in range(len(model.stages))]
        #: Per pool: stage -> how that team's work is timed (None: as the stage says).
        self.teams: list[dict[int, Service] | None] = [
            {
                stage: _service(spec, model.stages[stage].at_least, rng)
                for stage, spec in durations.items()
            }
            or None
            for durations in model.team_durations
        ] or [None] * len(model.pools)

    def _constant(self, stage: int) -> float:
        """The stage's duration when it is the same number of calendar days in every regime
        (0: instant), with no minimum and no pause, so no number is drawn; else -1."""
        found = {(s.rate, s.working, s.fixed if s.sampler else 0.0) for s in self.services(stage)}
        if len(found) != 1 or self.pausing[stage] is not None:
            return -1.0
        ((rate, working, fixed),) = found
        if rate or working or fixed < 0.0 or self.first[stage].at_least is not None:
            return -1.0
        return fixed

    def services(self, stage: int) -> list[Service]:
        """How work at `stage` is timed in each regime."""
        return [table[stage] for table in self.tables]

    def regime(self, time: float) -> int:
        """The number of the regime in force at `time`."""
        if time < self.second:
            return 0
        return bisect_right(self.starts, time) - 1

    def draw(self, journey: JourneyRecord, stage: int) -> float:
        """The journey's number of the stage's duration stream (fresh on a later visit)."""
        purpose = stage * KINDS + DURATION
        if self.revisited[stage]:
            if journey.visits is None:
                journey.visits = {}
            return self.streams.at_stage(journey.visits, journey.key, purpose)
        return self.streams.uniform(purpose, journey.key)

    def _start_draws(self, journey: JourneyRecord, stage: int) -> None:
        """Start `draws` for a duration needing several numbers: from the journey's numbers of
        the stage's duration streams, or on a later visit from a fresh number."""
        purpose = stage * KINDS + DURATION
        if self.revisited[stage]:
            self.draws.start(self.draw(journey, stage))
        else:
            uniform = self.streams.uniform(purpose, journey.key)
            self.draws.start(uniform, key=journey.key, purpose=purpose)

    def end(self, journey: JourneyRecord, stage: int, arrived: float, start: float) -> float:
        """When work at `stage` started at `start` is done, for `journey` there since `arrived`."""
        if start < self.second:
            rate, sampler, working, at_least, fixed = self.first[stage]
        else:
            rate, sampler, working, at_least, fixed = self.tables[
                bisect_right(self.starts, start) - 1
            ][stage]
        if rate > 0.0:
            # `draw`, inlined for a block already drawn at a stage visited once.
            try:
                draw = self.blocks[stage][journey.block][journey.slot]
            except KeyError:
                draw = self.draw(journey, stage)
            end = start + -log(1.0 - draw) / rate
        elif fixed >= 0.0:
            end = self.clock.add_working(start, fixed) if working else start + fixed
        elif sampler is None:
            end = start
        else:
            self._start_draws(journey, stage)
            end = self.clock.add_working(start, sampler()) if working else start + sampler()
        if at_least is not None:
            days, in_working = at_least
            end = max(end, self.clock.add_working(arrived, days) if in_working else arrived + days)
        return end

    def paused_end(self, journey: JourneyRecord, stage: int, arrived: float, start: float) -> float:
        """`end`, then a pause if the stage may have one (`end` when the scenario has pauses)."""
        end = self.end(journey, stage, arrived, start)
        return end if self.pausing[stage] is None else self.pause(journey, stage, end)

    def paused_team_end(
        self, journey: JourneyRecord, stage: int, arrived: float, start: float, pool: int
    ) -> float:
        """`team_end`, then a pause if the stage may have one."""
        end = self.team_end(journey, stage, arrived, start, pool)
        return end if self.pausing[stage] is None else self.pause(journey, stage, end)

    def pause(self, journey: JourneyRecord, stage: int, end: float) -> float:
        """When a visit due to end at `end` ends, after a pause if one is drawn (from a fresh
        number of the stage's pause stream on each visit); the pause is kept on the journey
        so that its time limit leaves it out."""
        pausing = self.pausing[stage]
        assert pausing is not None
        probability, sampler, working = pausing
        if journey.visits is None:
            journey.visits = {}
        draw = self.streams.at_stage(journey.visits, journey.key, stage * KINDS + PAUSE)
        if journey.paused is None:
            journey.paused = {}
        if draw >= probability:
            journey.paused[stage] = 0.0
            return end
        self.draws.start(draw, 1)
        later = self.clock.add_working(end, sampler()) if working else end + sampler()
        journey.paused[stage] = later - end
        if journey.counted:
            self.paused[stage] += later - end
        return later

    def team_end(
        self, journey: JourneyRecord, stage: int, arrived: float, start: float, pool: int
    ) -> float:
        """`end`, for work done by a team (pool) that takes its own time at some stages."""
        team = self.teams[pool]
        service = team.get(stage) if team is not None else None
        if service is None:
            return self.end(journey, stage, arrived, start)
        rate, sampler, working, at_least, fixed = service
        if rate > 0.0:
            end = start + -log(1.0 - self.draw(journey, stage)) / rate
        elif fixed >= 0.0:
            end = self.clock.add_working(start, fixed) if working else start + fixed
        elif sampler is None:
            end = start
        else:
            self._start_draws(journey, stage)
            end = self.clock.add_working(start, sampler()) if working else start + sampler()
        if at_least is not None:
            days, in_working = at_least
            end = max(end, self.clock.add_working(arrived, days) if in_working else arrived + days)
        return end

    def deadline(self, arrived: float, limit: Limit | None) -> float:
        """When a limit counted from `arrived` runs out (infinity: no limit)."""
        return _INF if limit is None else self.clock.overdue_at(arrived, limit[0], limit[1])
