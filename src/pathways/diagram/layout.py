"""Where each box goes in a drawn diagram: columns by step, bands by lane.

A layered layout, worked out without Graphviz: arrows that go back (a loop, such as a
reconsideration returning to a decision) are set aside by a depth-first walk from the entry,
and each stage's column is then the longest run of forward arrows that leads to it. Each lane
is a horizontal band; stages of one lane in the same column sit one under another. Ties are
broken by the order stages are written in, so the same diagram always gets the same layout.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pathways.diagram.picture import Diagram
from pathways.errors import PathwayError

__all__ = ["PIXEL_BUDGET", "Band", "DiagramTooLarge", "Layout", "back_edges", "layers", "layout"]

#: The most pixels an SVG or PNG picture may have (about four times the bundled pathways'
#: 15 million): a picture's memory grows with its area, so a larger one is refused, not drawn.
PIXEL_BUDGET = 60_000_000


class DiagramTooLarge(PathwayError, ValueError):
    """The picture would be larger than `PIXEL_BUDGET`; Mermaid or one profile still work."""


@dataclass(frozen=True, slots=True)
class Band:
    """One lane's band: rows `top` to `top + rows - 1` (row 0 is at the top)."""

    lane: str
    title: str
    top: int
    rows: int


@dataclass(frozen=True, slots=True)
class Layout:
    """Column and row of each stage, the lane bands, and the arrows that go back."""

    cells: dict[str, tuple[int, int]]
    bands: tuple[Band, ...]
    columns: int
    rows: int
    back: frozenset[tuple[str, str]]

    def within_budget(self, pixels: int) -> None:
        """Raise `DiagramTooLarge` if the picture of this layout has more than
        `PIXEL_BUDGET` pixels (`pixels` is how many the drawing would use)."""
        if pixels > PIXEL_BUDGET:
            raise DiagramTooLarge(
                f"the picture would be {self.columns} columns by {self.rows} rows "
                f"({pixels / 1e6:,.0f} million pixels, more than the limit of "
                f"{PIXEL_BUDGET / 1e6:,.0f} million); draw it with --format mermaid, or for "
                "one group of victims with --profile"
            )


def back_edges(nodes: Sequence[str], edges: Sequence[tuple[str, str]]) -> set[tuple[str, str]]:
    """Arrows that close a loop, found by a depth-first walk from each node in order."""
    out: dict[str, list[str]] = {node: [] for node in nodes}
    for source, target in edges:
        if source in out and target in out and target not in out[source]:
            out[source].append(target)
    state: dict[str, int] = {}  # 1 on the current path, 2 finished
    back: set[tuple[str, str]] = set()
    for root in nodes:
        if root in state:
            continue
        state[root] = 1
        stack: list[tuple[str, int]] = [(root, 0)]
        while stack:
            node, index = stack[-1]
            if index == len(out[node]):
                state[node] = 2
                stack.pop()
                continue
            stack[-1] = (node, index + 1)
            nxt = out[node][index]
            if state.get(nxt) == 1:
                back.add((node, nxt))
            elif nxt not in state:
                state[nxt] = 1
                stack.append((nxt, 0))
    return back


def layers(nodes: Sequence[str], edges: Sequence[tuple[str, str]]) -> dict[str, int]:
    """Each node's column: the longest chain of forward arrows from a node with none in."""
    back = back_edges(nodes, edges)
    forward = [(s, t) for s, t in edges if (s, t) not in back and s != t and s in nodes]
    into: dict[str, int] = dict.fromkeys(nodes, 0)
    out: dict[str, list[str]] = {node: [] for node in nodes}
    for source, target in dict.fromkeys(forward):
        if target in into:
            into[target] += 1
            out[source].append(target)
    column = dict.fromkeys(nodes, 0)
    ready = [node for node in nodes if into[node] == 0]
    order = {node: index for index, node in enumerate(nodes)}
    while ready:
        ready.sort(key=order.__getitem__)
        node = ready.pop(0)
        for target in out[node]:
            column[target] = max(column[target], column[node] + 1)
            into[target] -= 1
            if into[target] == 0:
                ready.append(target)
    return column


def layout(diagram: Diagram) -> Layout:
    """The layout of `diagram`: entry first, lanes in the diagram's order."""
    names = [node.id for node in diagram.nodes]
    names.sort(key=lambda name: 0 if any(n.id == name and n.entry for n in diagram.nodes) else 1)
    edges = [(link.source, link.target) for link in diagram.links]
    column = layers(names, edges)
    cells: dict[str, tuple[int, int]] = {}
    bands: list[Band] = []
    top = 0
    for lane in diagram.lanes:
        used: dict[int, int] = {}
        for node in diagram.lane_nodes(lane.id):
            col = column[node.id]
            cells[node.id] = (col, top + used.get(col, 0))
            used[col] = used.get(col, 0) + 1
        rows = max(used.values(), default=1)
        bands.append(Band(lane.id, lane.title, top, rows))
        top += rows
    return Layout(
        cells=cells,
        bands=tuple(bands),
        columns=max(column.values(), default=0) + 1,
        rows=max(top, 1),
        back=frozenset(back_edges(names, edges)),
    )
