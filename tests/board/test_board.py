"""The board report as a whole (`pathways.board`, `pathways report`): no case reference in any
output, the command line, and the package's public surface.

The report's parts have their own test files (`test_build.py`, `test_figures.py`,
`test_suppress.py`, `test_export.py`, `test_html.py`, `test_period.py`); the store of planned
journeys they share is in `tests/board/conftest.py`.
"""

from __future__ import annotations

import csv
import inspect
import io
import json
from pathlib import Path

import pytest

import pathways.board
from board.helpers import REFS, html_cells, plan
from paths import HULL, ROOT
from pathways.board import (
    BoardReport,
    to_csv,
    to_html,
    to_json,
)
from pathways.cli import main

# No case reference anywhere


def test_no_case_reference_appears_in_any_output(report: BoardReport, store_url: str) -> None:
    assert len(REFS) == len(plan()) == 23
    for text in (to_html(report), to_csv(report), to_json(report)):
        for ref in REFS:
            assert ref not in text
        assert "ZQX" not in text


# The command line


def test_the_command_writes_html_csv_and_json(
    store_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, table, data = tmp_path / "r.html", tmp_path / "r.csv", tmp_path / "r.json"
    args = ["report", "--area", "hull", "--period", "2021Q3", "--db", store_url]
    args += ["--out", str(out), "--csv", str(table), "--json", str(data), "--no-diagram"]
    assert main([*args, str(ROOT / "pathways")]) == 0
    assert "board report for 2021Q3" in capsys.readouterr().out
    page = out.read_text(encoding="utf-8")
    assert html_cells(page)[("referrals", "opened", "journeys")] == "13"
    rows = list(csv.DictReader(io.StringIO(table.read_text(encoding="utf-8"))))
    assert {(r["table"], r["row"], r["column"]): r["shown"] for r in rows} == html_cells(page)
    assert json.loads(data.read_text(encoding="utf-8"))["pathways"][0]["id"] == "humber/hull"
    for text in (page, table.read_text(encoding="utf-8"), data.read_text(encoding="utf-8")):
        assert "ZQX" not in text


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        (["--period", "2021Q7"], "must be Q1, Q2, Q3 or Q4"),
        (["--area", "atlantis"], "no pathway for area 'atlantis'"),
        (["--db", "sqlite:///{tmp}/missing.sqlite3"], "no such database file"),
        (["--db", "mysql://x@y/z"], "SQLite or PostgreSQL"),
    ],
)
def test_the_command_refuses_with_a_clear_message(
    store_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    extra: list[str],
    words: str,
) -> None:
    args = ["report", str(HULL), "--db", store_url, "--out", str(tmp_path / "r.html")]
    args += [e.replace("{tmp}", str(tmp_path)) for e in extra]
    assert main(args) == 2
    assert words in capsys.readouterr().out
    assert not (tmp_path / "r.html").exists()
    assert not (tmp_path / "missing.sqlite3").exists()


def test_the_command_needs_a_pathway(
    store_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", "--db", store_url, "--out", str(tmp_path / "r.html")]) == 2
    assert "--area" in capsys.readouterr().out


def test_the_public_surface_is_sorted_and_complete() -> None:
    # sorted as ruff's RUF022 sorts: constants, then classes, then functions
    def kind(name: str) -> tuple[int, str]:
        return (0 if name.isupper() else 1 if name[0].isupper() else 2, name)

    names = pathways.board.__all__
    assert list(names) == sorted(names, key=kind)
    public = {
        name
        for name, value in vars(pathways.board).items()
        if not name.startswith("_") and name != "annotations" and not inspect.ismodule(value)
    }
    assert public == set(names)
