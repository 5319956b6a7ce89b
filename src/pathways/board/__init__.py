"""The quarterly board report: a pathway's diagram, its check findings and the quarter's
figures from the journey store, as one self-contained HTML page, CSV and JSON.

```python
from pathways.board import build_report, parse_period, to_csv, to_html, to_json
report = build_report(store, [pathway], parse_period("2021Q3"), at=now)
Path("report.html").write_text(to_html(report), encoding="utf-8")
```

```text
period.py    the period: a quarter (2021Q3), a year (2021) or a financial year (FY2021-22)
figures.py   one journey's events -> facts; facts -> the report's tables
suppress.py  disclosure control: every count rounded to 5 a quarter at a time, then added up
build.py     BoardReport: for each pathway, diagram, check findings and tables
html.py      the HTML page (inline CSS and SVG; no scripts, fonts or images fetched)
export.py    the same figures as CSV and JSON
```

No case reference is kept past `figures.walk`, so none can reach any output.
"""

from __future__ import annotations

from pathways.board.build import STATUS_WORDS, BoardReport, FindingLine, Section, build_report
from pathways.board.export import CSV_COLUMNS, to_csv, to_data, to_json
from pathways.board.html import SUPPRESSION_RULE, to_html
from pathways.board.period import Period, PeriodError, parse_period
from pathways.board.suppress import BASE, MINIMUM_BASIS, NOT_SHOWN, Cell, Row, Table

__all__ = [
    "BASE",
    "CSV_COLUMNS",
    "MINIMUM_BASIS",
    "NOT_SHOWN",
    "STATUS_WORDS",
    "SUPPRESSION_RULE",
    "BoardReport",
    "Cell",
    "FindingLine",
    "Period",
    "PeriodError",
    "Row",
    "Section",
    "Table",
    "build_report",
    "parse_period",
    "to_csv",
    "to_data",
    "to_html",
    "to_json",
]
