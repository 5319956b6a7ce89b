"""Figures by calendar period: what happened *in* each month, quarter or year, as published
figures are counted, rather than what happened to the journeys that arrived in it.

```python
results = simulate(pathway, scenario, replications=10, seed=1, periods="quarter")
table = results.periods()                      # a PeriodTable
table.labels                                   # ('2024Q1', '2024Q2', ...)
table.figure("CG decisions")                   # one Estimate per period
table.get("CG decisions", "2024Q3").mean       # CG decisions made in 2024Q3, mean of replications
```

Every journey the simulation runs counts here, whenever it arrived: those of the warm-up and
those of the starting backlog too, because a decision made in a quarter is made in it whoever
it is for. Figures, by name (those about a milestone the pathway does not have are left out;
see `engine.milestones` for how milestones are found):

- `arrivals`: new journeys starting (not the starting backlog);
- `NRM referrals`, `Duty to Notify reports`: handoffs into NRM referral and Duty to Notify
  stages;
- `RG decisions`, `RG positive`, `RG negative`: reasonable grounds decisions made, and by
  verdict; `RG positive (share)`: positive ones over all made;
- `CG decisions`, `CG positive`, `CG negative`, `CG positive (share)`: the same for conclusive
  grounds;
- `decisions <decision>: <handoff>`: every branch of every decision stage;
- `journeys closed`: journeys whose last track reached an outcome;
- `days from referral to RG decision (mean)` and `(median)`: for the RG decisions made in the
  period, days since the journey's NRM referral (the same for CG);
- `backlog <stage>`, `backlog open journeys`: journeys at the stage (or open) at midnight at the
  end of the period.

Across replications each figure is the mean with its 95% t interval, clipped to what the figure
can be (a count or time is never below 0, a share never above 100%). A time has no value in a
replication with no such decision in the period; its interval is over the replications that had.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from pathways.simulation.engine.milestones import CG, NOTIFY, REFERRAL, RG, Branch
from pathways.simulation.engine.recorder import Recorder
from pathways.simulation.periods import Period
from pathways.simulation.stats import Estimate, bounded, quantile

__all__ = ["PeriodResult", "PeriodTable", "is_share", "period_result", "period_table"]

#: One value per period.
Row = tuple[float, ...]


@dataclass(frozen=True, slots=True)
class PeriodResult:
    """One replication's figures by period: figure name -> one value per period (NaN: none)."""

    figures: dict[str, Row]


def is_share(name: str) -> bool:
    """True for a figure that is a share (shown as a percentage, bounded by 0 and 1)."""
    return name.endswith("(share)")


def _sums(days: Sequence[int], grid: Sequence[Period], last: int) -> Row:
    return tuple(float(sum(days[max(p.first_day, 0) : max(min(p.end_day, last), 0)])) for p in grid)


def _decisions(record: Recorder, grid: Sequence[Period]) -> dict[str, Row]:
    """Decisions made by branch, and RG and CG decisions by verdict, with the positive share."""
    branches = record.model.milestones.branches
    by_kind: dict[str, dict[str, list[float]]] = {}
    rows: dict[str, Row] = {}
    for way, branch in enumerate(branches):
        if branch is None:
            continue
        row = _sums(record.way_days[way], grid, record.days)
        rows[f"decisions {branch.decision}: {branch.handoff}"] = row
        _add(by_kind, branch, row)
    found: dict[str, Row] = {}
    for kind in ("RG", "CG"):
        verdicts = by_kind.get(kind)
        if verdicts is None:
            continue
        total = verdicts[""]
        found[f"{kind} decisions"] = tuple(total)
        for verdict in ("positive", "negative"):
            found[f"{kind} {verdict}"] = tuple(verdicts[verdict])
        found[f"{kind} positive (share)"] = tuple(
            p / t if t else math.nan for p, t in zip(verdicts["positive"], total, strict=True)
        )
    found.update(rows)
    return found


def _add(by_kind: dict[str, dict[str, list[float]]], branch: Branch, row: Row) -> None:
    counts = by_kind.setdefault(
        branch.decision, {v: [0.0] * len(row) for v in ("", "positive", "negative")}
    )
    for verdict in {"", branch.verdict}:
        counts[verdict] = [a + b for a, b in zip(counts[verdict], row, strict=True)]


def _times(pairs: Sequence[float], grid: Sequence[Period], name: str) -> dict[str, Row]:
    """Mean and median days from referral, for the decisions made in each period."""
    starts = [p.first_day for p in grid]
    waits: list[list[float]] = [[] for _ in grid]
    for index in range(0, len(pairs), 2):
        time = pairs[index]
        slot = bisect_right(starts, time) - 1
        if slot >= 0 and time < grid[slot].end_day:
            waits[slot].append(pairs[index + 1])
    means, medians = [], []
    for values in waits:
        values.sort()
        means.append(math.fsum(values) / len(values) if values else math.nan)
        medians.append(quantile(values, 0.5))
    return {f"{name} (mean)": tuple(means), f"{name} (median)": tuple(medians)}


def _backlog(
    record: Recorder, running: Sequence[Sequence[int]], grid: Sequence[Period]
) -> dict[str, Row]:
    """Journeys at each stage and open journeys at the end of each period."""
    last = len(running[-1]) - 1
    cells = [min(max(math.floor(p.end_day / record.every), 0), last) for p in grid]
    found: dict[str, Row] = {}
    stages = record.model.stages
    for index, series in enumerate(running[:-1]):
        if stages[index].outcome is None:
            found[f"backlog {stages[index].name}"] = tuple(float(series[c]) for c in cells)
    found["backlog open journeys"] = tuple(float(running[-1][c]) for c in cells)
    return found


def period_result(
    record: Recorder, running: Sequence[Sequence[int]], grid: Sequence[Period]
) -> PeriodResult:
    """One replication's figures by period, from its recorder. `running` holds the backlog
    of each stage, then of open journeys, on the recorder's grid (running sums)."""
    days = record.days
    figures = {"arrivals": _sums(record.arrived_days, grid, days)}
    marks = record.marks
    for bit, name in ((REFERRAL, "NRM referrals"), (NOTIFY, "Duty to Notify reports")):
        ways = [w for w, mark in enumerate(marks) if mark & bit]
        if ways or record.entry_mark & bit:
            rows = [_sums(record.way_days[w], grid, days) for w in ways]
            if record.entry_mark & bit:
                rows.append(figures["arrivals"])
            figures[name] = tuple(map(math.fsum, zip(*rows, strict=True)))
    figures.update(_decisions(record, grid))
    figures["journeys closed"] = _sums(record.closed_days, grid, days)
    for bit, kind, pairs in ((RG, "RG", record.rg_times), (CG, "CG", record.cg_times)):
        if any(mark & bit for mark in marks):
            figures.update(_times(pairs, grid, f"days from referral to {kind} decision"))
    figures.update(_backlog(record, running, grid))
    return PeriodResult(figures)


@dataclass(frozen=True, slots=True)
class PeriodTable:
    """Figures by period across replications: for each figure, one `Estimate` per period."""

    periods: tuple[Period, ...]
    figures: dict[str, tuple[Estimate, ...]]

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(p.label for p in self.periods)

    def figure(self, name: str) -> tuple[Estimate, ...]:
        """One figure in every period (`KeyError` if the pathway has no such figure)."""
        return self.figures[name]

    def get(self, name: str, label: str) -> Estimate:
        """One figure in the period labelled `label` (`KeyError` if there is none)."""
        for index, period in enumerate(self.periods):
            if period.label == label:
                return self.figures[name][index]
        raise KeyError(label)


def period_table(periods: tuple[Period, ...], each: Sequence[PeriodResult]) -> PeriodTable:
    """Figures by period across replications (figures any replication has; NaN where absent)."""
    names: dict[str, None] = {}
    for result in each:
        names.update(dict.fromkeys(result.figures))
    blank = (math.nan,) * len(periods)
    figures = {}
    for name in names:
        rows = [result.figures.get(name, blank) for result in each]
        share = is_share(name)
        figures[name] = tuple(bounded([row[i] for row in rows], share) for i in range(len(periods)))
    return PeriodTable(periods, figures)
