"""A spreadsheet of journey events, read as rows of text, with every size bounded.

```python
sheet = read_sheet(Path("journeys.csv"))     # or journeys.xlsx (needs openpyxl)
sheet.header                                 # ('case_ref', 'date', 'step', 'agency', ...)
for row in sheet.rows:
    row.line, row.cells                      # the spreadsheet's own row number, the texts
```

A CSV file is UTF-8 (a byte-order mark, as Excel writes, is allowed); a line whose first
cell starts with `#` is a comment (the template explains itself that way) and blank rows are
skipped. An XLSX workbook is read from its first sheet, through `pathways.board.xlsx`, the one
module that imports openpyxl. Row numbers are the spreadsheet's own, as its program shows
them, so a problem "at row 7" is found on row 7. Hostile files are bounded: the file's size,
the number of rows and columns and the length of each cell (`LIMITS`); anything larger is
refused with a `SheetError` that says which limit and where.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from pathways.board.cells import LIMITS, Limits, SheetError, SheetRow
from pathways.errors import Location, Problem

__all__ = ["LIMITS", "Limits", "Sheet", "SheetError", "SheetRow", "read_sheet", "sheet_from_text"]


@dataclass(frozen=True, slots=True)
class Sheet:
    """A spreadsheet: its file name, its header (row `header_line`) and its data rows."""

    path: str
    header: tuple[str, ...]
    header_line: int
    rows: tuple[SheetRow, ...]


def _refuse(path: str, line: int, column: int, code: str, message: str, hint: str) -> SheetError:
    return SheetError([Problem(code, message, Location(path, line, column), None, hint)])


def read_sheet(path: Path, limits: Limits = LIMITS) -> Sheet:
    """Read `path` (`.csv` or `.xlsx`); `SheetError` if it cannot be read or is too large."""
    name = path.as_posix()
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise _refuse(
            name, 1, 1, "not-a-spreadsheet", f"'{path.name}' is not a .csv or .xlsx file",
            "save the spreadsheet as CSV (UTF-8) or as an Excel workbook (.xlsx)",
        )  # fmt: skip
    size = path.stat().st_size
    if size > limits.bytes:
        raise _refuse(
            name, 1, 1, "sheet-too-large",
            f"the file is {size:,} bytes; at most {limits.bytes:,} are read",
            "split the spreadsheet by year and import each part",
        )  # fmt: skip
    if suffix == ".xlsx":
        from pathways.board.xlsx import read_rows

        return _sheet(name, read_rows(path, limits), limits)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise _refuse(
            name, line, 1, "not-utf-8", "the file is not written in UTF-8",
            "in your spreadsheet program choose Save As, then 'CSV UTF-8'",
        ) from None  # fmt: skip
    return sheet_from_text(text, name, limits)


def sheet_from_text(text: str, path: str = "<text>", limits: Limits = LIMITS) -> Sheet:
    """Read CSV text as `read_sheet` reads a CSV file."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=False)
    return _sheet(path, _csv_rows(reader, path, limits), limits)


def _csv_rows(reader: Iterator[list[str]], path: str, limits: Limits) -> Iterator[SheetRow]:
    while True:
        line = getattr(reader, "line_num", 0) + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise _refuse(
                path, line, 1, "not-csv", f"this row cannot be read as CSV ({exc})",
                "check for a quotation mark that is opened and never closed",
            ) from None  # fmt: skip
        yield SheetRow(line, tuple(cells))


def _sheet(path: str, rows: Iterable[SheetRow], limits: Limits) -> Sheet:
    header: tuple[str, ...] | None = None
    header_line = 0
    found: list[SheetRow] = []
    for row in rows:
        if _skipped(row):
            continue
        _bounded(path, row, limits)
        if header is None:
            header = tuple(str(cell).strip() for cell in row.cells)
            header_line = row.line
            continue
        if len(found) >= limits.rows:
            raise _refuse(
                path, row.line, 1, "sheet-too-large",
                f"the spreadsheet has more than {limits.rows:,} rows of events",
                "split it by year and import each part",
            )  # fmt: skip
        found.append(row)
    if header is None:
        raise _refuse(
            path, 1, 1, "no-header", "the spreadsheet has no header row",
            "start from the template that pathways template writes",
        )  # fmt: skip
    while header and not header[-1]:
        header = header[:-1]
    return Sheet(path, header, header_line, tuple(found))


def _skipped(row: SheetRow) -> bool:
    """A blank row, or a comment (its first cell starts with '#')."""
    if all(cell == "" or (isinstance(cell, str) and not cell.strip()) for cell in row.cells):
        return True
    first = row.cells[0] if row.cells else ""
    return isinstance(first, str) and first.lstrip().startswith("#")


def _bounded(path: str, row: SheetRow, limits: Limits) -> None:
    used = len(row.cells)
    while used and row.cells[used - 1] in ("", None):
        used -= 1
    if used > limits.columns:
        raise _refuse(
            path, row.line, limits.columns + 1, "sheet-too-wide",
            f"row {row.line} has {used} columns; at most {limits.columns} are read",
            "remove the columns the template does not have",
        )  # fmt: skip
    for index, cell in enumerate(row.cells[:used]):
        if isinstance(cell, str) and len(cell) > limits.cell:
            raise _refuse(
                path, row.line, index + 1, "cell-too-long",
                f"row {row.line}, column {index + 1} holds {len(cell):,} characters; "
                f"a cell may hold at most {limits.cell}",
                "a cell holds a code, a date or a name from the pathway, never free text",
            )  # fmt: skip
