"""The explorer's diagram: the board layout as an SVG that the page's script can highlight and
a keyboard can walk, one focusable group per stage.

```python
from pathways.diagram import board_layout, build
from pathways.explorer.drawing import drawing
svg = drawing(board_layout(build(pathway, flagged=flagged_by_checks(pathway))))
```

Every box, diamond, arrow and label sits where `pathways.diagram.board_layout` puts it (the
picture `pathways diagram --format svg` draws, with its guarantees: no arrow through a box it
does not join, no label over a box or another label, every word inside its box). This module
only writes it as markup the page can work with: each stage a `<g class="stage">` with
`data-stage`, `tabindex="0"` and `role="button"`; each question about the victim a
`<g class="question">`; each arrow a `<path class="link">` with `data-handoff`, `data-from`
(always a stage) and `data-to`, plus `data-via` when it leaves a question.
"""

from __future__ import annotations

from html import escape

from pathways.diagram.fonts import FAMILY, line_height
from pathways.diagram.geometry import Arrow, Rect, Shape, Sheet, Text

__all__ = ["ZOOM", "drawing"]

#: Screen pixels per point of the layout: the words read at their printed size or larger.
ZOOM = 1.3


def _n(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _text(text: Text, cls: str = "") -> str:
    out = []
    y = text.rect.y
    centre = text.align == "centre"
    x = text.rect.x + text.rect.width / 2 if centre else text.rect.x
    anchor = ' text-anchor="middle"' if centre else ""
    for line in text.lines:
        weight = ' font-weight="bold"' if line.bold else ""
        out.append(
            f'<text class="{cls}" x="{_n(x)}" y="{_n(y + 0.95 * line.size)}" '
            f'font-size="{_n(line.size)}"{anchor}{weight}>{escape(line.text)}</text>'
        )
        y += line_height(line.size)
    return "".join(out)


def _outline(shape: Shape, grow: float, cls: str) -> str:
    r = shape.rect
    x, y, w, h = r.x - grow, r.y - grow, r.width + 2 * grow, r.height + 2 * grow
    if shape.kind in ("decision", "question"):
        cx, cy = x + w / 2, y + h / 2
        points = f"{_n(cx)},{_n(y)} {_n(x + w)},{_n(cy)} {_n(cx)},{_n(y + h)} {_n(x)},{_n(cy)}"
        return f'<polygon class="{cls}" points="{points}"/>'
    radius = 12 + grow if shape.kind == "outcome" else max(grow, 0.0)
    return (
        f'<rect class="{cls}" x="{_n(x)}" y="{_n(y)}" width="{_n(w)}" height="{_n(h)}" '
        f'rx="{_n(radius)}"/>'
    )


def _badge(rect: Rect) -> str:
    """ "✓" in a circle on the top-left corner: on the route, without relying on colour."""
    x, y = rect.x + 2, rect.y + 2
    return (
        f'<g class="route-mark"><circle cx="{_n(x)}" cy="{_n(y)}" r="8"/>'
        f'<text x="{_n(x)}" y="{_n(y + 4)}" font-size="11" text-anchor="middle">✓</text></g>'
    )


def _shape(shape: Shape) -> str:
    classes: list[str] = [shape.kind]
    if shape.flagged:
        classes.append("flagged")
    if shape.entry:
        classes.append("entry")
    body = _outline(shape, 5.0, "halo") + _outline(shape, 0.0, "shape") + _text(shape.text)
    if shape.kind == "question":
        source = shape.id.split("?", 1)[0]
        return (
            f'<g class="question {" ".join(classes)}" data-question="{escape(shape.id)}" '
            f'data-from="{escape(source)}">{body}</g>'
        )
    return (
        f'<g class="stage {" ".join(classes)}" data-stage="{escape(shape.id)}" tabindex="0" '
        f'role="button">{body}{_badge(shape.rect)}</g>'
    )


def _arrow(arrow: Arrow) -> str:
    source = arrow.source.split("?", 1)[0]
    data = f'data-handoff="{escape(arrow.handoff)}" data-from="{escape(source)}"'
    classes = ["link", arrow.style]
    if "?" in arrow.target:
        classes.append("ask")
        data += f' data-question="{escape(arrow.target)}"'
    else:
        data += f' data-to="{escape(arrow.target)}"'
    if "?" in arrow.source:
        data += f' data-via="{escape(arrow.source)}"'
    if arrow.flagged:
        classes.append("flagged")
    points = " L".join(f"{_n(x)},{_n(y)}" for x, y in arrow.points)
    out = f'<path class="{" ".join(classes)}" {data} d="M{points}"/>'
    if arrow.label is not None:
        r = arrow.label.rect
        out += (
            f'<g class="label" {data}><rect x="{_n(r.x)}" y="{_n(r.y)}" width="{_n(r.width)}" '
            f'height="{_n(r.height)}"/>{_text(arrow.label)}</g>'
        )
    return out


def drawing(sheet: Sheet) -> str:
    """`sheet` as inline SVG markup for the explorer page."""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="diagram" role="group" '
        f'aria-labelledby="diagram-heading" width="{_n(sheet.width * ZOOM)}" '
        f'height="{_n(sheet.height * ZOOM)}" viewBox="0 0 {_n(sheet.width)} '
        f'{_n(sheet.height)}" font-family="{escape(FAMILY)}">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" '
        'markerHeight="8" markerUnits="userSpaceOnUse" orient="auto">'
        '<path class="head" d="M0,0 L10,5 L0,10 z"/></marker></defs>',
    ]
    for index, band in enumerate(sheet.bands):
        r = band.rect
        parts.append(
            f'<rect class="lane lane-{index % 2}" x="{_n(r.x)}" y="{_n(r.y)}" '
            f'width="{_n(r.width)}" height="{_n(r.height)}"/>'
        )
        parts.append(_text(band.title, "lane-title"))
    parts.append(_text(sheet.title, "sheet-title"))
    parts.extend(_arrow(arrow) for arrow in sheet.arrows)
    parts.extend(_shape(shape) for shape in sheet.shapes)
    parts.extend(_text(note, "note") for note in sheet.notes)
    parts.append("</svg>")
    return "".join(parts)
