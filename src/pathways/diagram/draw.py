"""SVG and PNG pictures of a `Diagram`, drawn with matplotlib alone (no Graphviz needed).

matplotlib (the `diagrams` extra) comes from its one home, `pathways.plotting`. Boxes sit in the
cells that `layout` gives them, one inch and a bit apart; lanes are shaded bands with their
title on the left; arrows that go back curve so they do not hide forward ones. The SVG keeps its
text as text (searchable, and readable by screen readers) and carries no date, so the same
diagram gives the same bytes.
"""

from __future__ import annotations

import io
import textwrap
from typing import TYPE_CHECKING, Any

from pathways import plotting
from pathways.diagram.layout import Layout, layout
from pathways.diagram.mermaid import FINDING_COLOUR
from pathways.diagram.picture import Diagram, Node

if TYPE_CHECKING:
    from pathways.plotting import Axes, Figure, Patch

__all__ = ["draw"]

_COLUMN = 4.2  # inches between columns
_ROW = 1.5  # inches between rows
_BOX_W, _BOX_H = 2.3, 0.9
_MARGIN = 1.9  # room on the left for lane titles
_DPI = 110
_RC: dict[Any, Any] = {
    "svg.hashsalt": "pathways",
    "svg.fonttype": "none",
    "svg.id": "pathway",
    "font.family": "DejaVu Sans",
    "text.parse_math": False,
    "path.simplify": False,
}
_LANE_FILLS = ("#f5f7fa", "#ffffff")


def _centre(cells: Layout, name: str) -> tuple[float, float]:
    col, row = cells.cells[name]
    return _MARGIN + col * _COLUMN + _BOX_W / 2 + 0.3, -(row * _ROW) - _ROW / 2


def _box(node: Node, x: float, y: float) -> Patch:
    shapes = plotting.patches()
    box: Patch
    edge = FINDING_COLOUR if node.flagged else "#37474f"
    width = 2.5 if node.flagged else (1.8 if node.entry else 1.0)
    if node.shape == "decision":
        w, h = _BOX_W / 2 + 0.15, _BOX_H / 2 + 0.2
        points = [(x - w, y), (x, y + h), (x + w, y), (x, y - h)]
        box = shapes.Polygon(
            points, closed=True, facecolor="#fff8e1", edgecolor=edge, linewidth=width
        )
        return box
    fill = "#e8f5e9" if node.shape == "outcome" else "#ffffff"
    style = "round,pad=0.02,rounding_size=0.4" if node.shape == "outcome" else "square,pad=0.02"
    box = shapes.FancyBboxPatch(
        (x - _BOX_W / 2, y - _BOX_H / 2),
        _BOX_W,
        _BOX_H,
        boxstyle=style,
        facecolor=fill,
        edgecolor=edge,
        linewidth=width,
    )
    return box


def _figure(diagram: Diagram) -> Figure:
    cells = layout(diagram)
    width = _MARGIN + cells.columns * _COLUMN + 0.4
    height = cells.rows * _ROW + 0.9
    cells.within_budget(round(width * _DPI * height * _DPI))
    shapes = plotting.patches()
    figure = plotting.figure(width, height)
    axes = figure.add_axes((0.0, 0.0, 1.0, 1.0))
    axes.set_xlim(0, width)
    axes.set_ylim(-cells.rows * _ROW, 0.9)
    axes.set_axis_off()
    heading = (
        diagram.title if diagram.for_whom is None else f"{diagram.title}: for {diagram.for_whom}"
    )
    axes.text(0.15, 0.45, heading, fontsize=12, fontweight="bold", va="center")
    for index, band in enumerate(cells.bands):
        top = -band.top * _ROW
        axes.add_patch(
            shapes.Rectangle(
                (0, top - band.rows * _ROW),
                width,
                band.rows * _ROW,
                facecolor=_LANE_FILLS[index % 2],
                edgecolor="#cfd8dc",
                linewidth=0.6,
            )
        )
        title = textwrap.fill(band.title, 22)
        axes.text(
            0.15, top - band.rows * _ROW / 2, title, fontsize=8, fontweight="bold", va="center"
        )
    patches: dict[str, Patch] = {}
    for node in diagram.nodes:
        x, y = _centre(cells, node.id)
        patch = _box(node, x, y)
        axes.add_patch(patch)
        patches[node.id] = patch
        colour = FINDING_COLOUR if node.flagged else "#212121"
        axes.text(
            x,
            y + 0.12,
            textwrap.fill(node.title, 26),
            fontsize=7.5,
            ha="center",
            va="center",
            fontweight="bold",
            color=colour,
        )
        axes.text(
            x,
            y - 0.25,
            textwrap.shorten(node.detail, 44, placeholder="..."),
            fontsize=5.5,
            ha="center",
            va="center",
            color="#455a64",
        )
    for link in diagram.links:
        _arrow(
            axes,
            cells,
            patches,
            link.source,
            link.target,
            link.lines,
            link.flagged,
            link.timeout,
            (link.source, link.target) in cells.back,
        )
    if diagram.highlighted:
        axes.legend(
            handles=[
                shapes.Patch(
                    facecolor="white",
                    edgecolor=FINDING_COLOUR,
                    linewidth=2.5,
                    label="found by pathways check",
                ),
                shapes.Patch(facecolor="#e8f5e9", edgecolor="#37474f", label="an outcome"),
            ],
            loc="upper right",
            fontsize=7,
            frameon=True,
        )
    return figure


def _arrow(
    axes: Axes,
    cells: Layout,
    patches: dict[str, Patch],
    source: str,
    target: str,
    lines: tuple[str, ...],
    flagged: bool,
    timeout: bool,
    back: bool,
) -> None:
    (x1, y1), (x2, y2) = _centre(cells, source), _centre(cells, target)
    colour = FINDING_COLOUR if flagged else "#546e7a"
    bend = 0.35 if back or source == target or x1 == x2 else 0.0
    arrow = plotting.patches().FancyArrowPatch(
        (x1, y1),
        (x2, y2),
        patchA=patches[source],
        patchB=patches[target],
        arrowstyle="-|>",
        mutation_scale=10,
        connectionstyle=f"arc3,rad={bend}",
        color=colour,
        linewidth=1.6 if flagged else 0.8,
        linestyle="--" if timeout else "-",
    )
    axes.add_patch(arrow)
    label = "\n".join(textwrap.fill(line, 36) for line in lines[:4])
    mx, my = (x1 + x2) / 2, (y1 + y2) / 2 + (0.35 if bend else 0.0)
    axes.text(
        mx,
        my,
        label,
        fontsize=4.8,
        ha="center",
        va="center",
        color=colour,
        bbox={
            "boxstyle": "round,pad=0.15",
            "facecolor": "white",
            "edgecolor": "none",
            "alpha": 0.85,
        },
    )


def draw(diagram: Diagram, fmt: str) -> bytes:
    """The diagram as "svg" or "png" bytes; the same diagram gives the same bytes.

    Raises `DiagramTooLarge` before drawing anything if the picture would be larger than
    `layout.PIXEL_BUDGET` pixels."""
    if fmt not in ("svg", "png"):
        raise ValueError(f"draw makes svg or png, not '{fmt}'")
    with plotting.settings(_RC, purpose=f"drawing {fmt.upper()}"):
        figure = _figure(diagram)
        buffer = io.BytesIO()
        if fmt == "svg":
            metadata: dict[str, str | None] = {"Date": None, "Creator": None}
        else:
            metadata = {"Software": None}
        plotting.save(figure, buffer, fmt, metadata, dpi=_DPI)
    return buffer.getvalue()
