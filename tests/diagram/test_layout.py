"""The drawing's layout (`pathways.diagram.layout`): loops set aside, stages in columns, bands
that follow the lanes.
"""

from __future__ import annotations

from pathways.definition.schema import Pathway
from pathways.diagram import build
from pathways.diagram.layout import back_edges, layers, layout


def test_layout_sets_loops_aside_and_puts_stages_in_columns() -> None:
    nodes = ["a", "b", "c", "d"]
    edges = [("a", "b"), ("b", "c"), ("c", "b"), ("a", "d"), ("d", "c")]
    assert back_edges(nodes, edges) == {("c", "b")}
    assert layers(nodes, edges) == {"a": 0, "b": 1, "d": 1, "c": 2}


def test_layout_bands_follow_the_lanes(small: Pathway) -> None:
    cells = layout(build(small))
    assert [band.title for band in cells.bands] == [
        "Exampleshire Police",
        "Example Support Charity",
    ]
    assert cells.cells["concern-raised"] == (0, 0)
    assert cells.cells["supported"][0] == 2
