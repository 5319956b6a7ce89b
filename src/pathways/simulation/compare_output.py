"""Comparisons as data: each what-if set against the base, figure by figure, as JSON and CSV.

```python
comparisons = compare_all(base, [what_if, other_what_if])
comparison_csv(comparisons)    # scenario, figure, base, value, difference, low, high, ...
comparison_json(comparisons)   # {"base": ..., "comparisons": [{"scenario": ..., "rows": [...]}]}
```

`difference` is the scenario's figure minus the base's, with its 95% interval: from the paired
per-replication differences when both ran with the same seed and number of replications
(common random numbers), otherwise Welch's interval (`method` says which). `significant` is
true when the interval does not contain zero.
"""

from __future__ import annotations

import csv
import io
import math
from typing import Any

from pathways.simulation.compare import Comparison, Row
from pathways.simulation.summary import spreadsheet_safe

__all__ = ["COMPARISON_HEADER", "comparison_csv", "comparison_json"]

COMPARISON_HEADER = (
    "scenario",
    "base",
    "figure",
    "base_mean",
    "scenario_mean",
    "difference",
    "low",
    "high",
    "significant",
    "method",
    "replications",
)


def _number(value: float) -> float | None:
    return None if math.isnan(value) else round(value, 6)


def _method(comparison: Comparison) -> str:
    return "paired" if comparison.paired else "welch"


def _row(row: Row) -> dict[str, Any]:
    difference = row.difference
    return {
        "figure": row.name,
        "base": row.first.as_dict(),
        "scenario": row.second.as_dict(),
        "difference": {
            "mean": _number(difference.mean),
            "low": _number(difference.low),
            "high": _number(difference.high),
            "n": difference.n,
        },
        "significant": row.outside,
    }


def comparison_json(comparisons: list[Comparison]) -> dict[str, Any]:
    """Every comparison with the base: per figure, both estimates and the difference."""
    base = comparisons[0].first.scenario if comparisons else ""
    return {
        "base": base,
        "comparisons": [
            {
                "scenario": c.second.scenario,
                "method": _method(c),
                "rows": [_row(row) for row in c.rows],
            }
            for c in comparisons
        ],
    }


def comparison_csv(comparisons: list[Comparison]) -> str:
    """One row per scenario and figure (see `COMPARISON_HEADER`); text cells are made safe
    for spreadsheets."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COMPARISON_HEADER)
    for comparison in comparisons:
        scenario = spreadsheet_safe(comparison.second.scenario)
        base = spreadsheet_safe(comparison.first.scenario)
        for row in comparison.rows:
            numbers = (
                row.first.mean,
                row.second.mean,
                row.difference.mean,
                row.difference.low,
                row.difference.high,
            )
            writer.writerow(
                [
                    scenario,
                    base,
                    spreadsheet_safe(row.name),
                    *("" if _number(v) is None else repr(_number(v)) for v in numbers),
                    "yes" if row.outside else "no",
                    _method(comparison),
                    row.difference.n,
                ]
            )
    return out.getvalue()
