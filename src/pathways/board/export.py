"""A board report's figures as CSV and JSON: the same cells as the HTML page, no more.

```python
Path("report.csv").write_text(to_csv(report), encoding="utf-8")
Path("report.json").write_text(to_json(report), encoding="utf-8")
```

CSV has one line per figure: `pathway, table, row, column, value, shown, status`. `value` is
the number (empty when not shown), `shown` is what the HTML page shows (the number or "not
shown") and `status` says which: `rounded` (a count), `shown` (a median or mean) or
`not-shown`. JSON holds the same cells, grouped by
pathway and table, with the period, the pathway statuses and the suppression rule. Text cells
that a spreadsheet would evaluate as a formula (a stage named `=1+1`) start with `'`.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from pathways.board.build import BoardReport
from pathways.board.html import SUPPRESSION_RULE
from pathways.board.suppress import BASE, MINIMUM_BASIS, Table
from pathways.simulation.summary import spreadsheet_safe

__all__ = ["CSV_COLUMNS", "to_csv", "to_data", "to_json"]

CSV_COLUMNS = ("pathway", "table", "row", "column", "value", "shown", "status")


def to_csv(report: BoardReport) -> str:
    """Every figure of the report, one per line, in the order the page shows them."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for section in report.sections:
        for table in section.tables:
            for row in table.rows:
                for cell in row.cells:
                    value = "" if cell.value is None else cell.value
                    text = (section.id, table.key, row.key, cell.column)
                    writer.writerow(
                        (
                            *map(spreadsheet_safe, text),
                            value,
                            spreadsheet_safe(cell.text),
                            cell.status,
                        )
                    )
    return out.getvalue()


def to_data(report: BoardReport) -> dict[str, Any]:
    """The report as plain JSON-ready data."""
    period = report.period
    return {
        "period": {
            "label": period.label,
            "first": period.first.isoformat(),
            "last": period.last.isoformat(),
        },
        "made": report.made.isoformat(),
        "suppression": {"base": BASE, "minimum_basis": MINIMUM_BASIS, "rule": SUPPRESSION_RULE},
        "pathways": [
            {
                "id": section.id,
                "title": section.title,
                "area": section.area,
                "version": section.version,
                "status": section.status,
                "status_heading": section.status_heading,
                "status_words": section.status_words,
                "findings": [
                    {
                        "severity": f.severity,
                        "rule": f.rule,
                        "subject": f.subject,
                        "message": f.message,
                        "accepted": f.accepted,
                    }
                    for f in section.findings
                ],
                "tables": [_table(table) for table in section.tables],
            }
            for section in report.sections
        ],
    }


def to_json(report: BoardReport) -> str:
    """`to_data` as indented JSON text."""
    return json.dumps(to_data(report), indent=2, ensure_ascii=False) + "\n"


def _table(table: Table) -> dict[str, Any]:
    return {
        "key": table.key,
        "title": table.title,
        "explains": table.explains,
        "columns": [{"key": key, "heading": words} for key, words in table.columns],
        "rows": [
            {
                "key": row.key,
                "label": row.label,
                "cells": [
                    {
                        "column": cell.column,
                        "value": cell.value,
                        "shown": cell.text,
                        "status": cell.status,
                    }
                    for cell in row.cells
                ],
            }
            for row in table.rows
        ],
        "note": table.note,
        "hidden": list(table.hidden),
    }
