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
from itertools import accumulate
from typing import TYPE_CHECKING, NamedTuple

from pathways.simulation.engine.milestones import Branch
from pathways.simulation.engine.recorder import Recorder
from pathways.simulation.period_stats import PeriodResult, PeriodTable, period_result, period_table
from pathways.simulation.periods import Period
from pathways.simulation.stats import Estimate, bounded, estimate, quantile

if TYPE_CHECKING:
    from pathways.frames import DataFrame

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
    """One stage in one replication: visits, their waits and service times, time-limit breaches,
    and counted journeys still there at the end (waiting for capacity or stuck)."""

    visits: int
    wait: Spread
    service: Spread
    breaches: int
    still_open: int = 0


def _spread(values: Sequence[float]) -> Spread:
    if not values:
        return Spread(math.nan, math.nan, math.nan)
    ordered = sorted(values)
    return Spread(math.fsum(ordered) / len(ordered), quantile(ordered, 0.5), quantile(ordered, 0.9))


def _estimated(spreads: Sequence[Spread]) -> EstimatedSpread:
    return EstimatedSpread(
        bounded([s.mean for s in spreads], False),
        bounded([s.median for s in spreads], False),
        bounded([s.p90 for s in spreads], False),
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
    open_tracks: tuple[int, ...] = ()
    periods: PeriodResult | None = None
    paused: tuple[float, ...] = ()  # per stage: days paused by counted journeys (`pauses`)
    #: Mean days waiting in the queue of each priority class (`Results.priority_classes`).
    class_waits: tuple[float, ...] = ()


def _series(diff: list[int], samples: int) -> tuple[int, ...]:
    return tuple(accumulate(diff[:samples]))


def summarise(
    record: Recorder, replication: int, periods: tuple[Period, ...] = ()
) -> ReplicationResult:
    """The figures of one replication, from what its engine recorded; figures by calendar
    period too when `periods` are given."""
    stages = tuple(
        StageResult(
            len(record.waits[i]),
            _spread(record.waits[i]),
            _spread(record.services[i]),
            record.breaches[i],
            record.open_at[i],
        )
        for i in range(len(record.waits))
    )
    support = sorted(record.to_support)
    closed = record.closed
    running = [_series(d, record.samples) for d in (*record.backlog, record.open_backlog)]
    step = max(1, round(record.model.every / record.every))
    samples = int(record.model.horizon // record.model.every) + 1
    return ReplicationResult(
        replication=replication,
        journeys=record.journeys,
        closed=closed,
        unfinished=record.unfinished,
        stages=stages,
        to_support=_spread(support),
        support_share=len(support) / record.journeys if record.journeys else math.nan,
        support_percentiles=tuple(quantile(support, p / 100) for p in _PERCENTILES),
        to_close=_spread(record.to_close),
        outcomes=tuple(record.outcomes),
        utilisation=tuple(record.utilisation),
        handoffs=record.handoffs / closed if closed else math.nan,
        retellings=record.retellings / closed if closed else math.nan,
        taken=tuple(record.taken),
        late=tuple(record.late),
        stuck=tuple(record.stuck_at),
        backlog=tuple(series[::step][:samples] for series in running[:-1]),
        open_backlog=running[-1][::step][:samples],
        open_tracks=tuple(record.open_tracks),
        paused=tuple(record.paused),
        class_waits=tuple(
            math.fsum(waits) / len(waits) if waits else math.nan
            for pool in sorted(record.class_waits)
            for waits in record.class_waits[pool]
        ),
        periods=period_result(record, running, periods) if periods else None,
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
    still_open: Estimate


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
    stage_tracks: tuple[int, ...] = ()
    track_names: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    calendar: tuple[Period, ...] = ()
    way_branches: tuple[Branch | None, ...] = ()
    #: The priority classes of capacity entries (`priorities`), as `<entry>, class <class>`.
    priority_classes: tuple[str, ...] = ()

    def each(self, pick: Callable[[ReplicationResult], float]) -> Estimate:
        """The estimate of `pick(replication)` across replications."""
        return estimate([float(pick(r)) for r in self.replications])

    @property
    def journeys(self) -> Estimate:
        return self.each(lambda r: r.journeys)

    def to_frame(self, kind: str = "replications") -> DataFrame:
        """The results as a pandas DataFrame (needs the `analysis` extra), one row per:

        - `replications`: replication (journeys, closed, still open, support share, days to
          support and to close, handoffs and retellings per closed journey);
        - `stages`: stage visited (visits, waits, service times, share over the time limit,
          still open, each with its 95% interval);
        - `outcomes`: outcome stage (the share ending there, with its interval);
        - `periods`: calendar period and figure (simulated with `periods=`).
        """
        from pathways.frames import frame
        from pathways.simulation.result_rows import ROWS

        if kind not in ROWS:
            raise ValueError(f"kind must be one of {', '.join(ROWS)}, not '{kind}'")
        rows = ROWS[kind](self)
        return frame(rows, list(rows[0]) if rows else ["scenario"])

    def periods(self) -> PeriodTable:
        """Figures by calendar period (see `period_stats`); `ValueError` when the results were
        simulated without `periods=`."""
        found = [r.periods for r in self.replications if r.periods is not None]
        if not self.calendar or len(found) != len(self.replications):
            raise ValueError("these results have no calendar periods: simulate with periods=")
        return period_table(self.calendar, found)

    def track_share(self, replication: ReplicationResult, stage: int) -> float:
        """Counted journeys that reached outcome `stage`, as a share of those that started its
        track (shares of a track's outcomes and of 'still open' on it add up to 1)."""
        track = self.stage_tracks[stage]
        total = replication.open_tracks[track] + sum(
            replication.outcomes[i]
            for i, kind in enumerate(self.outcome_kinds)
            if kind is not None and self.stage_tracks[i] == track
        )
        return replication.outcomes[stage] / total if total else math.nan

    def still_open_share(self, replication: ReplicationResult, track: int) -> float:
        """Counted journeys with `track` started but not at an outcome, over those started."""
        reached = sum(
            replication.outcomes[i]
            for i, kind in enumerate(self.outcome_kinds)
            if kind is not None and self.stage_tracks[i] == track
        )
        still = replication.open_tracks[track]
        return still / (reached + still) if reached + still else math.nan

    def stages(self) -> list[StageFigures]:
        """Figures for each stage visited by counted journeys, in pathway order."""
        found = []
        for index, name in enumerate(self.stage_names):
            rows = [r.stages[index] for r in self.replications]
            if self.outcome_kinds[index] is not None:
                continue
            if not any(row.visits or row.still_open for row in rows):
                continue
            breach = None
            if self.stage_limits[index]:
                breach = bounded(
                    [row.breaches / row.visits if row.visits else math.nan for row in rows], True
                )
            found.append(
                StageFigures(
                    name=name,
                    title=self.stage_titles[index],
                    visits=bounded([float(row.visits) for row in rows], False),
                    wait=_estimated([row.wait for row in rows]),
                    service=_estimated([row.service for row in rows]),
                    breach_share=breach,
                    still_open=bounded([float(row.still_open) for row in rows], False),
                )
            )
        return found

    def outcome_shares(self) -> dict[str, Estimate]:
        """Share of counted journeys reaching each outcome stage, and still open, per track.

        The denominator is every counted journey that started the track (every counted
        journey, for the main track), so a track's shares add up to 1: its outcomes, and
        `still open` (`still open: <track>` for other tracks) for those not at one yet.
        """
        shares = {}
        reps = self.replications
        for index, kind in enumerate(self.outcome_kinds):
            if kind is None:
                continue
            values = [self.track_share(r, index) for r in reps]
            if any(v > 0 for v in values):
                shares[self.stage_names[index]] = bounded(values, True)
        for track, name in enumerate(self.track_names):
            values = [self.still_open_share(r, track) for r in reps]
            if any(v > 0 for v in values):
                label = "still open" if track == 0 else f"still open: {name}"
                shares[label] = bounded(values, True)
        return shares

    def utilisation(self) -> dict[str, Estimate]:
        return {
            name: bounded([r.utilisation[i] for r in self.replications], True)
            for i, name in enumerate(self.pool_names)
        }

    def late_handoffs(self) -> dict[str, Estimate]:
        """Share of each time-limited handoff made after its deadline."""
        late = {}
        for i, name in enumerate(self.way_names):
            if self.way_limits[i] and any(r.taken[i] for r in self.replications):
                late[name] = bounded(
                    [r.late[i] / r.taken[i] if r.taken[i] else math.nan for r in self.replications],
                    True,
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
