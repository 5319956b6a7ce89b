"""Calendar periods: the grid published figures are counted on (months, quarters, years).

```python
from datetime import date
grid = calendar_periods("quarter", date(2024, 1, 1), warm_up=0.0, horizon=200.0)
[p.label for p in grid]            # ['2024Q1', '2024Q2', '2024Q3']
grid[0].first_day, grid[0].end_day  # (0, 91): days from the scenario's start, end excluded
grid[2].partial                     # True: the horizon ends on day 200, inside 2024Q3
```

A period is the whole calendar days from its first day to the day before `end` (midnight to
midnight, as the simulation's time is counted from 00:00 on the scenario's `start`). The grid
covers every period that overlaps the measured stretch, from the end of the warm-up to the
horizon; a period cut by either is `partial`, and its figures cover only the part simulated
(counts in a partial period are not a whole period's counts). Labels follow the Home Office's
and the board report's: `2024-01` (a month), `2024Q1` (January to March), `2024`, and
`FY2024-25` (the financial year, April 2024 to March 2025).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal, get_args

__all__ = ["GRIDS", "Grid", "Period", "calendar_periods"]

#: The calendar grids `--periods` accepts.
Grid = Literal["month", "quarter", "year", "financial-year"]
GRIDS: tuple[str, ...] = get_args(Grid)

#: Months a period of each grid lasts, and the month its periods start in (1 = January).
_SHAPE = {"month": (1, 1), "quarter": (3, 1), "year": (12, 1), "financial-year": (12, 4)}


@dataclass(frozen=True, slots=True)
class Period:
    """One calendar period: its label, its dates and its days counted from the start.

    `first` is its first date and `end` the first date after it; `first_day` and `end_day`
    are the same as days from the scenario's start (so the period is `first_day <= t <
    end_day`). `partial` when the warm-up or the horizon cuts it.
    """

    label: str
    first: date
    end: date
    first_day: int
    end_day: int
    partial: bool


def _label(grid: str, first: date) -> str:
    if grid == "month":
        return f"{first.year}-{first.month:02d}"
    if grid == "quarter":
        return f"{first.year}Q{(first.month - 1) // 3 + 1}"
    if grid == "year":
        return str(first.year)
    return f"FY{first.year}-{(first.year + 1) % 100:02d}"


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _period_start(grid: str, day: date) -> date:
    """The first day of the period of `grid` that holds `day`."""
    months, first_month = _SHAPE[grid]
    shifted = day.year * 12 + day.month - first_month
    index = shifted - shifted % months + first_month - 1
    return date(index // 12, index % 12 + 1, 1)


def calendar_periods(grid: str, start: date, warm_up: float, horizon: float) -> tuple[Period, ...]:
    """The periods of `grid` that overlap days `warm_up` to `horizon` after `start`.

    Raises `ValueError` for a grid that is not one of `GRIDS`.
    """
    if grid not in _SHAPE:
        raise ValueError(f"unknown period grid {grid!r}: expected one of {', '.join(GRIDS)}")
    months = _SHAPE[grid][0]
    found = []
    first = _period_start(grid, start)
    while True:
        end = _add_months(first, months)
        first_day, end_day = (first - start).days, (end - start).days
        if first_day >= horizon:
            break
        if end_day > warm_up:
            partial = first_day < warm_up or end_day > horizon
            found.append(Period(_label(grid, first), first, end, first_day, end_day, partial))
        first = end
    return tuple(found)
