"""Reading the journeys spreadsheet: CSV and Excel, comments, row numbers, and hostile files
refused within bounds (size, rows, columns, cell length, a workbook that unpacks too far)."""

from __future__ import annotations

import zipfile
from datetime import datetime
from pathlib import Path

import pytest

from board.helpers import LONDON
from pathways.board.cells import Limits, SheetError
from pathways.board.importing import build_journeys
from pathways.board.sheet import read_sheet, sheet_from_text
from pathways.board.template import header_of, template_csv, write_template
from pathways.board.xlsx import available
from pathways.cli import main
from pathways.definition.schema import Pathway
from pathways.runtime.compiler import compile_pathway

needs_openpyxl = pytest.mark.skipif(not available(), reason="needs openpyxl (spreadsheets extra)")


def _code(caught: pytest.ExceptionInfo[SheetError]) -> tuple[str, int, int]:
    (problem,) = caught.value.problems
    assert problem.location is not None
    return problem.code, problem.location.line, problem.location.column


def test_comments_and_blank_rows_are_skipped_and_rows_keep_their_numbers() -> None:
    sheet = sheet_from_text('# a note, "quoted"\n\na,b\n\n# another\n1,2\n', "x.csv")
    assert sheet.header == ("a", "b")
    assert sheet.header_line == 3
    assert [(row.line, row.cells) for row in sheet.rows] == [(6, ("1", "2"))]


def test_the_template_reads_back_as_its_header_and_nothing_else(hull: Pathway) -> None:
    sheet = sheet_from_text(template_csv(hull), "t.csv")
    assert sheet.header == header_of(hull)
    assert sheet.rows == ()


def test_limits_are_enforced_with_where_and_which() -> None:
    small = Limits(rows=2, columns=3, cell=5)
    with pytest.raises(SheetError) as caught:
        sheet_from_text("a,b\n1,2\n3,4\n5,6\n", "x.csv", small)
    assert _code(caught) == ("sheet-too-large", 4, 1)
    with pytest.raises(SheetError) as caught:
        sheet_from_text("a,b\n1,2,3,4\n", "x.csv", small)
    assert _code(caught) == ("sheet-too-wide", 2, 4)
    with pytest.raises(SheetError) as caught:
        sheet_from_text("a,b\n1,123456\n", "x.csv", small)
    assert _code(caught) == ("cell-too-long", 2, 2)


def test_files_that_are_not_spreadsheets_are_refused(tmp_path: Path) -> None:
    cases = {
        "x.txt": (b"a,b\n", "not-a-spreadsheet"),
        "x.csv": (b"a,b\n\xff\xfe,1\n", "not-utf-8"),
        "y.csv": (b"", "no-header"),
        "x.xlsx": (b"not a zip", "not-a-spreadsheet"),
    }
    for name, (raw, code) in cases.items():
        (tmp_path / name).write_bytes(raw)
        if name.endswith(".xlsx") and not available():
            continue
        with pytest.raises(SheetError) as caught:
            read_sheet(tmp_path / name)
        assert caught.value.problems[0].code == code, name
    (tmp_path / "big.csv").write_bytes(b"a\n" * 50)
    with pytest.raises(SheetError) as caught:
        read_sheet(tmp_path / "big.csv", Limits(bytes=10))
    assert _code(caught) == ("sheet-too-large", 1, 1)


@needs_openpyxl
def test_a_workbook_that_would_unpack_too_far_is_refused_before_it_is_opened(
    tmp_path: Path,
) -> None:
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<" + b" " * 2_000_000 + b">")
    assert bomb.stat().st_size < 20_000
    with pytest.raises(SheetError) as caught:
        read_sheet(bomb, Limits(bytes=100_000))
    assert caught.value.problems[0].code == "sheet-too-large"


@needs_openpyxl
def test_an_excel_template_filled_in_imports_like_csv(tmp_path: Path, hull: Pathway) -> None:
    import openpyxl

    path = tmp_path / "journeys.xlsx"
    write_template(path, hull)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["journeys", "how to fill this in"]
    sheet = book["journeys"]
    assert tuple(c.value for c in sheet[1]) == header_of(hull)
    sheet.append(["HU-1", datetime(2021, 7, 1, 9, 0), None, "hull-city-council", None, "adult",
                  "given"])  # fmt: skip
    sheet.append(["HU-1", "2021-07-02", "start-assessment", "Hull City Council"])
    book.save(path)
    built = build_journeys(read_sheet(path), compile_pathway(hull))
    (journey,) = built.journeys
    assert journey.history[0].at == datetime(2021, 7, 1, 9, 0, tzinfo=LONDON)
    assert journey.stage == "first-responder-assessment"


@needs_openpyxl
def test_the_cli_writes_an_excel_template(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["template", "--format", "xlsx", "-q"]) == 0
    assert (tmp_path / "journeys.xlsx").exists()
    assert main(["template", "--format", "xlsx", "-q"]) == 2  # there already: --force
    assert main(["template", "-o", "j.xlsx", "--format", "csv"]) == 2
