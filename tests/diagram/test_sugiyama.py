"""The layered layout underneath the board layout (`sugiyama`, `ordering`, `routing`): items in
their lanes without overlapping, arrows from their source to their target, crossings counted
as a person would count them.
"""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from pathways.diagram.routing import count_crossings, simplify
from pathways.diagram.sugiyama import Item, Wire, arrange


def test_crossings_are_counted_once_per_crossing_point() -> None:
    assert count_crossings([[(0, 0), (10, 10)], [(0, 10), (10, 0)]]) == 1
    assert count_crossings([[(0, 0), (10, 10)], [(10, 10), (20, 0)]]) == 0  # ends touch
    assert count_crossings([[(0, 0), (0, 10)], [(5, 0), (5, 10)]]) == 0
    zigzag = [(0, 0), (10, 10), (0, 20), (10, 30)]
    assert count_crossings([zigzag, [(5, -5), (5, 35)]]) == 3


def test_simplify_keeps_corners_only() -> None:
    assert simplify([(0, 0), (0, 5), (0, 5), (0, 10), (4, 14)]) == [(0, 0), (0, 10), (4, 14)]


def test_a_long_arrow_moves_as_a_whole_to_avoid_a_crossing() -> None:
    """Two long arrows pass a decision whose own arrows go to the same two outcomes: only
    moving a long arrow across every rank it passes, at once, untangles them (each swap of
    two neighbours alone leaves the count as it is)."""
    items = [Item(n, 80, 30, 0) for n in ("rg", "cg", "supported", "continues")]
    wires = [
        Wire("rg", "cg"),
        Wire("rg", "continues"),
        Wire("cg", "supported"),
        Wire("cg", "continues"),
        Wire("rg", "supported"),
    ]
    assert count_crossings(arrange(items, wires).routes) == 0


def test_stages_moved_down_out_of_a_full_row_take_what_follows_them_down() -> None:
    """A row of one lane too wide for the page sends stages down; whatever their arrows lead
    to goes below them, however the moves cascade."""
    names = ["m0", "m1", "m2", "p", "q", "c0", "c1", "c2", "c3", "a", "b", "c", "d"]
    items = [Item(n, 100, 30, 0) for n in names]
    wires = [Wire("a", "b", (60, 24)), Wire("c", "a"), Wire("c", "p")]
    placed = arrange(items, wires, widest=500)
    for wire in wires:
        assert placed.centres[wire.source][1] < placed.centres[wire.target][1], wire


def test_a_crossing_the_order_can_avoid_is_avoided() -> None:
    items = [Item(n, 40, 20, 0) for n in ("a", "b", "c", "d")]
    wires = [Wire("a", "d"), Wire("b", "c")]
    placed = arrange(items, wires)
    assert count_crossings(placed.routes) == 0


@st.composite
def _graphs(draw: st.DrawFn) -> tuple[list[Item], list[Wire]]:
    count = draw(st.integers(1, 9))
    lanes = draw(st.integers(1, 3))
    items = [
        Item(
            f"n{i}",
            draw(st.floats(20, 160)),
            draw(st.floats(10, 60)),
            draw(st.integers(0, lanes - 1)),
        )
        for i in range(count)
    ]
    pairs = st.tuples(st.integers(0, count - 1), st.integers(0, count - 1))
    labels = st.none() | st.tuples(st.floats(10, 120), st.floats(10, 50))
    wires = [
        Wire(f"n{a}", f"n{b}", label)
        for (a, b), label in draw(st.lists(st.tuples(pairs, labels), max_size=14))
    ]
    return items, wires


@settings(max_examples=60, deadline=None)
@given(_graphs())
def test_items_sit_in_their_lanes_without_overlapping(graph: tuple[list[Item], list[Wire]]) -> None:
    items, wires = graph
    placed = arrange(items, wires)
    boxes = {}
    for item in items:
        cx, cy = placed.centres[item.id]
        left, right = placed.lanes[item.lane]
        assert left - 1e-6 <= cx - item.width / 2
        assert cx + item.width / 2 <= right + 1e-6
        boxes[item.id] = (cx - item.width / 2, cy - item.height / 2, item.width, item.height)
    for (a, (x1, y1, w1, h1)), (b, (x2, y2, w2, h2)) in itertools.combinations(boxes.items(), 2):
        apart = x1 + w1 <= x2 + 1e-6 or x2 + w2 <= x1 + 1e-6 or y1 + h1 <= y2 or y2 + h2 <= y1
        assert apart, f"{a} and {b} overlap"
    for wire, route in zip(wires, placed.routes, strict=True):
        assert len(route) >= 2
        (sx, sy), (tx, ty) = placed.centres[wire.source], placed.centres[wire.target]
        source = next(i for i in items if i.id == wire.source)
        target = next(i for i in items if i.id == wire.target)
        assert abs(route[0][0] - sx) <= source.width / 2 + 1e-6
        assert abs(route[-1][0] - tx) <= target.width / 2 + 1e-6
        assert abs(route[0][1] - sy) <= source.height / 2 + 1e-6
        assert abs(route[-1][1] - ty) <= target.height / 2 + 1e-6
