"""The board layout: a `Diagram` laid out top to bottom, lanes side by side, for print.

```python
from pathways.diagram import build
from pathways.diagram.board_layout import board_layout
sheet = board_layout(build(pathway, lanes="agency"))
sheet.width, sheet.height, sheet.paper.name
```

What a board reads: each stage a box (a decision a diamond, an outcome a rounded box) with
its title, owner and time limit in full; where a stage's handoffs branch on the victim's
profile (age group, consent, any attribute a condition tests first), a diamond asks the
question ("Age group?") and each answer is an arrow of its own; a dotted arrow joins each
parallel track to the stage that starts it. Text is never smaller than 9 points and never
cut: it is wrapped, and boxes grow to fit it. A lane filled by many agencies is titled with
how many there are, and they are listed in a note under the drawing.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from pathways.diagram.fonts import line_height, text_width, wrap
from pathways.diagram.geometry import (
    HEADER_ROOM,
    PAPERS,
    Arrow,
    Band,
    Line,
    Paper,
    Rect,
    Shape,
    ShapeKind,
    Sheet,
    Text,
)
from pathways.diagram.picture import Diagram, Lane, Link, Node
from pathways.diagram.routing import count_crossings
from pathways.diagram.sugiyama import Item, Placed, Wire, arrange

__all__ = ["KEY", "MANY_AGENCIES", "board_layout"]

#: A lane filled by more agencies than this lists them in a note, not in its title.
MANY_AGENCIES = 3
#: What the line styles mean, printed under every drawing.
KEY = (
    "Thick outline: where every journey starts. Diamond: a decision, or a question about the "
    "victim. Rounded box: an outcome. Dashed arrow: happens by itself when its time limit runs "
    "out. Dotted arrow: starts a parallel track."
)
_FINDINGS_KEY = 'Red outline and the words "found by pathways check": what the checks found.'

_TITLE, _HEADING, _BODY = 10.0, 14.0, 9.0
_BOX_TEXT, _DIAMOND_TEXT, _LABEL_TEXT, _LANE_TEXT = 150.0, 110.0, 120.0, 150.0
_PAD = 6.0
_WIDEST_LANE = 500.0  # boxes side by side in a lane, at most: a lane fits any page's width
_NOTE_WIDTH = 400.0  # the heading and notes, so they never stop a page being cut
_LANE_PAD = 10.0


@dataclass(frozen=True, slots=True)
class _Node:
    id: str
    kind: ShapeKind
    lines: tuple[Line, ...]
    lane: int
    entry: bool = False
    flagged: bool = False


def _block(lines: Sequence[Line]) -> tuple[float, float]:
    width = max((text_width(ln.text, ln.size, ln.bold) for ln in lines), default=0.0)
    return width, sum(line_height(ln.size) for ln in lines)


def _wrapped(text: str, size: float, width: float, bold: bool = False) -> list[Line]:
    return [Line(part, size, bold) for part in wrap(text, size, width, bold)]


def _stage_lines(node: Node) -> tuple[Line, ...]:
    width = _DIAMOND_TEXT if node.shape == "decision" else _BOX_TEXT
    lines = _wrapped(node.title, _TITLE, width, bold=True)
    parts = node.detail.split(" · ") + (["found by pathways check"] if node.flagged else [])
    for part in parts:
        lines += _wrapped(part, _BODY, width)
    return tuple(lines)


def _shape_size(kind: ShapeKind, lines: Sequence[Line]) -> tuple[float, float]:
    width, height = _block(lines)
    if kind in ("decision", "question"):
        return 2 * (width + 2 * _PAD), 2 * (height + _PAD)
    side = 2 * _PAD + (4.0 if kind == "outcome" else 0.0)
    return width + 2 * side, height + 2 * _PAD


def _label_lines(link: Link, asked: bool) -> tuple[Line, ...]:
    words = list(link.lines)
    if asked and link.answer is not None:
        words = [link.answer] + [w for w in words if not w.startswith("if ")]
    lines: list[Line] = []
    for index, word in enumerate(words):
        lines += _wrapped(word, _BODY, _LABEL_TEXT, bold=index == 0 and asked)
    return tuple(lines)


def _question(asks: str) -> str:
    words = asks.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:] + "?"


def _lane_title(lane: Lane, notes: list[str]) -> str:
    if len(lane.members) <= MANY_AGENCIES:
        return lane.title
    notes.append(f"{lane.role}: {', '.join(lane.members)}.")
    return f"{lane.role} ({len(lane.members)} agencies, listed in note {len(notes)})"


def _graph(diagram: Diagram) -> tuple[list[_Node], list[tuple[Link, str, str, bool]]]:
    """The stages plus a question for each profile branch, and the arrows between them."""
    lane_index = {lane.id: n for n, lane in enumerate(diagram.lanes)}
    nodes = [
        _Node(n.id, n.shape, _stage_lines(n), lane_index[n.lane], n.entry, n.flagged)
        for n in diagram.nodes
    ]
    lane_of = {n.id: lane_index[n.lane] for n in diagram.nodes}
    groups: dict[tuple[str, str], list[Link]] = {}
    for link in diagram.links:
        if link.kind == "handoff" and link.asks is not None and link.source != link.target:
            groups.setdefault((link.source, link.asks), []).append(link)
    asked = {key for key, members in groups.items() if len(members) > 1}
    edges: list[tuple[Link, str, str, bool]] = []
    for source, asks in sorted(asked, key=lambda k: [n.id for n in diagram.nodes].index(k[0])):
        key = f"{source}?{asks}"
        lines = tuple(_wrapped(_question(asks), _TITLE, _DIAMOND_TEXT, bold=True))
        nodes.append(_Node(key, "question", lines, lane_of[source]))
        first = groups[(source, asks)][0]
        edges.append((Link(first.handoff, source, key, ()), source, key, False))
    joined: set[str] = set()
    for link in diagram.links:
        if link.kind == "starts":
            if link.target in joined:
                continue  # one dotted arrow a track; the other handoffs say "starts ..."
            joined.add(link.target)
        if link.kind == "handoff" and (link.source, link.asks) in asked:
            edges.append((link, f"{link.source}?{link.asks}", link.target, True))
        else:
            edges.append((link, link.source, link.target, False))
    return nodes, edges


def board_layout(diagram: Diagram, paper: Paper | None = None) -> Sheet:
    """`diagram` laid out top to bottom for print; see the module's docstring.

    It is printed on `paper`, or else on the paper that needs the fewest pages with no text
    under 9 points (the smaller paper when two need as many).
    """
    nodes, edges = _graph(diagram)
    notes: list[str] = []
    lane_titles = [
        tuple(_wrapped(_lane_title(lane, notes), _TITLE, _LANE_TEXT, bold=True))
        for lane in diagram.lanes
    ]
    sizes = {node.id: _shape_size(node.kind, node.lines) for node in nodes}
    labels = [_label_lines(link, asked) if link.lines else () for link, _, _, asked in edges]
    items = [Item(n.id, *sizes[n.id], n.lane) for n in nodes]
    wires = [
        Wire(source, target, _label_size(label) if label else None)
        for (_, source, target, _), label in zip(edges, labels, strict=True)
    ]
    minimum = [_block(lines)[0] + 2 * _LANE_PAD for lines in lane_titles]
    placed = min(
        (arrange(items, wires, minimum, follow, _WIDEST_LANE) for follow in ("source", "target")),
        key=lambda p: (count_crossings(p.routes), p.width * p.height),
    )
    words = [KEY] + ([_FINDINGS_KEY] if diagram.highlighted else [])
    words += [f"Note {n}. {text}" for n, text in enumerate(notes, start=1)]
    heading = (
        diagram.title if diagram.for_whom is None else (f"{diagram.title}: for {diagram.for_whom}")
    )
    parts = _Parts(heading, diagram.lanes, lane_titles, nodes, sizes, edges, labels, words)
    if paper is not None:
        return _sheet(parts, placed, paper)
    sheets = [_sheet(parts, placed, candidate) for candidate in PAPERS]
    return min(sheets, key=lambda sheet: (sheet.scale < 1.0, len(sheet.pages)))


@dataclass(frozen=True, slots=True)
class _Parts:
    heading: str
    lanes: tuple[Lane, ...]
    lane_titles: list[tuple[Line, ...]]
    nodes: list[_Node]
    sizes: dict[str, tuple[float, float]]
    edges: list[tuple[Link, str, str, bool]]
    labels: list[tuple[Line, ...]]
    notes: list[str]


def _sheet(parts: _Parts, placed: Placed, paper: Paper) -> Sheet:
    """The placed drawing with its heading, lane titles and notes, cut into pages of `paper`."""
    width = max(placed.width, 300.0)
    column = min(width, _NOTE_WIDTH)
    heading = tuple(_wrapped(parts.heading, _HEADING, column - 2 * _PAD, bold=True))
    head_h = _block(heading)[1] + 2 * _PAD
    lane_h = max((_block(lines)[1] for lines in parts.lane_titles), default=0.0) + 2 * _PAD
    top = head_h + lane_h
    shapes = _shapes(parts.nodes, parts.sizes, placed.centres, top)
    arrows = _arrows(parts.edges, parts.labels, placed.routes, placed.labels, top)
    body_bottom = top + placed.height + _PAD * 2
    bands = tuple(
        Band(
            lane.id,
            Rect(left, head_h, right - left, body_bottom - head_h),
            _lane_text(lines, left, right, head_h, lane_h),
        )
        for lane, (left, right), lines in zip(
            parts.lanes, placed.lanes, parts.lane_titles, strict=True
        )
    )
    note_texts: list[Text] = []
    y = body_bottom + _PAD
    for text in parts.notes:
        lines = tuple(_wrapped(text, _BODY, column - 2 * _PAD))
        height = _block(lines)[1]
        note_texts.append(Text(Rect(_PAD, y, column - 2 * _PAD, height), lines, "left"))
        y += height + _PAD
    title = Text(Rect(_PAD, _PAD, column - 2 * _PAD, head_h - 2 * _PAD), heading, "left")
    cuts = [head_h, top] + [top + b + 9.0 for _, b in placed.ranks]
    cuts += [note.rect.bottom + _PAD / 2 for note in note_texts]
    solid = [title.rect, *(n.rect for n in note_texts), *(s.rect for s in shapes)]
    solid += [band.title.rect for band in bands]
    solid += [a.label.rect for a in arrows if a.label is not None]
    whole = Rect(0.0, 0.0, width, y)
    header = lane_h - 2 * _PAD + HEADER_ROOM
    scale, pages = _paginate(solid, arrows, cuts, whole, paper, header)
    return Sheet(width, y, title, bands, shapes, arrows, tuple(note_texts), paper, scale, pages)


def _label_size(lines: Sequence[Line]) -> tuple[float, float]:
    width, height = _block(lines)
    return width + 4.0, height + 4.0


def _shapes(
    nodes: Sequence[_Node],
    sizes: dict[str, tuple[float, float]],
    centres: dict[str, tuple[float, float]],
    top: float,
) -> tuple[Shape, ...]:
    shapes: list[Shape] = []
    for node in nodes:
        width, height = sizes[node.id]
        cx, cy = centres[node.id]
        rect = Rect(cx - width / 2, top + cy - height / 2, width, height)
        if node.kind in ("decision", "question"):
            inner = Rect(rect.x + width / 4, rect.y + height / 4, width / 2, height / 2)
        else:
            side = (width - _block(node.lines)[0]) / 2
            inner = Rect(rect.x + side, rect.y + _PAD, width - 2 * side, height - 2 * _PAD)
        shapes.append(
            Shape(node.id, node.kind, rect, Text(inner, node.lines), node.entry, node.flagged)
        )
    return tuple(shapes)


def _arrows(
    edges: Sequence[tuple[Link, str, str, bool]],
    labels: Sequence[tuple[Line, ...]],
    routes: Sequence[tuple[tuple[float, float], ...]],
    boxes: Sequence[tuple[float, float, float, float] | None],
    top: float,
) -> tuple[Arrow, ...]:
    arrows: list[Arrow] = []
    for (link, source, target, _), lines, route, box in zip(
        edges, labels, routes, boxes, strict=True
    ):
        label = None
        if box is not None and lines:
            x, y, w, h = box
            label = Text(Rect(x + 2, top + y + 2, w - 4, h - 4), lines, "left")
        style: Literal["solid", "dashed", "dotted"] = "solid"
        if link.kind == "starts":
            style = "dotted"
        elif link.timeout:
            style = "dashed"
        points = tuple((x, top + y) for x, y in route)
        arrows.append(Arrow(source, target, link.handoff, points, label, style, link.flagged))
    return tuple(arrows)


def _lane_text(
    lines: tuple[Line, ...], left: float, right: float, top: float, height: float
) -> Text:
    """A lane's title, centred at the top of the lane, as wide as its widest line."""
    width = _block(lines)[0]
    return Text(Rect((left + right - width) / 2, top + _PAD, width, height - 2 * _PAD), lines)


def _paginate(
    solid: Sequence[Rect],
    arrows: Sequence[Arrow],
    cuts: Sequence[float],
    whole: Rect,
    paper: Paper,
    header: float,
) -> tuple[float, tuple[Rect, ...]]:
    """The scale (1.0 unless some row cannot be cut between boxes and labels) and the pages
    of `paper`: rows cut after a rank, each row cut where no box or text is; every row after
    the first leaves `header` points at its top for the lane titles repeated there."""
    width, height = whole.width, whole.height
    content = list(solid)
    for arrow in arrows:
        for (x0, y0), (x1, y1) in itertools.pairwise(arrow.points):
            content.append(Rect(min(x0, x1), min(y0, y1), abs(x1 - x0) + 1, abs(y1 - y0) + 1))
    scale = 1.0
    for _ in range(8):  # shrink only if some row cannot be cut between boxes and labels
        rows = [
            (y0, y1, _spans([r for r in solid if r.overlaps(Rect(0.0, y0, width, y1 - y0))]))
            for y0, y1 in _rows(cuts, paper.usable[1] / scale, height, header)
        ]
        widest = max((b - a for _, _, spans in rows for a, b in spans), default=0.0)
        if widest <= paper.usable[0] / scale + 1e-6:
            break
        scale = paper.usable[0] / widest
    pages: list[Rect] = []
    for y0, y1, spans in rows:
        for x0, x1 in _columns(spans, width, paper.usable[0] / scale):
            page = Rect(x0, y0, x1 - x0, y1 - y0)
            if any(page.overlaps(r) for r in content):
                pages.append(page)
    return scale, tuple(pages)


def _spans(blocks: Sequence[Rect]) -> list[tuple[float, float]]:
    """The runs of x that some box or text in `blocks` covers, left to right."""
    spans: list[list[float]] = []
    for left, right in sorted((r.x, r.right) for r in blocks):
        if spans and left < spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], right)
        else:
            spans.append([left, right])
    return [(left, right) for left, right in spans]


def _columns(
    spans: Sequence[tuple[float, float]], width: float, page: float
) -> list[tuple[float, float]]:
    """Slices of `width` no wider than `page`, cut outside `spans` (none is wider than a page)."""
    columns: list[tuple[float, float]] = []
    start = 0.0
    while width - start > page + 1e-6:
        cut = start + page
        for left, right in spans:
            if left < cut < right and left > start + 1e-6:
                cut = left
                break
        columns.append((start, cut))
        start = cut
    columns.append((start, width))
    return columns


def _rows(
    cuts: Sequence[float], page: float, bottom: float, header: float
) -> list[tuple[float, float]]:
    """Slices no taller than `page` (after the first, `header` less), each cut in the space
    after a rank or a note."""
    rows: list[tuple[float, float]] = []
    start = 0.0
    room = page
    while bottom - start > room + 1e-6:
        fitting = [c for c in cuts if start < c <= start + room]
        end = max(fitting) if fitting else start + room
        rows.append((start, end))
        start = end
        room = page - header
    rows.append((start, bottom))
    return rows
