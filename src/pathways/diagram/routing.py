"""Arrows as polylines: tidying a route, a loop back to the same box, and counting crossings.

```python
from pathways.diagram.routing import count_crossings, simplify
simplify([(0, 0), (0, 5), (0, 10), (4, 14)])   # [(0, 0), (0, 10), (4, 14)]
count_crossings([[(0, 0), (10, 10)], [(0, 10), (10, 0)]])  # 1
```

`count_crossings` is the measure the layout is judged by (`benchmarks/bench_layout.py` counts
Graphviz's arrows the same way).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

__all__ = ["Point", "count_crossings", "self_loop", "simplify"]

Point = tuple[float, float]


def self_loop(
    width: float,
    height: float,
    centre: Point,
    label: tuple[float, float] | None,
    nth: int = 0,
    drop: float | None = None,
) -> tuple[tuple[Point, ...], tuple[float, float, float, float] | None]:
    """The `nth` loop out of the right side of a box centred on `centre` and back into it,
    and where its label (`label` wide and high) goes: to the right of the loops, its top
    `drop` points below the centre (above it when negative; by default, centred on it), so
    the labels of several loops can stand one above another."""
    cx, cy = centre
    right = cx + width / 2
    reach = 6.0 + 3.0 * min(nth, 1)
    spread = height / 4 * (1 - 0.5 * min(nth, 1))
    route = (
        (right, cy - spread),
        (right + reach, cy - spread),
        (right + reach, cy + spread),
        (right, cy + spread),
    )
    if label is None:
        return route, None
    top = cy - label[1] / 2 if drop is None else cy + drop
    return route, (right + 12, top, label[0], label[1])


def simplify(points: Sequence[Point]) -> list[Point]:
    """`points` without repeats and without middle points of straight runs."""
    out: list[Point] = []
    for point in points:
        if out and abs(out[-1][0] - point[0]) < 1e-9 and abs(out[-1][1] - point[1]) < 1e-9:
            continue
        if len(out) >= 2:
            (x0, y0), (x1, y1) = out[-2], out[-1]
            if abs((x1 - x0) * (point[1] - y0) - (y1 - y0) * (point[0] - x0)) < 1e-9:
                out[-1] = point
                continue
        out.append(point)
    return out


def count_crossings(routes: Sequence[Sequence[Point]]) -> int:
    """How many pairs of segments of different routes cross (touching ends do not count)."""
    segments = [(n, a, b) for n, route in enumerate(routes) for a, b in itertools.pairwise(route)]
    total = 0
    for i, (n1, a1, b1) in enumerate(segments):
        for n2, a2, b2 in segments[i + 1 :]:
            if n1 != n2 and _cross(a1, b1, a2, b2):
                total += 1
    return total


def _cross(a: Point, b: Point, c: Point, d: Point) -> bool:
    def side(p: Point, q: Point, r: Point) -> float:
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])

    d1, d2 = side(c, d, a), side(c, d, b)
    d3, d4 = side(a, b, c), side(a, b, d)
    return d1 * d2 < 0 and d3 * d4 < 0
