"""PNG pictures of a board layout `Sheet`, drawn with matplotlib (the `diagrams` extra).

```python
from pathways.diagram.board_layout import board_layout
from pathways.diagram.raster import png
data = png(board_layout(picture))  # bytes
```

The PNG shows exactly what the SVG shows: the same sheet, one matplotlib unit to the point,
in DejaVu Sans (which matplotlib bundles and whose widths `fonts` measures). matplotlib comes
from its one home, `pathways.plotting`.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from pathways import plotting
from pathways.diagram.fonts import line_height
from pathways.diagram.geometry import Sheet, Text
from pathways.diagram.layout import PIXEL_BUDGET, DiagramTooLarge
from pathways.diagram.svg import INK, LANE_FILLS

if TYPE_CHECKING:
    from pathways.plotting import Axes

__all__ = ["DPI", "png"]

#: Pixels to the inch: 9-point text is 14 pixels high.
DPI = 110
_RC: dict[Any, Any] = {"font.family": "DejaVu Sans", "text.parse_math": False}
_DASH = {"solid": "-", "dashed": (0, (6, 3)), "dotted": (0, (1.5, 3))}


def _text(axes: Axes, text: Text, colour: str) -> None:
    y = text.rect.y
    centre = text.align == "centre"
    x = text.rect.x + text.rect.width / 2 if centre else text.rect.x
    for line in text.lines:
        axes.text(
            x,
            y + 0.95 * line.size,
            line.text,
            fontsize=line.size,
            fontweight="bold" if line.bold else "normal",
            ha="center" if centre else "left",
            va="baseline",
            color=colour,
        )
        y += line_height(line.size)


def _draw(axes: Axes, sheet: Sheet) -> None:
    shapes = plotting.patches(purpose="drawing PNG")
    for index, band in enumerate(sheet.bands):
        r = band.rect
        axes.add_patch(
            shapes.Rectangle(
                (r.x, r.y),
                r.width,
                r.height,
                facecolor=LANE_FILLS[index % 2],
                edgecolor=INK["lane_edge"],
                linewidth=0.6,
            )
        )
        _text(axes, band.title, INK["text"])
    _text(axes, sheet.title, INK["text"])
    for arrow in sheet.arrows:
        colour = INK["finding"] if arrow.flagged else INK["arrow"]
        xs = [x for x, _ in arrow.points]
        ys = [y for _, y in arrow.points]
        axes.plot(
            xs,
            ys,
            color=colour,
            linewidth=2.5 if arrow.flagged else 1.0,
            linestyle=_DASH[arrow.style],
        )
        axes.annotate(
            "",
            xy=arrow.points[-1],
            xytext=arrow.points[-2],
            arrowprops={
                "arrowstyle": "-|>",
                "color": colour,
                "linewidth": 0.1,
                "mutation_scale": 9,
            },
        )
        if arrow.label is not None:
            r = arrow.label.rect
            axes.add_patch(
                shapes.Rectangle(
                    (r.x, r.y), r.width, r.height, facecolor="white", edgecolor="none", alpha=0.85
                )
            )
            _text(axes, arrow.label, colour if arrow.flagged else INK["text"])
    for shape in sheet.shapes:
        r = shape.rect
        edge = INK["finding"] if shape.flagged else INK["line"]
        width = 3.0 if shape.flagged or shape.entry else 1.0
        if shape.kind in ("decision", "question"):
            cx, cy = r.x + r.width / 2, r.y + r.height / 2
            points = [(cx, r.y), (r.right, cy), (cx, r.bottom), (r.x, cy)]
            patch = shapes.Polygon(
                points, closed=True, facecolor=INK["decision"], edgecolor=edge, linewidth=width
            )
        else:
            style = "round,pad=0,rounding_size=12" if shape.kind == "outcome" else "square,pad=0"
            fill = INK["outcome"] if shape.kind == "outcome" else INK["box"]
            patch = shapes.FancyBboxPatch(
                (r.x, r.y),
                r.width,
                r.height,
                boxstyle=style,
                facecolor=fill,
                edgecolor=edge,
                linewidth=width,
            )
        axes.add_patch(patch)
        _text(axes, shape.text, INK["finding"] if shape.flagged else INK["text"])
    for note in sheet.notes:
        _text(axes, note, INK["text"])


def png(sheet: Sheet) -> bytes:
    """The PNG of `sheet`; `DiagramTooLarge` before drawing if it would be too many pixels."""
    pixels = round(sheet.width / 72 * DPI) * round(sheet.height / 72 * DPI)
    if pixels > PIXEL_BUDGET:
        raise DiagramTooLarge(
            f"the picture would be {pixels / 1e6:,.0f} million pixels, more than the limit of "
            f"{PIXEL_BUDGET / 1e6:,.0f} million; draw it with --format svg or --format mermaid, "
            "or for one group of victims with --profile"
        )
    with plotting.settings(_RC, purpose="drawing PNG"):
        figure = plotting.figure(sheet.width / 72, sheet.height / 72, purpose="drawing PNG")
        axes = figure.add_axes((0.0, 0.0, 1.0, 1.0))
        axes.set_xlim(0, sheet.width)
        axes.set_ylim(sheet.height, 0)
        axes.set_axis_off()
        _draw(axes, sheet)
        buffer = io.BytesIO()
        plotting.save(figure, buffer, "png", {"Software": None}, dpi=DPI)
    return buffer.getvalue()
