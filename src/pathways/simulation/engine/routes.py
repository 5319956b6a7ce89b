"""Ways on: which handoff a journey takes from a stage, and when a timeout would take it.

A stage's ways on for a profile in a regime are an `Option` (see `tables.py`). An agency's choice
between several open handoffs is drawn with the scenario's branch probabilities when the journey
leaves, using the profile it has then and the journey's own number of the stage's `choice`
stream (`streams.Streams`); a timeout happens instead if its time runs out first (ties go to
the timeout, as in the runtime).
"""

from __future__ import annotations

import math
from bisect import bisect_right
from math import log

from pathways.simulation.engine.recorder import JourneyRecord
from pathways.simulation.engine.streams import ATTRITION, CHOICE, DECLINE, KINDS, Streams
from pathways.simulation.engine.tables import Option, SimModel
from pathways.simulation.engine.timing import Timing

__all__ = ["Routes", "profile_at"]

_INF = math.inf


def profile_at(journey: JourneyRecord, time: float) -> int:
    """The journey's profile number at `time`, after the profile changes drawn on arrival."""
    if time < journey.change_at:
        return journey.profile
    current = journey.profile
    for when, profile in journey.changes:
        if when > time:
            break
        current = profile
    return current


class Routes:
    """The option tables of every regime, and the `choice` streams that draw between ways on."""

    __slots__ = (
        "blocks",
        "deadline",
        "declining",
        "draws",
        "leaving",
        "only_way",
        "option_at",
        "profiles",
        "revisited",
        "second",
        "starts",
        "streams",
        "ways",
    )

    def __init__(self, model: SimModel, timing: Timing, streams: Streams) -> None:
        self.streams = streams
        self.draws = streams.draws
        #: Per stage: how people leave it early (`SimModel.attrition`), or None.
        self.leaving = [model.attrition.get(stage) for stage in range(len(model.stages))]
        #: The choice stream's blocks of each stage (none for a stage a journey can come back
        #: to, so that `draw` counts its visits).
        self.blocks = [
            {} if streams.revisited[stage] else streams.blocks[stage * KINDS + CHOICE]
            for stage in range(len(model.stages))
        ]
        self.revisited = streams.revisited
        self.deadline = timing.deadline
        self.starts, self.second = timing.starts, timing.second
        self.profiles = len(model.profile_values)
        cells = len(model.stages) * self.profiles
        #: `option_at[regime][stage * profiles + profile]`: the ways on (None: a dead end).
        self.option_at = [[r.options.get(cell) for cell in range(cells)] for r in model.regimes]
        self.only_way = [stage.only_way for stage in model.stages]
        self.ways = model.ways
        #: Per way: how its referrals are declined, by the stage they leave (`declines`).
        self.declining = [model.declines.get(way) for way in range(len(model.ways))]

    def option(self, journey: JourneyRecord, stage: int, time: float) -> Option | None:
        """The ways on from `stage` for the journey's profile at `time`."""
        regime = 0 if time < self.second else bisect_right(self.starts, time) - 1
        profile = journey.profile if time < journey.change_at else profile_at(journey, time)
        return self.option_at[regime][stage * self.profiles + profile]

    def timeout(
        self, journey: JourneyRecord, stage: int, arrived: float, time: float
    ) -> tuple[int, float] | None:
        """What ends a stay at `stage` by itself for the journey at `time` (a timeout, or going
        missing or withdrawing), and when; None if nothing does."""
        option = self.option(journey, stage, time)
        found = None
        if option is not None and option.timeout >= 0:
            due = self.deadline(arrived, self.ways[option.timeout].within)
            if due < _INF:
                found = (option.timeout, due)
        if self.leaving[stage] is not None:
            early = self.leave_early(journey, stage, arrived)
            if found is None or early[1] < found[1]:
                found = early
        return found

    def leave_early(self, journey: JourneyRecord, stage: int, arrived: float) -> tuple[int, float]:
        """When and how the journey would leave `stage` early (`attrition`), from its own
        number of the stage's attrition stream."""
        leaving = self.leaving[stage]
        assert leaving is not None
        rate, cumulative, ways = leaving
        draw = self.streams.uniform(stage * KINDS + ATTRITION, journey.key)
        due = arrived + -log(1.0 - draw) / rate
        if len(ways) == 1:
            return ways[0], due
        return ways[bisect_right(cumulative, self.draws.start(draw).random())], due

    def choose(
        self, journey: JourneyRecord, stage: int, arrived: float, end: float
    ) -> tuple[int, float]:
        """The way on from `stage` (-1: none) and when it is taken, for a journey ready at `end`."""
        only = self.only_way[stage]
        if only >= 0:
            return only, end
        if self.leaving[stage] is not None:
            way, due = self.leave_early(journey, stage, arrived)
            now = self.option(journey, stage, end)
            timeout = _INF
            if now is not None and now.timeout >= 0:
                timeout = self.deadline(arrived, self.ways[now.timeout].within)
            if due < timeout and (due <= end or now is None or not now.ways):
                return way, due
        # `option`, inlined: this runs at every stage with a choice.
        regime = 0 if end < self.second else bisect_right(self.starts, end) - 1
        profile = journey.profile if end < journey.change_at else profile_at(journey, end)
        option = self.option_at[regime][stage * self.profiles + profile]
        if option is None:
            return -1, end
        if option.timeout >= 0:
            due = self.deadline(arrived, self.ways[option.timeout].within)
            if due < _INF and (end >= due or not option.ways):
                return option.timeout, due
        ways = option.ways
        if not ways:
            return -1, end
        if len(ways) == 1:
            way = ways[0]
        else:
            try:
                draw = self.blocks[stage][journey.block][journey.slot]
            except KeyError:
                draw = self.draw(journey, stage)
            way = ways[bisect_right(option.cumulative, draw)]
        if self.declining[way] is not None:
            return self.answer(journey, stage, way, end)
        return way, end

    def answer(self, journey: JourneyRecord, stage: int, way: int, end: float) -> tuple[int, float]:
        """The receiver's answer to a referral by `way` from `stage` made at `end`: the way
        itself, or the way of a declined referral and when the answer comes (a fresh number of
        the stage's decline stream for each referral)."""
        declining = self.declining[way]
        assert declining is not None
        found = declining.get(stage)
        if found is None:
            return way, end
        cumulative, ways, after = found
        if journey.visits is None:
            journey.visits = {}
        draw = self.streams.at_stage(journey.visits, journey.key, stage * KINDS + DECLINE)
        reason = bisect_right(cumulative, draw)
        if reason >= len(ways):
            return way, end
        return ways[reason], end if after is None else self.deadline(end, after)

    def draw(self, journey: JourneyRecord, stage: int) -> float:
        """The journey's number of the stage's choice stream (fresh on a later visit)."""
        purpose = stage * KINDS + CHOICE
        if self.revisited[stage]:
            if journey.visits is None:
                journey.visits = {}
            return self.streams.at_stage(journey.visits, journey.key, purpose)
        return self.streams.uniform(purpose, journey.key)
