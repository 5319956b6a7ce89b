"""SVG text of a board layout `Sheet`, written directly: no other software is needed.

```python
from pathways.diagram.board_layout import board_layout
from pathways.diagram.svg import svg
text = svg(board_layout(picture))            # the whole drawing
first = svg(board_layout(picture), page=0)   # the first printed page's slice
```

Sizes are in points (`pt`), so the drawing prints at the size it was laid out for and no
text is below 9 points. Text stays text (searchable, and read by screen readers), in the
fonts whose widths `pathways.diagram.fonts` measures. The drawing carries a title and a
description, and no date or random id, so the same sheet always gives the same text.
"""

from __future__ import annotations

import itertools
from xml.sax.saxutils import escape, quoteattr

from pathways.diagram.fonts import FAMILY, line_height
from pathways.diagram.geometry import Arrow, Rect, Shape, Sheet, Text

__all__ = ["INK", "LANE_FILLS", "svg"]

#: Colours: text and outlines, arrows, what the checks found, outcome fill, decision fill.
INK: dict[str, str] = {
    "text": "#212121",
    "line": "#37474f",
    "arrow": "#455a64",
    "finding": "#c62828",
    "outcome": "#e8f5e9",
    "decision": "#fff8e1",
    "box": "#ffffff",
    "lane_edge": "#b0bec5",
}
#: The lanes' fills, taken in turn.
LANE_FILLS = ("#f5f7fa", "#ffffff")
_DASH = {"solid": "", "dashed": ' stroke-dasharray="6 3"', "dotted": ' stroke-dasharray="1.5 3"'}


def _n(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _text(text: Text, colour: str = INK["text"]) -> list[str]:
    out: list[str] = []
    y = text.rect.y
    centre = text.align == "centre"
    x = text.rect.x + text.rect.width / 2 if centre else text.rect.x
    anchor = ' text-anchor="middle"' if centre else ""
    for line in text.lines:
        baseline = y + 0.95 * line.size
        weight = ' font-weight="bold"' if line.bold else ""
        out.append(
            f'<text x="{_n(x)}" y="{_n(baseline)}" font-size="{_n(line.size)}"{anchor}{weight}'
            f' fill="{colour}">{escape(line.text)}</text>'
        )
        y += line_height(line.size)
    return out


def _rect(rect: Rect, extra: str) -> str:
    return (
        f'<rect x="{_n(rect.x)}" y="{_n(rect.y)}" width="{_n(rect.width)}" '
        f'height="{_n(rect.height)}" {extra}/>'
    )


def _shape(shape: Shape, ident: str) -> list[str]:
    r = shape.rect
    edge = INK["finding"] if shape.flagged else INK["line"]
    width = 3.0 if shape.flagged or shape.entry else 1.0
    stroke = f'stroke="{edge}" stroke-width="{_n(width)}"'
    if shape.kind in ("decision", "question"):
        cx, cy = r.x + r.width / 2, r.y + r.height / 2
        points = (
            f"{_n(cx)},{_n(r.y)} {_n(r.right)},{_n(cy)} {_n(cx)},{_n(r.bottom)} {_n(r.x)},{_n(cy)}"
        )
        body = f'<polygon points="{points}" fill="{INK["decision"]}" {stroke}/>'
    elif shape.kind == "outcome":
        body = _rect(r, f'rx="12" fill="{INK["outcome"]}" {stroke}')
    else:
        body = _rect(r, f'fill="{INK["box"]}" {stroke}')
    colour = INK["finding"] if shape.flagged else INK["text"]
    out = [f"<g id={quoteattr(f'{ident}-stage-{shape.id}')}>", body]
    top = shape.text.rect.y
    for _, run in itertools.groupby(shape.text.lines, key=lambda line: line.bold):
        lines = tuple(run)
        part = Text(Rect(shape.text.rect.x, top, shape.text.rect.width, 0.0), lines)
        out += ["<g>", *_text(part, colour), "</g>"]  # the title and the details apart
        top += sum(line_height(line.size) for line in lines)
    return [*out, "</g>"]


def _arrow(arrow: Arrow, ident: str) -> list[str]:
    colour = INK["finding"] if arrow.flagged else INK["arrow"]
    width = 2.5 if arrow.flagged else 1.0
    points = " ".join(f"{_n(x)},{_n(y)}" for x, y in arrow.points)
    marker = f"{ident}-head-finding" if arrow.flagged else f"{ident}-head"
    out = [
        f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="{_n(width)}"'
        f'{_DASH[arrow.style]} marker-end="url(#{marker})"/>'
    ]
    if arrow.label is not None:
        out.append(_rect(arrow.label.rect, 'fill="#ffffff" fill-opacity="0.85"'))
        out += _text(arrow.label, INK["finding"] if arrow.flagged else INK["text"])
    return out


def _defs(ident: str) -> list[str]:
    out = ["<defs>"]
    for name, colour in (
        (f"{ident}-head", INK["arrow"]),
        (f"{ident}-head-finding", INK["finding"]),
    ):
        out.append(
            f'<marker id="{name}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" '
            f'markerHeight="8" markerUnits="userSpaceOnUse" orient="auto">'
            f'<path d="M0,0 L10,5 L0,10 z" fill="{colour}"/></marker>'
        )
    out.append("</defs>")
    return out


def svg(sheet: Sheet, page: int | None = None, ident: str = "pathway") -> str:
    """The SVG of `sheet`, or of one printed page of it (numbered from 0), with the page's
    number, the lane titles above it when it is cut below them and, in its margin, where each
    arrow cut by its edge carries on.

    `ident` is the drawing's id; the ids inside start with it (`pathway-stage-triage` for the
    stage `triage`), so several drawings can share one HTML page.
    """
    whole = Rect(0, 0, sheet.width, sheet.height)
    view = whole if page is None else sheet.pages[page]
    margin = 0.0 if page is None else sheet.paper.margin
    header = () if page is None else sheet.page_header(page)
    above = sheet.header_height if header else 0.0
    box = Rect(
        view.x - margin,
        view.y - margin - above,
        view.width + 2 * margin,
        view.height + 2 * margin + above,
    )
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" id={quoteattr(ident)} role="img" '
        f'width="{_n(box.width)}pt" '
        f'height="{_n(box.height)}pt" viewBox="{_n(box.x)} {_n(box.y)} {_n(box.width)} '
        f'{_n(box.height)}" font-family={quoteattr(FAMILY)}>'
    )
    out = ['<?xml version="1.0" encoding="UTF-8"?>', head]
    out.append(f"<title>{escape(sheet.title.words)}</title>")
    summary = (
        f"{len(sheet.shapes)} stages and questions in {len(sheet.bands)} lanes, "
        f"{len(sheet.arrows)} arrows. " + " ".join(n.words for n in sheet.notes)
    )
    out.append(f"<desc>{escape(summary)}</desc>")
    out += _defs(ident)
    out.append(_rect(box, 'fill="#ffffff"'))
    if page is not None:
        out.append(
            f'<clipPath id="{ident}-page"><rect x="{_n(view.x)}" y="{_n(view.y)}" '
            f'width="{_n(view.width)}" height="{_n(view.height)}"/></clipPath>'
        )
        out.append(f'<g clip-path="url(#{ident}-page)">')
    for index, band in enumerate(sheet.bands):
        fill = LANE_FILLS[index % 2]
        out.append(
            _rect(band.rect, f'fill="{fill}" stroke="{INK["lane_edge"]}" stroke-width="0.6"')
        )
        out += _text(band.title)
    out += _text(sheet.title)
    for arrow in sheet.arrows:
        out += _arrow(arrow, ident)
    for shape in sheet.shapes:
        out += _shape(shape, ident)
    for note in sheet.notes:
        out += _text(note)
    if page is not None:
        out.append("</g>")
        for text in header:
            out += _text(text)
        out += _margin(sheet, page)
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _page_of(sheet: Sheet, point: tuple[float, float]) -> int | None:
    for index, page in enumerate(sheet.pages):
        if page.x <= point[0] <= page.right and page.y <= point[1] <= page.bottom:
            return index
    return None


def _margin(sheet: Sheet, page: int) -> list[str]:
    """The page number, and a connector in the margin where an arrow leaves or enters."""
    view = sheet.pages[page]
    out = [
        f'<text x="{_n(view.right)}" y="{_n(view.bottom + 18)}" font-size="9" '
        f'text-anchor="end" fill="{INK["text"]}">'
        f"{escape(f'{sheet.title.words}: page {page + 1} of {len(sheet.pages)}')}</text>"
    ]
    for arrow in sheet.arrows:
        for a, b in itertools.pairwise(arrow.points):
            inside_a, inside_b = _page_of(sheet, a) == page, _page_of(sheet, b) == page
            if inside_a == inside_b:
                continue
            outside = b if inside_a else a
            other = _page_of(sheet, outside)
            if other is None:
                continue
            verb = "to" if inside_a else "from"
            x = min(max(outside[0], view.x), view.right)
            y = min(max(outside[1], view.y), view.bottom)
            y += 12 if y >= view.bottom else (-4 if y <= view.y else 3)
            anchor = "start" if x >= view.right else ("end" if x <= view.x else "middle")
            x += 3 if x >= view.right else (-3 if x <= view.x else 0)
            out.append(
                f'<text x="{_n(x)}" y="{_n(y)}" font-size="9" text-anchor="{anchor}" '
                f'fill="{INK["arrow"]}">{verb} p.{other + 1}</text>'
            )
    return out
