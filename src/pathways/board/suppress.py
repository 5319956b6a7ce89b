"""Disclosure control: every count rounded to the nearest 5, a quarter at a time.

```python
draft = Draft("referrals", "Referrals", "...", (("journeys", "journeys"),))
draft.row("opened", "Journeys opened", Count((3, 9)))  # 3 in one quarter, 9 in the next
table = draft.finish()
table.rows[0].cells[0].text        # '15': 3 shows as 5 and 9 as 10
```

1. Every count is kept a calendar quarter at a time (a *part*): the journeys opened in
   2021Q3, the outcomes of one kind reached in 2021Q3. A figure that only exists at one
   moment (the decisions pending when the period ends) is one part.
2. Each part is rounded to the nearest multiple of 5 (0, 1 and 2 show as 0; 3 to 7 as 5;
   8 to 12 as 10), as the Office for National Statistics rounds small counts.
3. Every published count, totals and longer periods included, is the sum of its parts'
   rounded values; no count is ever worked out from the unrounded parts. So every figure in
   every report the tool can make depends only on the rounded parts, and the most a reader
   can learn, by setting any figures against any others, is each part to within its
   rounding: at least three values (0 to 2) and usually five. Nothing can be pinned to one
   value, and a count under 5 cannot be told apart from its neighbours.
4. A median or mean is shown only when the count it is worked out from is published as
   `MINIMUM_BASIS` or more (so at least 8 journeys), and a mean of counts is worked out
   from the published (rounded) counts; otherwise it is "not shown".

Whether a statistic is shown, and whether a row is left out (all its counts published as 0),
depends only on published figures, so neither gives anything away either. Nor does what a
table says it hides (`Table.hidden`: which figures are not shown and from how many journeys,
as published, and what a small rounded count may stand for), worked out from the same
published figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

__all__ = [
    "BASE",
    "MINIMUM_BASIS",
    "NOT_SHOWN",
    "Cell",
    "Count",
    "Draft",
    "Row",
    "Statistic",
    "Table",
    "rounded",
]

#: Every part of every count is rounded to a multiple of this.
BASE = 5
#: A statistic is shown only when its count is published as this or more.
MINIMUM_BASIS = 10
NOT_SHOWN = "not shown"

Status = Literal["rounded", "shown", "not-shown"]


def rounded(n: int) -> int:
    """`n` to the nearest multiple of `BASE`: 0-2 give 0, 3-7 give 5, 8-12 give 10."""
    return BASE * ((n + BASE // 2) // BASE)


@dataclass(frozen=True, slots=True)
class Count:
    """A number of journeys (or of things that happened to them), in its parts."""

    parts: tuple[int, ...]
    #: The figure a reader sees: the sum of the parts, each rounded.
    published: int = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "published", sum(rounded(part) for part in self.parts))


@dataclass(frozen=True, slots=True)
class Statistic:
    """A figure (None when there is nothing to work it out from) and the count it is of."""

    value: float | None
    basis: Count

    @property
    def shown(self) -> bool:
        return self.basis.published >= MINIMUM_BASIS and self.value is not None


@dataclass(frozen=True, slots=True)
class Cell:
    """One published figure: its value (None when not shown) and what a reader sees."""

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
    """A published table: every count already rounded as the rule says."""

    key: str
    title: str
    explains: str
    columns: tuple[tuple[str, str], ...]  # (key, heading)
    rows: tuple[Row, ...]
    note: str = ""
    #: What the table hides and why, in words, from its published figures only.
    hidden: tuple[str, ...] = ()


@dataclass
class Draft:
    """A table being filled with counts in their parts; `finish` applies the rule."""

    key: str
    title: str
    explains: str
    columns: tuple[tuple[str, str], ...]
    note: str = ""
    rows: list[tuple[str, str, tuple[Count | Statistic, ...]]] = field(default_factory=list)

    def row(self, key: str, label: str, *values: Count | Statistic) -> None:
        """Add a row."""
        if len(values) != len(self.columns):
            raise ValueError(f"table {self.key}: {len(values)} values for {len(self.columns)}")
        self.rows.append((key, label, values))

    def finish(self) -> Table:
        rows = tuple(
            Row(key, label, tuple(_cell(self.columns[c][0], v) for c, v in enumerate(values)))
            for key, label, values in self.rows
        )
        return Table(
            self.key, self.title, self.explains, self.columns, rows, self.note, self._hidden()
        )

    def _hidden(self) -> tuple[str, ...]:
        """Sentences saying which figures are not shown and why, and what the small counts
        stand for; each worked out from published figures only."""
        said: list[str] = []
        small: list[str] = []
        for _, label, values in self.rows:
            missing: list[str] = []
            basis = 0
            for (_, heading), value in zip(self.columns, values, strict=True):
                if isinstance(value, Count):
                    if value.published < 2 * BASE:
                        small.append(f"{label}, {heading}: {value.published}")
                elif not value.shown:
                    missing.append(heading)
                    basis = value.basis.published
            if missing:
                verb = "is" if len(missing) == 1 else "are"
                said.append(
                    f"{label}: the {' and the '.join(missing)} {verb} not shown, because "
                    f"{basis:,} journeys (as published) are too few; a median or mean is shown "
                    f"only when it is worked out from {MINIMUM_BASIS} or more."
                )
        if small:
            said.append(
                f"Small counts: {'; '.join(small)}. Each stands for a range, since counts are "
                f"rounded to the nearest {BASE} a quarter at a time: 0 for 0, 1 or 2 (so 0 does "
                f"not mean none), {BASE} for 3 to {BASE + BASE // 2}."
            )
        return tuple(said)


def _cell(column: str, value: Count | Statistic) -> Cell:
    if isinstance(value, Count):
        return Cell(column, value.published, "rounded", f"{value.published:,}")
    if not value.shown or value.value is None:
        return Cell(column, None, "not-shown", NOT_SHOWN)
    figure = round(float(value.value), 1)
    return Cell(column, figure, "shown", f"{figure:,.1f}")
