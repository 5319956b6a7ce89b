"""Are victims' real journeys following the pathway? Every journey replayed, and the totals.

`conform(rules, journeys, now)` replays each journey (`replay`) and sums up, for a partnership:
fitness (the share of moves the pathway allows, per journey and over all moves), the journeys
that do not fit with their first deviation, the moves the pathway has that no journey took, the
moves journeys took that the pathway does not have, and per stage how many visits kept to the
stage's time limit (`within`), went over it, or are still open (overdue or not yet).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from pathways.conformance.replay import JourneyReplay, replay
from pathways.runtime.events import Event
from pathways.runtime.guards import PathwayRules
from pathways.runtime.working_days import day_in_england, overdue_from

if TYPE_CHECKING:
    from pathways.frames import DataFrame

__all__ = ["Conformance", "StageLimit", "conform"]


@dataclass(frozen=True, slots=True)
class StageLimit:
    """How visits to one stage with a time limit kept to it."""

    stage: str
    limit: str
    visits: int
    kept: int
    over: int
    open_in_time: int
    open_overdue: int

    @property
    def share_kept(self) -> float | None:
        """Of the visits that are over (left, or overdue), the share that kept to the limit."""
        judged = self.kept + self.over + self.open_overdue
        return None if judged == 0 else self.kept / judged


@dataclass(frozen=True)
class Conformance:
    """Every journey replayed against one pathway, and what they add up to."""

    pathway: str
    version: str
    journeys: tuple[JourneyReplay, ...]
    never_taken: tuple[tuple[str, str], ...]
    not_in_pathway: tuple[tuple[str, str, str, int], ...]
    stage_limits: tuple[StageLimit, ...]

    @property
    def moves(self) -> int:
        return sum(j.moves for j in self.journeys)

    @property
    def fitness(self) -> float:
        """The share of all moves of all journeys that the pathway allows (1.0 with none)."""
        moves = self.moves
        return 1.0 if moves == 0 else sum(j.fitting for j in self.journeys) / moves

    @property
    def not_fitting(self) -> tuple[JourneyReplay, ...]:
        return tuple(j for j in self.journeys if not j.fits)

    def to_frame(self) -> DataFrame:
        """One row per journey (fitness, first deviation) as a pandas DataFrame."""
        from pathways.frames import frame

        columns = ("case_ref", "moves", "fitting", "fitness", "deviations", "first_deviation")
        rows = (
            {
                "case_ref": j.case_ref,
                "moves": j.moves,
                "fitting": j.fitting,
                "fitness": j.fitness,
                "deviations": len(j.deviations),
                "first_deviation": j.first_deviation.handoff if j.first_deviation else None,
            }
            for j in self.journeys
        )
        return frame(rows, columns)


def conform(
    rules: PathwayRules, journeys: Iterable[tuple[str, Iterable[Event]]], now: datetime
) -> Conformance:
    """Replay each `(case_ref, events)` against `rules`; visits still open are judged at `now`."""
    replays = tuple(replay(rules, case_ref, events) for case_ref, events in journeys)
    pathway = rules.pathway
    taken = Counter(move for j in replays for move in j.taken)
    own = {(name, source) for name, h in pathway.handoffs.items() for source in h.from_}
    never = tuple(sorted(m for m in own if not any(t[:2] == m for t in taken)))
    foreign: Counter[tuple[str, str, str]] = Counter()
    for j in replays:
        for deviation in j.deviations:
            if deviation.seq > 0:
                key = (deviation.handoff, deviation.from_stage or "", deviation.to_stage or "")
                foreign[key] += 1
    return Conformance(
        pathway=pathway.id,
        version=pathway.version,
        journeys=replays,
        never_taken=never,
        not_in_pathway=tuple((*k, n) for k, n in sorted(foreign.items())),
        stage_limits=_stage_limits(rules, replays, now),
    )


def _stage_limits(
    rules: PathwayRules, replays: Iterable[JourneyReplay], now: datetime
) -> tuple[StageLimit, ...]:
    counts: dict[str, list[int]] = {}
    for journey in replays:
        for visit in journey.visits:
            stage = rules.pathway.stages.get(visit.stage)
            if stage is None or stage.within is None:
                continue
            due = overdue_from(day_in_england(visit.arrived), stage.within)
            tally = counts.setdefault(visit.stage, [0, 0, 0, 0, 0])
            tally[0] += 1
            if visit.left is not None:
                tally[1 if visit.left < due else 2] += 1
            else:
                tally[3 if now < due else 4] += 1
    return tuple(
        StageLimit(stage, str(rules.pathway.stages[stage].within), *tally)
        for stage, tally in counts.items()
        if rules.pathway.stages.get(stage) is not None
    )
