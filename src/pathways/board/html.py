"""A board report as one self-contained HTML page: inline CSS and SVG, nothing fetched.

```python
page = to_html(report)
Path("report.html").write_text(page, encoding="utf-8")
```

The page has no scripts, no web fonts, no images other than the inline SVG diagrams, and a
Content-Security-Policy that forbids loading anything, so it opens the same offline, from an
email attachment or a shared drive. Each figure's cell carries `data-table`, `data-row` and
`data-column`, the same keys as the CSV and JSON.
"""

from __future__ import annotations

from html import escape

from pathways.board.build import BoardReport, Section
from pathways.board.suppress import BASE, MINIMUM_BASIS, NOT_SHOWN, Table

__all__ = ["SUPPRESSION_RULE", "WIDER", "to_html"]

SUPPRESSION_RULE = (
    f"To protect the people counted, every count is rounded to the nearest {BASE} a calendar "
    f"quarter at a time (0, 1 and 2 show as 0; 3 to 7 as {BASE}), and every total, and every "
    "figure for a longer period, is the sum of those rounded counts, so no figure can be set "
    "against another to work out a small count. A median or mean is shown only when the "
    f'count it is worked out from is shown as {MINIMUM_BASIS} or more, and is "{NOT_SHOWN}" '
    "otherwise. No case reference appears anywhere in this report."
)

_CSS = """
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Arial, sans-serif; margin: 0;
  color: #1b1b1b; background: #fff; line-height: 1.45; }
header, main, footer { max-width: 72rem; margin: 0 auto; padding: 0 1.5rem; }
header { padding-top: 1.5rem; }
h1 { font-size: 1.8rem; margin: 0 0 .3rem; }
h2 { font-size: 1.45rem; margin: 2.5rem 0 .5rem; border-bottom: 3px solid #1d3557; }
h3 { font-size: 1.15rem; margin: 1.8rem 0 .4rem; }
.meta { color: #444; margin: 0 0 1rem; }
.status { border: 4px solid #b35c00; background: #fff4e5; padding: .8rem 1rem;
  font-size: 1.1rem; font-weight: 600; margin: 1rem 0; }
.status strong { text-transform: uppercase; letter-spacing: .04em; margin-right: .3em; }
.status.agreed { border-color: #2e7d32; background: #edf7ed; }
.rule { border-left: 4px solid #1d3557; background: #f1f4f8; padding: .6rem 1rem; }
table { border-collapse: collapse; margin: .4rem 0 .3rem; min-width: 24rem; }
th, td { border: 1px solid #c5ccd3; padding: .35rem .6rem; text-align: left;
  vertical-align: top; }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.not-shown { color: #6b4e00; font-style: italic; }
thead th { background: #e8edf3; }
tr.total th, tr.total td { font-weight: 600; border-top: 2px solid #1d3557; }
.explains { margin: 0 0 .3rem; max-width: 60rem; }
.note { color: #555; font-size: .92rem; margin: 0; }
.findings td.severity { font-weight: 600; white-space: nowrap; }
.findings td.error { color: #b00020; }
.diagram { overflow: auto; border: 1px solid #c5ccd3; max-height: 60rem; }
.diagram svg { display: block; width: 100%; height: auto; }
.stages { columns: 2 20rem; }
footer { margin-top: 3rem; padding-bottom: 2rem; color: #444; font-size: .92rem; }
@media print {
  .diagram { overflow: visible; max-height: none; border: none; }
  h2 { break-before: page; }
}
"""

_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def to_html(report: BoardReport) -> str:
    """The whole report as one HTML page."""
    period = report.period
    names = ", ".join(section.area for section in report.sections) or "no pathway"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en-GB">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Board report {escape(period.label)}: {escape(names)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>Modern slavery referral pathway: board report, {escape(period.label)}</h1>",
        f'<p class="meta">Period: {escape(period.describe())} (London time). '
        f"Made on {escape(report.made.strftime('%d %B %Y at %H:%M'))}. "
        f"Pathways: {escape(names)}.</p>",
        f'<p class="rule"><strong>Small numbers.</strong> {escape(SUPPRESSION_RULE)}</p>',
        "</header>",
        "<main>",
    ]
    for section in report.sections:
        parts.extend(_section(section, len(period.quarters) < 4))
    parts += [
        "</main>",
        "<footer>",
        "<p>Made by the pathways tool from the journey store. Figures count journeys by their "
        "events; they describe how the pathway ran, not any one person. "
        "See docs/board-report.md for what each figure means.</p>",
        "</footer>",
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(parts)


#: Said under a short period's figures when some are not shown.
WIDER = (
    "Some figures are not shown because this period holds too few journeys. A longer period "
    "counts more: pathways report --period half-year (or year, or a half-year such as "
    "2021H1)."
)


def _section(section: Section, short: bool) -> list[str]:
    cls = "status agreed" if section.status == "agreed" else "status"
    lines = [
        f'<section id="{escape(section.id)}">',
        f"<h2>{escape(section.title)}</h2>",
        f'<p class="meta">Area: {escape(section.area)}. Pathway {escape(section.id)}, '
        f"version {escape(section.version)}.</p>",
        f'<p class="{cls}" data-status="{escape(section.status)}">'
        f"<strong>{escape(section.status_heading)}.</strong> {escape(section.status_words)}</p>",
        "<h3>The quarter's figures</h3>",
    ]
    for table in section.tables:
        lines.extend(_table(table))
    hiding = any(c.status == "not-shown" for t in section.tables for r in t.rows for c in r.cells)
    if short and hiding:
        lines.append(f'<p class="rule wider">{escape(WIDER)}</p>')
    lines.extend(_findings(section))
    lines.append("<h3>The pathway</h3>")
    if section.diagram is not None:
        lines.append(
            f'<div class="diagram" aria-label="Diagram of {escape(section.title)}">'
            f"{section.diagram}</div>"
        )
        lines.append(
            '<p class="note">Boxes are stages, diamonds are decisions, rounded green boxes are '
            "outcomes; anything the checks found is outlined in red. Zoom in to read the words, "
            "or read the list of stages below.</p>"
        )
    else:
        lines.append(f'<p class="note">{escape(section.diagram_note or "")}</p>')
    lines.append("<p>Its stages:</p>")
    lines.append('<ol class="stages">')
    lines.extend(f"<li>{escape(title)}</li>" for title in section.stages)
    lines += ["</ol>", "</section>"]
    return lines


def _table(table: Table) -> list[str]:
    head = "".join(f'<th scope="col">{escape(words)}</th>' for _, words in table.columns)
    lines = [
        f'<h4 id="{escape(table.key)}">{escape(table.title)}</h4>',
        f'<p class="explains">{escape(table.explains)}</p>',
        f'<table data-table="{escape(table.key)}">',
        f'<thead><tr><th scope="col"></th>{head}</tr></thead>',
        "<tbody>",
    ]
    for row in table.rows:
        cls = ' class="total"' if row.key == "all" else ""
        cells = "".join(
            f'<td class="n {cell.status}" data-table="{escape(table.key)}" '
            f'data-row="{escape(row.key)}" data-column="{escape(cell.column)}">'
            f"{escape(cell.text)}</td>"
            for cell in row.cells
        )
        lines.append(f'<tr{cls}><th scope="row">{escape(row.label)}</th>{cells}</tr>')
    lines += ["</tbody>", "</table>"]
    if table.note:
        lines.append(f'<p class="note">{escape(table.note)}</p>')
    lines.extend(f'<p class="note hidden">{escape(words)}</p>' for words in table.hidden)
    return lines


def _findings(section: Section) -> list[str]:
    open_ = [f for f in section.findings if f.accepted is None]
    accepted = [f for f in section.findings if f.accepted is not None]
    lines = [
        "<h3>What the checks found</h3>",
        f"<p>{len(open_)} finding(s) to act on and {len(accepted)} accepted by the forum, "
        "from <code>pathways check</code> run on this pathway.</p>",
    ]
    if not section.findings:
        return lines
    lines += [
        '<table class="findings">',
        '<thead><tr><th scope="col">severity</th><th scope="col">where</th>'
        '<th scope="col">what was found</th><th scope="col">rule</th></tr></thead>',
        "<tbody>",
    ]
    for finding in [*open_, *accepted]:
        level = "accepted" if finding.accepted is not None else finding.severity
        words = escape(finding.message)
        if finding.accepted is not None:
            words += f"<br><em>Accepted by the forum: {escape(finding.accepted)}</em>"
        lines.append(
            f'<tr><td class="severity {escape(level)}">{escape(level)}</td>'
            f"<td>{escape(finding.subject)}</td><td>{words}</td>"
            f"<td><code>{escape(finding.rule)}</code></td></tr>"
        )
    lines += ["</tbody>", "</table>"]
    return lines
