"""The suppression rule: no figure in a board report can point to fewer than five people.

```python
draft = Draft("referrals", "Referrals", "...", ("count",))
draft.row("opened", "Journeys opened", Count(3))
table = draft.finish()
table.rows[0].cells[0].text        # 'fewer than 5'
```

1. Every count under 5, zero included, is shown as "fewer than 5" (primary suppression).
2. Every statistic (a median, a mean) worked out from fewer than 5 journeys is shown as
   "fewer than 5 journeys".
3. Where counts add up to a total that is shown (a `Group`, which may include counts that are
   never shown, such as the journeys *without* a retelling), more counts are hidden, smallest
   first, until the hidden counts together hold at least 5, so no count under 5 can be worked
   out by subtraction. These show "not shown" (secondary suppression).
4. Where the total itself is hidden and every count in it is shown, the smallest is hidden
   too, so the total cannot be worked out by addition.
5. A mean whose count (its total) is hidden is hidden too: mean times journeys is the total.

The steps are repeated until nothing more changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

__all__ = [
    "FEWER",
    "NOT_SHOWN",
    "THRESHOLD",
    "Cell",
    "Count",
    "Draft",
    "Group",
    "Row",
    "Statistic",
    "Table",
]

#: Counts below this are suppressed.
THRESHOLD = 5
FEWER = "fewer than 5"
NOT_SHOWN = "not shown"

Status = Literal["shown", "fewer-than-5", "not-shown"]
Position = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Count:
    """A number of journeys (or of things that happened to them)."""

    n: int


@dataclass(frozen=True, slots=True)
class Statistic:
    """A figure worked out from `basis` journeys; `value` is None when there were none."""

    value: float | None
    basis: int


@dataclass(frozen=True, slots=True)
class Group:
    """Counts in `members` (and `hidden` counts never shown) that add up to `total`."""

    total: Position
    members: tuple[Position, ...]
    hidden: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class Cell:
    """One published figure: its value (None when suppressed) and what a reader sees."""

    column: str
    value: int | float | None
    status: Status
    text: str


@dataclass(frozen=True, slots=True)
class Row:
    key: str
    label: str
    cells: tuple[Cell, ...]


@dataclass(frozen=True, slots=True)
class Table:
    """A published table: every cell already suppressed as the rule says."""

    key: str
    title: str
    explains: str
    columns: tuple[tuple[str, str], ...]  # (key, heading)
    rows: tuple[Row, ...]
    note: str = ""


@dataclass
class Draft:
    """A table being filled with raw figures; `finish` applies the rule."""

    key: str
    title: str
    explains: str
    columns: tuple[tuple[str, str], ...]
    note: str = ""
    rows: list[tuple[str, str, list[Count | Statistic]]] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    means: list[tuple[Position, Position]] = field(default_factory=list)

    def row(self, key: str, label: str, *values: Count | Statistic) -> int:
        """Add a row; returns its index."""
        if len(values) != len(self.columns):
            raise ValueError(f"table {self.key}: {len(values)} values for {len(self.columns)}")
        self.rows.append((key, label, list(values)))
        return len(self.rows) - 1

    def finish(self) -> Table:
        values = {(r, c): v for r, (_, _, vs) in enumerate(self.rows) for c, v in enumerate(vs)}
        status = suppress(values, self.groups, self.means)
        rows = []
        for r, (key, label, vs) in enumerate(self.rows):
            cells = tuple(_cell(self.columns[c][0], v, status[(r, c)]) for c, v in enumerate(vs))
            rows.append(Row(key, label, cells))
        return Table(self.key, self.title, self.explains, self.columns, tuple(rows), self.note)


def suppress(
    values: dict[Position, Count | Statistic],
    groups: Sequence[Group] = (),
    means: Sequence[tuple[Position, Position]] = (),
) -> dict[Position, Status]:
    """The status of every cell under the rule in this module's docstring."""
    status: dict[Position, Status] = {}
    for pos, value in values.items():
        small = value.n < THRESHOLD if isinstance(value, Count) else value.basis < THRESHOLD
        status[pos] = "fewer-than-5" if small else "shown"

    def n(pos: Position) -> int:
        value = values[pos]
        return value.n if isinstance(value, Count) else 0

    changed = True
    while changed:
        changed = False
        for group in groups:
            shown = [p for p in group.members if status[p] == "shown"]
            if status[group.total] != "shown":
                if shown and len(shown) == len(group.members) and not group.hidden:
                    status[min(shown, key=lambda p: (n(p), p))] = "not-shown"
                    changed = True
                continue
            hidden = [n(p) for p in group.members if status[p] != "shown"] + list(group.hidden)
            while hidden and sum(hidden) < THRESHOLD and shown:
                smallest = min(shown, key=lambda p: (n(p), p))
                status[smallest] = "not-shown"
                shown.remove(smallest)
                hidden.append(n(smallest))
                changed = True
        for mean, total in means:
            if status[total] != "shown" and status[mean] == "shown":
                status[mean] = "not-shown"
                changed = True
    return status


def _cell(column: str, value: Count | Statistic, status: Status) -> Cell:
    if status == "not-shown":
        return Cell(column, None, status, NOT_SHOWN)
    if status == "fewer-than-5":
        text = FEWER if isinstance(value, Count) else f"{FEWER} journeys"
        return Cell(column, None, status, text)
    if isinstance(value, Count):
        return Cell(column, value.n, status, f"{value.n:,}")
    if value.value is None:
        return Cell(column, None, status, "none")
    rounded = round(float(value.value), 1)
    return Cell(column, rounded, status, f"{rounded:,.1f}")
