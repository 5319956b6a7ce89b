"""Results: one replication's figures, and the figures across replications with 95% intervals.

Each replication is summarised where it ran (`summarise`), so only a few numbers travel back
from a worker process. Across replications every figure is the mean of the replications'
figures with a Student t interval (`stats.estimate`): for a stage's median wait that is the
mean of the replications' medians, and so on.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from pathways.simulation.engine.recorder import Recorder
from pathways.simulation.stats import Estimate, estimate, quantile

__all__ = [
    "EstimatedSpread",
    "ReplicationResult",
    "Results",
    "Spread",
    "StageFigures",
    "StageResult",
    "summarise",
]

_PERCENTILES = tuple(range(0, 101, 5))


class Spread(NamedTuple):
    """Times in one replication: their mean, median and 90th percentile (NaN if there were none)."""

    mean: float
    median: float
    p90: float


class EstimatedSpread(NamedTuple):
    """A `Spread` across replications: each of its three figures estimated with its interval."""

    mean: Estimate
    median: Estimate
    p90: Estimate


class StageResult(NamedTuple):
    """One stage in one replication: visits, their waits and service times, time-limit breaches."""

    visits: int
    wait: Spread
    service: Spread
    breaches: int


def _spread(values: Sequence[float]) -> Spread:
    if not values:
        return Spread(math.nan, math.nan, math.nan)
    ordered = sorted(values)
    return Spread(math.fsum(ordered) / len(ordered), quantile(ordered, 0.5), quantile(ordered, 0.9))


def _estimated(spreads: Sequence[Spread]) -> EstimatedSpread:
    return EstimatedSpread(
        estimate([s.mean for s in spreads]),
        estimate([s.median for s in spreads]),
        estimate([s.p90 for s in spreads]),
    )


@dataclass(frozen=True, slots=True)
class ReplicationResult:
    """One replication's figures (NaN where there was nothing to measure)."""

    replication: int
    journeys: int
    closed: int
    unfinished: int
    stages: tuple[StageResult, ...]
    to_support: Spread
    support_share: float
    support_percentiles: tuple[float, ...]
    to_close: Spread
    outcomes: tuple[int, ...]
    utilisation: tuple[float, ...]
    handoffs: float
    retellings: float
    taken: tuple[int, ...]
    late: tuple[int, ...]
    stuck: tuple[int, ...]
    backlog: tuple[tuple[int, ...], ...]
    open_backlog: tuple[int, ...]


def _series(diff: list[int], samples: int) -> tuple[int, ...]:
    running, out = 0, []
    for value in diff[:samples]:
        running += value
        out.append(running)
    return tuple(out)


def summarise(record: Recorder, replication: int) -> ReplicationResult:
    """The figures of one replication, from what its engine recorded."""
    stages = tuple(
        StageResult(
            len(record.waits[i]),
            _spread(record.waits[i]),
            _spread(record.services[i]),
            record.breaches[i],
        )
        for i in range(len(record.waits))
    )
    support = sorted(record.to_support)
    closed = record.closed
    return ReplicationResult(
        replication=replication,
        journeys=record.journeys,
        closed=closed,
        unfinished=record.unfinished,
        stages=stages,
        to_support=_spread(support),
        support_share=len(support) / closed if closed else math.nan,
        support_percentiles=tuple(quantile(support, p / 100) for p in _PERCENTILES),
        to_close=_spread(record.to_close),
        outcomes=tuple(record.outcomes),
        utilisation=tuple(record.utilisation),
        handoffs=record.handoffs / closed if closed else math.nan,
        retellings=record.retellings / closed if closed else math.nan,
        taken=tuple(record.taken),
        late=tuple(record.late),
        stuck=tuple(record.stuck_at),
        backlog=tuple(_series(d, record.samples) for d in record.backlog),
        open_backlog=_series(record.open_backlog, record.samples),
    )


@dataclass(frozen=True, slots=True)
class StageFigures:
    """A stage across replications: visits per replication, wait and service figures, breaches."""

    name: str
    title: str
    visits: Estimate
    wait: EstimatedSpread
    service: EstimatedSpread
    breach_share: Estimate | None


@dataclass(frozen=True)
class Results:
    """Every figure across replications, with the tables needed to name them."""

    pathway: str
    scenario: str
    title: str
    seed: int | str
    replications: tuple[ReplicationResult, ...]
    stage_names: tuple[str, ...]
    stage_titles: tuple[str, ...]
    stage_limits: tuple[bool, ...]
    outcome_kinds: tuple[str | None, ...]
    pool_names: tuple[str, ...]
    way_names: tuple[str, ...]
    way_limits: tuple[bool, ...]
    every: float
    warm_up: float
    horizon: float
    start: str
    notes: tuple[str, ...]

    def each(self, pick: Callable[[ReplicationResult], float]) -> Estimate:
        """The estimate of `pick(replication)` across replications."""
        return estimate([float(pick(r)) for r in self.replications])

    @property
    def journeys(self) -> Estimate:
        return self.each(lambda r: r.journeys)

    def stages(self) -> list[StageFigures]:
        """Figures for each stage visited by counted journeys, in pathway order."""
        found = []
        for index, name in enumerate(self.stage_names):
            rows = [r.stages[index] for r in self.replications]
            if not any(row.visits for row in rows) or self.outcome_kinds[index] is not None:
                continue
            breach = None
            if self.stage_limits[index]:
                breach = estimate(
                    [row.breaches / row.visits if row.visits else math.nan for row in rows]
                )
            found.append(
                StageFigures(
                    name=name,
                    title=self.stage_titles[index],
                    visits=estimate([float(row.visits) for row in rows]),
                    wait=_estimated([row.wait for row in rows]),
                    service=_estimated([row.service for row in rows]),
                    breach_share=breach,
                )
            )
        return found

    def outcome_shares(self) -> dict[str, Estimate]:
        """Share of counted, closed journeys reaching each outcome stage (per track)."""
        shares = {}
        for index, kind in enumerate(self.outcome_kinds):
            if kind is None:
                continue
            values = [
                r.outcomes[index] / r.closed if r.closed else math.nan for r in self.replications
            ]
            if any(v > 0 for v in values):
                shares[self.stage_names[index]] = estimate(values)
        return shares

    def utilisation(self) -> dict[str, Estimate]:
        return {
            name: estimate([r.utilisation[i] for r in self.replications])
            for i, name in enumerate(self.pool_names)
        }

    def late_handoffs(self) -> dict[str, Estimate]:
        """Share of each time-limited handoff made after its deadline."""
        late = {}
        for i, name in enumerate(self.way_names):
            if self.way_limits[i] and any(r.taken[i] for r in self.replications):
                late[name] = estimate(
                    [r.late[i] / r.taken[i] if r.taken[i] else math.nan for r in self.replications]
                )
        return late

    def backlog(self) -> dict[str, list[float]]:
        """Mean backlog per stage at each sample time (stages ever occupied), and 'open'."""
        count = len(self.replications)
        series: dict[str, list[float]] = {}
        for index, name in enumerate(self.stage_names):
            if self.outcome_kinds[index] is not None:
                continue
            rows = [r.backlog[index] for r in self.replications]
            if any(any(row) for row in rows):
                series[name] = [sum(values) / count for values in zip(*rows, strict=True)]
        rows = [r.open_backlog for r in self.replications]
        series["open journeys"] = [sum(values) / count for values in zip(*rows, strict=True)]
        return series
