"""Headline figures per replication, and comparing two scenarios figure by figure.

`headline` lists, by a readable name, one value per replication for each figure a report shows.
`compare` sets two results side by side. When both have the same seed and number of
replications, replication `i` of each uses the same arrival stream (common random numbers), so
the difference is estimated from the paired differences, which gives a much narrower interval;
otherwise the two means are compared with Welch's interval. A difference is *outside the
interval* when its 95% interval does not contain zero.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pathways.simulation.lifecycle_figures import lifecycle_figures
from pathways.simulation.results import ReplicationResult, Results, Spread
from pathways.simulation.stats import Estimate, bounded, estimate, student_t_quantile

if TYPE_CHECKING:
    from pathways.frames import DataFrame

__all__ = ["Comparison", "Row", "compare", "compare_all", "figure_estimate", "headline", "is_share"]


def is_share(name: str) -> bool:
    """True for a headline figure that is a share (shown as a percentage, 0 to 1)."""
    return name.endswith("(share)") or name.startswith(("share", "utilisation"))


def figure_estimate(name: str, values: list[float]) -> Estimate:
    """A headline figure across replications; none is ever negative, and a share's interval
    stays within 0% and 100% (a t interval clipped to that range)."""
    return bounded(values, is_share(name))


def _ratio(part: float, whole: float) -> float:
    return part / whole if whole else math.nan


def _spread(figures: dict[str, list[float]], name: str, spreads: list[Spread]) -> None:
    """Add the mean, median and p90 of `spreads` as `name (mean)` and so on."""
    for word in Spread._fields:
        figures[f"{name} ({word})"] = [getattr(s, word) for s in spreads]


def _journey_figures(reps: tuple[ReplicationResult, ...]) -> dict[str, list[float]]:
    """Journeys arriving and closing, time to support and to close, handoffs and retellings."""
    figures: dict[str, list[float]] = {
        "journeys arriving": [float(r.journeys) for r in reps],
        "journeys closed": [float(r.closed) for r in reps],
        "journeys unfinished": [float(r.unfinished) for r in reps],
    }
    _spread(figures, "days to first support", [r.to_support for r in reps])
    figures["share reaching support"] = [r.support_share for r in reps]
    _spread(figures, "days to close", [r.to_close for r in reps])
    figures["handoffs per journey"] = [r.handoffs for r in reps]
    figures["retellings per journey"] = [r.retellings for r in reps]
    return figures


def _outcome_figures(results: Results) -> dict[str, list[float]]:
    """Outcome shares over the journeys that started each track, with `still open` rows."""
    reps = results.replications
    figures: dict[str, list[float]] = {}
    for index, name in enumerate(results.stage_names):
        if results.outcome_kinds[index] is not None:
            rows = [results.track_share(r, index) for r in reps]
            if any(v > 0 for v in rows):
                figures[f"outcome {name} (share)"] = rows
    for track, name in enumerate(results.track_names):
        rows = [results.still_open_share(r, track) for r in reps]
        if any(v > 0 for v in rows):
            label = "still open" if track == 0 else f"still open: {name}"
            figures[f"outcome {label} (share)"] = rows
    return figures


def _decision_figures(results: Results) -> dict[str, list[float]]:
    """Decisions made for counted journeys, by branch, and RG and CG decisions by verdict."""
    reps = results.replications
    figures: dict[str, list[float]] = {}
    totals: dict[str, list[float]] = {}
    for way, branch in enumerate(results.way_branches):
        if branch is None:
            continue
        rows = [float(r.taken[way]) for r in reps]
        figures[f"decisions {branch.decision}: {branch.handoff}"] = rows
        if branch.decision in ("RG", "CG") and branch.verdict:
            key = f"{branch.decision} {branch.verdict}"
            totals[key] = [
                a + b for a, b in zip(totals.get(key, [0.0] * len(reps)), rows, strict=True)
            ]
    return {**dict(sorted(totals.items())), **figures}


def _stage_figures(results: Results) -> dict[str, list[float]]:
    """Visits, waits, service times and breaches at each stage that was visited or is still
    occupied, and the counted journeys still there at the end."""
    reps = results.replications
    figures = _outcome_figures(results)
    figures.update(_decision_figures(results))
    for index, name in enumerate(results.stage_names):
        if results.outcome_kinds[index] is not None:
            continue
        stages = [r.stages[index] for r in reps]
        if not any(stage.visits or stage.still_open for stage in stages):
            continue
        figures[f"{name}: visits"] = [float(stage.visits) for stage in stages]
        figures[f"{name}: still open"] = [float(stage.still_open) for stage in stages]
        _spread(figures, f"{name}: wait", [stage.wait for stage in stages])
        _spread(figures, f"{name}: service", [stage.service for stage in stages])
        if results.stage_limits[index]:
            figures[f"{name}: over time limit (share)"] = [
                _ratio(stage.breaches, stage.visits) for stage in stages
            ]
    return figures


def _capacity_figures(results: Results) -> dict[str, list[float]]:
    """Utilisation of each agency's capacity, and the share of each limited handoff made late."""
    reps = results.replications
    figures: dict[str, list[float]] = {}
    for index, name in enumerate(results.pool_names):
        figures[f"utilisation {name}"] = [r.utilisation[index] for r in reps]
    for index, name in enumerate(results.way_names):
        if results.way_limits[index] and any(r.taken[index] for r in reps):
            figures[f"handoff {name}: late (share)"] = [
                _ratio(r.late[index], r.taken[index]) for r in reps
            ]
    return figures


def headline(results: Results) -> dict[str, list[float]]:
    """Each headline figure's value in each replication, by name, in report order."""
    figures = _journey_figures(results.replications)
    figures.update(_stage_figures(results))
    figures.update(_capacity_figures(results))
    figures.update(lifecycle_figures(results))
    return figures


@dataclass(frozen=True, slots=True)
class Row:
    """One figure in two scenarios, their difference (second minus first) and its interval."""

    name: str
    first: Estimate
    second: Estimate
    difference: Estimate

    @property
    def outside(self) -> bool:
        """True when the difference's 95% interval does not contain zero."""
        width = self.difference.half_width
        return not math.isnan(width) and not self.difference.covers(0.0)


@dataclass(frozen=True)
class Comparison:
    """Two results figure by figure (`paired` when common random numbers were used)."""

    first: Results
    second: Results
    paired: bool
    rows: tuple[Row, ...]

    def to_frame(self) -> DataFrame:
        """One row per figure: each scenario's mean, the difference with its 95% interval and
        whether the interval leaves out zero, as a pandas DataFrame (the `analysis` extra)."""
        from pathways.frames import frame

        rows = [
            {
                "base": self.first.scenario,
                "scenario": self.second.scenario,
                "figure": row.name,
                "base_mean": row.first.mean,
                "scenario_mean": row.second.mean,
                "difference": row.difference.mean,
                "difference_low": row.difference.low,
                "difference_high": row.difference.high,
                "significant": row.outside,
                "paired": self.paired,
            }
            for row in self.rows
        ]
        columns = ("base", "scenario", "figure", "base_mean", "scenario_mean", "difference")
        return frame(rows, (*columns, "difference_low", "difference_high", "significant", "paired"))


def _welch(a: list[float], b: list[float]) -> Estimate:
    ea, eb = estimate(a), estimate(b)
    if ea.n < 2 or eb.n < 2:
        return Estimate(eb.mean - ea.mean, math.nan, min(ea.n, eb.n))
    va = sum((x - ea.mean) ** 2 for x in a if not math.isnan(x)) / (ea.n - 1) / ea.n
    vb = sum((x - eb.mean) ** 2 for x in b if not math.isnan(x)) / (eb.n - 1) / eb.n
    if va + vb == 0.0:
        return Estimate(eb.mean - ea.mean, 0.0, min(ea.n, eb.n))
    df = (va + vb) ** 2 / (va**2 / (ea.n - 1) + vb**2 / (eb.n - 1))
    t = student_t_quantile(0.975, df)
    return Estimate(eb.mean - ea.mean, t * math.sqrt(va + vb), min(ea.n, eb.n))


def compare(first: Results, second: Results) -> Comparison:
    """Every figure the two results share, with the difference and its 95% interval."""
    paired = first.seed == second.seed and len(first.replications) == len(second.replications)
    a, b = headline(first), headline(second)
    rows = []
    for name, values in a.items():
        other = b.get(name)
        if other is None:
            continue
        if paired:
            difference = estimate([y - x for x, y in zip(values, other, strict=True)])
        else:
            difference = _welch(values, other)
        first_figure, second_figure = figure_estimate(name, values), figure_estimate(name, other)
        rows.append(Row(name, first_figure, second_figure, difference))
    return Comparison(first, second, paired, tuple(rows))


def compare_all(base: Results, others: list[Results]) -> list[Comparison]:
    """Each of `others` compared with `base`, figure by figure (see `compare`)."""
    return [compare(base, other) for other in others]
