"""Put a board report together: for each pathway, its diagram, its check findings and figures.

```python
from pathways.board import build_report, parse_period
report = build_report(store, [pathway], parse_period("2021Q3"), at=now)
```

Journeys are read from the store a page at a time, by the pathway's id (any stored version);
only those opened before the period ended and not closed before it began are read. Each is
walked on the version it is stored on. Nothing that names a journey leaves this module.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from html import escape

from pathways.board.conformity import conformance_tables
from pathways.board.figures import figures, walk
from pathways.board.lifecycle import lifecycle_table
from pathways.board.outline import Outline, outline
from pathways.board.period import Period
from pathways.board.style import DIAGRAM_MARGINS
from pathways.board.suppress import Table
from pathways.checks import check
from pathways.definition.schema import Pathway
from pathways.diagram import Diagram
from pathways.diagram.geometry import Sheet
from pathways.runtime.journey import Journey
from pathways.store import JourneyStore

__all__ = [
    "STATUS_WORDS",
    "BoardReport",
    "Drawing",
    "FindingLine",
    "Section",
    "build_report",
    "inline_svg",
]

_EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)

#: What each pathway status means: a heading and the words shown at the top of the report.
STATUS_WORDS = {
    "illustrative": (
        "Illustrative model",
        "This pathway is an illustrative model built from public national guidance. It is not "
        "the partnership's agreed pathway, and the figures below are counted against the model.",
    ),
    "draft": (
        "Draft",
        "This pathway has not yet been agreed by the partnership; the figures below are "
        "counted against the draft.",
    ),
    "agreed": ("Agreed", "This is the pathway the partnership has agreed."),
}


@dataclass(frozen=True, slots=True)
class FindingLine:
    """One check finding as the board reads it."""

    severity: str
    rule: str
    subject: str
    message: str
    accepted: str | None


@dataclass(frozen=True, slots=True)
class Drawing:
    """One printed page of one track's diagram, as inline SVG at the size it prints.

    `paper` names the sheet it prints on ("A4 portrait", "A4 landscape", "A3 ..."): the
    smallest on which the board layout keeps every word at 9 points or more. `part` and
    `parts` number the pages of a track too long for one.
    """

    track: str
    svg: str
    paper: str = "A4 portrait"
    part: int = 1
    parts: int = 1


@dataclass(frozen=True, slots=True)
class Section:
    """Everything the report shows for one pathway."""

    id: str
    title: str
    area: str
    version: str
    status: str
    diagrams: tuple[Drawing, ...]
    diagram_note: str | None
    findings: tuple[FindingLine, ...]
    tables: tuple[Table, ...]
    stages: tuple[str, ...]
    outline: Outline

    @property
    def status_heading(self) -> str:
        return STATUS_WORDS.get(self.status, (self.status, ""))[0]

    @property
    def status_words(self) -> str:
        return STATUS_WORDS.get(self.status, ("", self.status))[1]


@dataclass(frozen=True, slots=True)
class BoardReport:
    """A quarter's report on one or more pathways, made at `made`."""

    period: Period
    made: datetime
    sections: tuple[Section, ...]


def build_report(
    store: JourneyStore,
    pathways: Sequence[Pathway],
    period: Period,
    *,
    at: datetime,
    diagram: bool = True,
) -> BoardReport:
    """The report for `pathways` over `period`; `at` is when it was made (shown on it).

    With `diagram` false (or without matplotlib) the report lists the stages instead.
    """
    sections = []
    for pathway in pathways:
        loaded = list(_journeys(store, pathway.id, period))
        facts = [walk(journey.compiled, journey.history, period) for _, journey in loaded]
        histories = [(case_ref, journey.history) for case_ref, journey in loaded]
        pictures, note = _diagrams(pathway) if diagram else ((), "The diagram was not drawn.")
        sections.append(
            Section(
                id=pathway.id,
                title=pathway.title,
                area=pathway.area,
                version=pathway.version,
                status=pathway.status,
                diagrams=pictures,
                diagram_note=note,
                findings=_findings(pathway),
                tables=(
                    *figures(pathway, facts, period),
                    *conformance_tables(pathway, histories, period),
                    lifecycle_table([events for _, events in histories], period),
                ),
                stages=tuple(stage.title for stage in pathway.stages.values()),
                outline=outline(pathway),
            )
        )
    return BoardReport(period, at, tuple(sections))


def _journeys(
    store: JourneyStore, pathway_id: str, period: Period
) -> Iterator[tuple[str, Journey]]:
    """The journeys of `pathway_id` open at some time in `period`, with their histories."""
    after: str | None = None
    while True:
        page = store.find(pathway=pathway_id, opened=(_EARLIEST, period.end), after=after)
        for summary in page.items:
            if summary.closed_at is not None and summary.closed_at < period.start:
                continue
            yield summary.case_ref, store.load(summary.case_ref)
        if page.next is None:
            return
        after = page.next


def _findings(pathway: Pathway) -> tuple[FindingLine, ...]:
    report = check(pathway, with_metrics=False)
    return tuple(
        FindingLine(str(f.severity), f.rule, f.subject, f.message, f.suppressed)
        for f in report.findings
    )


def _diagrams(pathway: Pathway) -> tuple[tuple[Drawing, ...], str | None]:
    """Each track in the board layout, a printed page at a time, or why it could not be drawn.

    A track a drawing, and a long track cut between its rows onto numbered pages: the whole
    pathway on one sheet would print its words too small to read.
    """
    from pathways.diagram import DiagramTooLarge, build, flagged_by_checks
    from pathways.diagram.svg import svg

    whole = build(pathway, lanes="track", flagged=flagged_by_checks(pathway))
    whole = replace(whole, highlighted=True)
    slug = re.sub(r"[^a-z0-9]+", "-", pathway.id)
    drawings = []
    try:
        for number, lane in enumerate(whole.lanes, start=1):
            nodes = whole.lane_nodes(lane.id)
            names = {node.id for node in nodes}
            links = tuple(
                link for link in whole.links if link.source in names and link.target in names
            )
            part = replace(
                whole,
                title=lane.title,
                lanes=(lane,),
                nodes=nodes,
                links=links,
            )
            sheet = _on_a4(part)
            count = len(sheet.pages)
            for page in range(count):
                label = f"Diagram of {pathway.title}, {lane.title}, page {page + 1} of {count}"
                ident = f"diagram-{slug}-{number}-{page + 1}"
                picture = inline_svg(svg(sheet, page=page), ident, label)
                drawings.append(Drawing(lane.title, picture, sheet.paper.name, page + 1, count))
    except DiagramTooLarge as exc:
        return (), f"The diagram could not be drawn here: {exc}."
    return tuple(drawings), None


def _on_a4(diagram: Diagram) -> Sheet:
    """The board layout on A4 at full size (one page if it fits, else the fewest pages), or
    on the paper the layout chooses when the drawing is too wide for A4 at full size; laid
    out for what the report's page margins leave of the paper, so no page runs over."""
    from pathways.diagram import board_layout
    from pathways.diagram.geometry import PAPERS, Paper

    top, right, bottom, left = DIAGRAM_MARGINS
    papers = [  # what the report's page margins leave of each paper
        Paper(p.name, p.width - left - right, p.height - top - bottom, p.margin) for p in PAPERS
    ]
    fitting = [
        sheet
        for sheet in (board_layout(diagram, paper) for paper in papers if paper.name[:2] == "A4")
        if sheet.scale == 1.0
    ]
    if not fitting:
        sheets = [board_layout(diagram, paper) for paper in papers]
        return min(sheets, key=lambda sheet: (sheet.scale < 1.0, len(sheet.pages)))
    return min(fitting, key=lambda sheet: len(sheet.pages))


def inline_svg(svg: str, ident: str, label: str = "Pathway diagram") -> str:
    """An SVG file's text made fit to sit inside HTML: no XML prologue, every id prefixed
    with `ident` (so several drawings can share a page), and `label` as its accessible name."""
    body = svg[svg.index("<svg") :]
    body = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{ident}-{m.group(1)}"', body)
    body = body.replace("url(#", f"url(#{ident}-")
    named = f'<svg id="{ident}" role="img" aria-label="{escape(label)}"'
    body = named + body[len("<svg") :].replace(' role="img"', "", 1)
    return body.strip()
