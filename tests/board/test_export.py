"""CSV and JSON (`pathways.board.export`) say exactly what the page says."""

from __future__ import annotations

import csv
import io
import json

from board.helpers import cells, html_cells
from pathways.board import (
    BoardReport,
    to_csv,
    to_data,
    to_html,
    to_json,
)


def test_csv_and_json_hold_exactly_the_figures_on_the_page(report: BoardReport) -> None:
    page = html_cells(to_html(report))
    assert page == cells(report)
    rows = list(csv.DictReader(io.StringIO(to_csv(report))))
    assert {(r["table"], r["row"], r["column"]): r["shown"] for r in rows} == page
    assert {r["pathway"] for r in rows} == {"humber/hull"}
    for r in rows:
        if r["status"] == "shown":
            assert r["shown"].replace(",", "") == r["value"] or float(r["value"]) == float(
                r["shown"]
            )
        else:
            assert r["value"] == ""
    data = json.loads(to_json(report))
    assert data == json.loads(json.dumps(to_data(report)))
    from_json = {
        (table["key"], row["key"], cell["column"]): cell["shown"]
        for table in data["pathways"][0]["tables"]
        for row in table["rows"]
        for cell in row["cells"]
    }
    assert from_json == page
    assert data["pathways"][0]["status"] == "illustrative"
    assert data["suppression"]["threshold"] == 5
    assert data["period"] == {"label": "2021Q3", "first": "2021-07-01", "last": "2021-09-30"}
