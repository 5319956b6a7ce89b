"""The explorer's diagram: an SVG that the page's script can highlight and that a keyboard
can walk, one focusable group per stage.

```python
from pathways.diagram import build
from pathways.explorer.drawing import drawing
svg = drawing(build(pathway, flagged=flagged_by_checks(pathway)))
```

Boxes sit where `pathways.diagram.layout` puts them (a column per step, a band per lane), as
in the SVG that `pathways diagram` draws; this module only writes them as markup the page can
work with. Each stage is a `<g class="stage" data-stage="...">` with `tabindex="0"`,
`role="button"` and a name a screen reader reads out; each arrow a `<path class="link">` with
`data-handoff`, `data-from` and `data-to`. The words on the arrows are in the stage details
the page shows, not on the picture. Nothing here depends on matplotlib.
"""

from __future__ import annotations

import math
import textwrap
from html import escape

from pathways.diagram import Diagram, Node
from pathways.diagram.layout import Layout, layout

__all__ = ["drawing"]

_COL, _ROW = 270.0, 150.0  # pixels between columns and between rows
_BOX_W, _BOX_H = 210.0, 92.0
_DIAMOND_W, _DIAMOND_H = 240.0, 120.0
_LEFT, _TOP = 190.0, 16.0  # room for the lane titles, and above the first row


def _centre(cells: Layout, name: str) -> tuple[float, float]:
    col, row = cells.cells[name]
    return _LEFT + col * _COL + _COL / 2, _TOP + row * _ROW + _ROW / 2


def _half(node: Node) -> tuple[float, float]:
    if node.shape == "decision":
        return _DIAMOND_W / 2, _DIAMOND_H / 2
    return _BOX_W / 2, _BOX_H / 2


def _edge_point(node: Node, x: float, y: float, dx: float, dy: float) -> tuple[float, float]:
    """Where a line from the centre (x, y) in direction (dx, dy) leaves the node's shape."""
    hw, hh = _half(node)
    if dx == 0 and dy == 0:
        return x, y
    if node.shape == "decision":
        t = 1 / (abs(dx) / hw + abs(dy) / hh)
    else:
        t = min(hw / abs(dx) if dx else math.inf, hh / abs(dy) if dy else math.inf)
    return x + dx * t, y + dy * t


def _shape(node: Node, x: float, y: float) -> str:
    hw, hh = _half(node)
    if node.shape == "decision":
        points = f"{x - hw},{y} {x},{y - hh} {x + hw},{y} {x},{y + hh}"
        halo = f"{x - hw - 9},{y} {x},{y - hh - 9} {x + hw + 9},{y} {x},{y + hh + 9}"
        return f'<polygon class="halo" points="{halo}"/><polygon class="shape" points="{points}"/>'
    radius = 22 if node.shape == "outcome" else 3
    return (
        f'<rect class="halo" x="{x - hw - 7}" y="{y - hh - 7}" width="{2 * hw + 14}" '
        f'height="{2 * hh + 14}" rx="{radius + 6}"/>'
        f'<rect class="shape" x="{x - hw}" y="{y - hh}" width="{2 * hw}" height="{2 * hh}" '
        f'rx="{radius}"/>'
    )


def _words(node: Node, x: float, y: float) -> str:
    width = 20 if node.shape == "decision" else 26
    title = textwrap.wrap(node.title, width)[:4]
    detail = textwrap.shorten(node.detail, 34 if node.shape == "decision" else 40, placeholder="…")
    top = y - (len(title) * 15) / 2 - 2
    lines = [
        f'<text class="title" x="{x}" y="{top + 12 + 15 * i}">{escape(line)}</text>'
        for i, line in enumerate(title)
    ]
    lines.append(f'<text class="detail" x="{x}" y="{top + 12 + 15 * len(title) + 2}">')
    lines.append(f"{escape(detail)}</text>")
    hw, hh = _half(node)
    lines.append(f'<text class="route-mark" x="{x - hw}" y="{y - hh - 12}">✓ on the route</text>')
    if node.flagged:
        lines.append(
            f'<text class="flag-mark" x="{x + hw}" y="{y - hh - 12}">⚠ found by the checks</text>'
        )
    return "".join(lines)


def _stage(node: Node, x: float, y: float) -> str:
    classes = ["stage", node.shape]
    if node.flagged:
        classes.append("flagged")
    if node.entry:
        classes.append("entry")
    return (
        f'<g class="{" ".join(classes)}" data-stage="{escape(node.id)}" tabindex="0" '
        'role="button">'
        f"{_shape(node, x, y)}{_words(node, x, y)}</g>"
    )


def _link(diagram: Diagram, cells: Layout, index: int) -> str:
    link = diagram.links[index]
    nodes = {node.id: node for node in diagram.nodes}
    (x1, y1), (x2, y2) = _centre(cells, link.source), _centre(cells, link.target)
    classes = "link" + (" automatic" if link.timeout else "") + (" flagged" if link.flagged else "")
    data = (
        f'data-handoff="{escape(link.handoff)}" data-from="{escape(link.source)}" '
        f'data-to="{escape(link.target)}"'
    )
    if link.source == link.target:
        hw = _half(nodes[link.source])[0]
        path = (
            f"M{x1 + hw},{y1 - 10} C{x1 + hw + 50},{y1 - 60} {x1 + hw + 50},{y1 + 60} "
            f"{x1 + hw},{y1 + 10}"
        )
        return f'<path class="{classes}" {data} d="{path}"/>'
    back = (link.source, link.target) in cells.back or x1 == x2
    bend = 0.3 if back else 0.0
    mx, my = (x1 + x2) / 2 - (y2 - y1) * bend, (y1 + y2) / 2 + (x2 - x1) * bend
    sx, sy = _edge_point(nodes[link.source], x1, y1, mx - x1, my - y1)
    tx, ty = _edge_point(nodes[link.target], x2, y2, mx - x2, my - y2)
    path = f"M{sx:.1f},{sy:.1f} Q{mx:.1f},{my:.1f} {tx:.1f},{ty:.1f}"
    return f'<path class="{classes}" {data} d="{path}"/>'


def drawing(diagram: Diagram) -> str:
    """`diagram` as inline SVG markup for the explorer page."""
    cells = layout(diagram)
    width = _LEFT + cells.columns * _COL + 40
    height = _TOP + cells.rows * _ROW + 20
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="diagram" viewBox="0 0 {width:.0f} '
        f'{height:.0f}" width="{width:.0f}" height="{height:.0f}" role="group" '
        f'aria-label="Diagram of {escape(diagram.title)}">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="11" '
        'markerHeight="11" markerUnits="userSpaceOnUse" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        'class="head"/></marker></defs>',
    ]
    for index, band in enumerate(cells.bands):
        top = _TOP + band.top * _ROW
        parts.append(
            f'<rect class="lane lane-{index % 2}" x="0" y="{top}" width="{width}" '
            f'height="{band.rows * _ROW}"/>'
        )
        title = textwrap.wrap(band.title, 24)[:6]
        first = top + band.rows * _ROW / 2 - (len(title) - 1) * 8
        parts.extend(
            f'<text class="lane-title" x="12" y="{first + 16 * i:.1f}">{escape(line)}</text>'
            for i, line in enumerate(title)
        )
    parts.extend(_link(diagram, cells, index) for index in range(len(diagram.links)))
    for node in diagram.nodes:
        x, y = _centre(cells, node.id)
        parts.append(_stage(node, x, y))
    parts.append("</svg>")
    return "".join(parts)
