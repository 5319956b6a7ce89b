"""`Results` as rows, for `Results.to_frame`: one row per replication, stage, outcome or
calendar period and figure, each figure with its 95% interval."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

from pathways.simulation.stats import Estimate

__all__ = ["ROWS"]


class Results(Protocol):
    """What the rows are made from (`results.Results`, which imports this module)."""

    @property
    def scenario(self) -> str: ...

    @property
    def replications(self) -> Sequence[Any]: ...

    def stages(self) -> Sequence[Any]: ...

    def outcome_shares(self) -> Mapping[str, Estimate]: ...

    def periods(self) -> Any: ...


def _interval(prefix: str, found: Estimate | None) -> dict[str, float | None]:
    if found is None:
        return {prefix: None, f"{prefix}_low": None, f"{prefix}_high": None}
    return {prefix: found.mean, f"{prefix}_low": found.low, f"{prefix}_high": found.high}


def _replication_rows(results: Results) -> list[dict[str, object]]:
    return [
        {
            "scenario": results.scenario,
            "replication": r.replication,
            "journeys": r.journeys,
            "closed": r.closed,
            "unfinished": r.unfinished,
            "support_share": r.support_share,
            "days_to_support": r.to_support.mean,
            "days_to_close": r.to_close.mean,
            "handoffs": r.handoffs,
            "retellings": r.retellings,
        }
        for r in results.replications
    ]


def _stage_rows(results: Results) -> list[dict[str, object]]:
    return [
        {
            "scenario": results.scenario,
            "stage": s.name,
            "title": s.title,
            **_interval("visits", s.visits),
            **_interval("wait_mean", s.wait.mean),
            **_interval("wait_median", s.wait.median),
            **_interval("service_mean", s.service.mean),
            **_interval("over_limit_share", s.breach_share),
            **_interval("still_open", s.still_open),
        }
        for s in results.stages()
    ]


def _outcome_rows(results: Results) -> list[dict[str, object]]:
    return [
        {"scenario": results.scenario, "stage": name, **_interval("share", found)}
        for name, found in results.outcome_shares().items()
    ]


def _period_rows(results: Results) -> list[dict[str, object]]:
    table = results.periods()
    return [
        {
            "scenario": results.scenario,
            "period": period.label,
            "figure": name,
            **_interval("value", figure),
            "replications": figure.n,
        }
        for name, estimates in table.figures.items()
        for period, figure in zip(table.periods, estimates, strict=True)
    ]


ROWS: dict[str, Callable[[Results], list[dict[str, object]]]] = {
    "replications": _replication_rows,
    "stages": _stage_rows,
    "outcomes": _outcome_rows,
    "periods": _period_rows,
}
