"""What a spreadsheet is read into: rows of cells, the size limits, and the error for a
spreadsheet that cannot be read (shared by `pathways.board.sheet` and `pathways.board.xlsx`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from pathways.errors import DefinitionError

__all__ = ["LIMITS", "Limits", "SheetError", "SheetRow", "Value"]


@dataclass(frozen=True, slots=True)
class Limits:
    """How much of a spreadsheet is read before it is refused as too large."""

    bytes: int = 20_000_000
    rows: int = 100_000
    columns: int = 40
    cell: int = 200


LIMITS = Limits()

#: A cell as read: text, or (from XLSX) a date or date and time.
Value = str | date | datetime


@dataclass(frozen=True, slots=True)
class SheetRow:
    """One row of the spreadsheet: its row number and its cells, column by column."""

    line: int
    cells: tuple[Value, ...]

    def get(self, column: int) -> Value:
        """The cell in `column` (0-based), or '' past the end of the row."""
        return self.cells[column] if column < len(self.cells) else ""


class SheetError(DefinitionError):
    """A spreadsheet of journeys that cannot be read or imported; `problems` holds every
    problem found, each at its row and column."""
