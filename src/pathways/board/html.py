"""A board report as one self-contained HTML page: inline CSS and SVG, nothing fetched.

```python
page = to_html(report)
Path("report.html").write_text(page, encoding="utf-8")
```

The page has no scripts, no web fonts, no images other than the inline SVG diagrams, and a
Content-Security-Policy that forbids loading anything, so it opens the same offline, from an
email attachment or a shared drive. Each figure's cell carries `data-table`, `data-row` and
`data-column`, the same keys as the CSV and JSON. It prints on A4 (see `board.style`), each
track's diagram on a landscape page of its own, and every diagram is followed by the same
information as a table (`board.outline`) for readers who cannot see it.
"""

from __future__ import annotations

import re
from html import escape

from pathways.board.build import BoardReport, Section
from pathways.board.outline import Outline, StageLine
from pathways.board.style import CSS
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
        f"<style>{CSS}</style>",
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
        "<p>This report was made by <em>pathways</em>, an open-source tool, from the records "
        "that the partnership's case system keeps of each person's journey through the "
        "referral pathway. The figures describe how the pathway ran, never any one person: "
        "no name or case reference is in this report, and every count is rounded as the box "
        "at the top explains. Each table says what it counts. Questions about the figures "
        "go to the forum lead who sent the report.</p>",
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
    lines.extend(_pathway(section))
    lines.append("</section>")
    return lines


def _pathway(section: Section) -> list[str]:
    lines = ['<div class="block">', "<h3>The pathway</h3>"]
    if section.diagrams:
        lines.append(
            '<p class="note">Each track of the pathway is drawn on pages of its own, from top '
            "to bottom; a long track carries on over numbered pages. Boxes are stages, diamonds "
            "are decisions or questions about the victim, rounded boxes are outcomes; anything "
            "the checks found has a red outline and a ! before its title, and is listed under "
            "<em>What the checks found</em>. The same information is in the table after the "
            "diagrams.</p>",
        )
    else:
        lines.append(f'<p class="note">{escape(section.diagram_note or "")}</p>')
    lines.append("</div>")
    for drawing in section.diagrams:
        paper = _slug(drawing.paper)
        part = f", page {drawing.part} of {drawing.parts}" if drawing.parts > 1 else ""
        lines.append(
            f'<figure class="diagram {paper}" tabindex="0">'
            f"<figcaption>Track: {escape(drawing.track)}{part}</figcaption>{drawing.svg}</figure>"
        )
    lines.extend(_outline(_slug(section.id), section.outline))
    return lines


def _outline(ident: str, outline: Outline) -> list[str]:
    """The diagram as a table: a row a stage, a group of rows a track, with where each stage
    leads and whose routes pass through it."""
    lines = [
        '<div class="block">',
        f'<h4 id="{ident}-stages">The stages and where they lead</h4>',
        '<p class="explains">The diagrams as words: every stage, track by track in the order '
        "the pathway file lists them, with who owns it, its time limit, the stages it leads "
        "to, and the victims whose route passes through it.</p>",
        "</div>",
        '<table class="outline"><colgroup><col class="stage"><col class="kind"><col class="who">'
        '<col class="limit"><col class="leads"><col class="whom"></colgroup>',
        '<thead><tr><th scope="col">stage</th><th scope="col">kind</th>'
        '<th scope="col">who</th><th scope="col">time limit</th>'
        '<th scope="col">leads to</th><th scope="col">on the route of</th></tr></thead>',
    ]
    tracks = list(dict.fromkeys(stage.track for stage in outline.stages))
    for track in tracks:
        lines.append(
            '<tbody><tr class="track"><th scope="rowgroup" colspan="6">'
            f"Track: {escape(track)}</th></tr>"
        )
        for stage in outline.stages:
            if stage.track == track:
                lines.append(_stage_row(ident, stage))
        lines.append("</tbody>")
    lines.append("</table>")
    return lines


def _stage_row(ident: str, stage: StageLine) -> str:
    leads = "".join(f"<li>{escape(words)}</li>" for words in stage.leads_to)
    return (
        f'<tr id="{ident}-stage-{_slug(stage.id)}">'
        f'<th scope="row">{escape(stage.title)}</th><td>{escape(stage.kind)}</td>'
        f"<td>{escape(stage.owner)}</td><td>{escape(stage.within)}</td>"
        f"<td>{f'<ul>{leads}</ul>' if leads else 'nowhere: the journey ends here'}</td>"
        f"<td>{escape(stage.for_whom)}</td></tr>"
    )


def _table(table: Table) -> list[str]:
    head = "".join(f'<th scope="col">{escape(words)}</th>' for _, words in table.columns)
    lines = [
        '<div class="block">',
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
    lines.append("</div>")
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
            f"<td>{_where(section, finding.subject)}</td><td>{words}</td>"
            f"<td><code>{escape(finding.rule)}</code></td></tr>"
        )
    lines += ["</tbody>", "</table>"]
    return lines


def _where(section: Section, subject: str) -> str:
    """A finding's subject, linked to its stage's row in the table of stages when it is one."""
    kind, _, name = subject.partition(" ")
    if kind != "stage" or name not in {line.id for line in section.outline.stages}:
        return escape(subject)
    return f'<a href="#{_slug(section.id)}-stage-{_slug(name)}">{escape(subject)}</a>'


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
