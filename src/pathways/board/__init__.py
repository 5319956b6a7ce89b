"""The quarterly board report: a pathway's diagram, its check findings and the quarter's
figures from the journey store, as one self-contained HTML page, CSV and JSON.

```python
from pathways.board import build_report, parse_period, to_csv, to_html, to_json
report = build_report(store, [pathway], parse_period("2021Q3"), at=now)
Path("report.html").write_text(to_html(report), encoding="utf-8")
```

```text
period.py    the period: a quarter (2021Q3), a half-year (2021H1), a year or a financial year
figures.py   one journey's events -> facts; facts -> the report's tables
suppress.py  disclosure control: every count rounded to 5 a quarter at a time, then added up
build.py     BoardReport: for each pathway, diagram, check findings and tables
html.py      the HTML page (inline CSS and SVG; no scripts, fonts or images fetched)
export.py    the same figures as CSV and JSON
template.py  the journeys spreadsheet template (`pathways template`), explained in itself
cells.py     a spreadsheet's rows and cells, its size limits, and SheetError
sheet.py     reading a CSV (or, through xlsx.py, an Excel) spreadsheet, bounded
xlsx.py      openpyxl's one home: Excel workbooks read and written
columns.py   each column of the spreadsheet read against the pathway
importing.py rows -> journeys by the runtime's rules (`pathways import`), every row checked
```

Without a case system, journeys recorded in the spreadsheet are built by `importing` and
stored in one transaction by `pathways.store.imports.store_all`; the report is then made
from that store as from any other.

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
