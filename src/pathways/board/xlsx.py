"""openpyxl's one home: Excel workbooks (.xlsx) read and written for the journeys spreadsheet.

openpyxl is an optional extra (`pip install 'referral-pathways[spreadsheets]'`); CSV needs
nothing. This module is imported only when an .xlsx file is read or written, and when
openpyxl is missing `MissingSpreadsheetExtra` says how to install it. A workbook is a zip of
XML files: before openpyxl opens one, the sizes its zip directory declares are added up and a
workbook that would unpack to more than `UNPACKED` times the size limit is refused, and
openpyxl reads it in read-only (streaming) mode, values only, never formulas.
"""

from __future__ import annotations

import importlib.util
import zipfile
from collections.abc import Iterator, Sequence
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from pathways.board.cells import Limits, SheetError, SheetRow, Value
from pathways.errors import Location, Problem

__all__ = ["UNPACKED", "MissingSpreadsheetExtra", "available", "read_rows", "write_workbook"]

#: A workbook may unpack to at most this many times the file size limit.
UNPACKED = 10


class MissingSpreadsheetExtra(ImportError):
    """An .xlsx file was asked for, but openpyxl is not installed."""


def available() -> bool:
    """True when openpyxl is installed."""
    return importlib.util.find_spec("openpyxl") is not None


def _openpyxl() -> Any:
    try:
        import openpyxl
    except ImportError as exc:
        raise MissingSpreadsheetExtra(
            "reading or writing .xlsx files needs openpyxl: pip install "
            "'referral-pathways[spreadsheets]' (or save the spreadsheet as CSV, which needs "
            "nothing)"
        ) from exc
    return openpyxl


def _refuse(path: str, line: int, code: str, message: str, hint: str) -> SheetError:
    return SheetError([Problem(code, message, Location(path, line, 1), None, hint)])


def read_rows(path: Path, limits: Limits) -> Iterator[SheetRow]:
    """The rows of the workbook's first sheet, numbered as Excel numbers them."""
    name = path.as_posix()
    openpyxl = _openpyxl()
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        raise _refuse(
            name, 1, "not-a-spreadsheet", f"'{path.name}' is not an Excel workbook",
            "save it from your spreadsheet program as an Excel workbook (.xlsx) or as CSV",
        ) from None  # fmt: skip
    if unpacked > UNPACKED * limits.bytes:
        raise _refuse(
            name, 1, "sheet-too-large",
            f"the workbook unpacks to {unpacked:,} bytes; at most "
            f"{UNPACKED * limits.bytes:,} are read",
            "split the spreadsheet by year and import each part",
        )  # fmt: skip
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise _refuse(
            name, 1, "not-a-spreadsheet",
            f"'{path.name}' cannot be read as an Excel workbook ({type(exc).__name__})",
            "open it in your spreadsheet program and save it again as .xlsx, or as CSV",
        ) from None  # fmt: skip
    try:
        sheet = book.worksheets[0]
        most = 2 * limits.rows + 1000  # blank rows are skipped, but not without end
        cells = limits.columns + 1
        for line, values in enumerate(sheet.iter_rows(values_only=True, max_col=cells), 1):
            if line > most:
                raise _refuse(
                    name, line, "sheet-too-large",
                    f"the workbook has more than {most:,} rows",
                    "delete the empty rows below the events, or save it as CSV",
                )  # fmt: skip
            yield SheetRow(line, tuple(_value(v) for v in values))
    finally:
        book.close()


def _value(value: object) -> Value:
    """A cell's value as the importer reads it: text, or a date, or a date and time."""
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value
    if isinstance(value, time):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def write_workbook(
    path: Path, header: Sequence[str], rows: Sequence[Sequence[str]], notes: Sequence[str]
) -> None:
    """A workbook with the events sheet (`header`, then `rows`) and a sheet of `notes`."""
    openpyxl = _openpyxl()
    book = openpyxl.Workbook()
    events = book.active
    events.title = "journeys"
    events.append(list(header))
    for row in rows:
        events.append(list(row))
    for index, heading in enumerate(header, 1):
        events.column_dimensions[openpyxl.utils.get_column_letter(index)].width = max(
            12, len(heading) + 4
        )
    events.freeze_panes = "A2"
    guide = book.create_sheet("how to fill this in")
    guide.column_dimensions["A"].width = 100
    for note in notes:
        guide.append([note])
    book.save(path)
