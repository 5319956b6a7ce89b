"""DOT text (`pathways.diagram.dot`): a cluster per lane, every stage, any title quoted."""

from __future__ import annotations

from pathways.definition.schema import Pathway
from pathways.diagram import Diagram, Lane, Node, dot, render


def test_dot_has_a_cluster_per_lane_and_every_stage(small: Pathway) -> None:
    text = render(small, "dot", highlight_findings=False)
    assert isinstance(text, str)
    assert text.count('subgraph "cluster_') == 2
    for stage in small.stages:
        assert f'"{stage}" [' in text
    assert text.count("{") == text.count("}")
    assert '"concern-raised" -> "closed"' in text


def test_dot_quotes_any_title() -> None:
    picture = Diagram(
        "x", 'a "b" \\ c', (Lane("l", 'L "q"'),), (Node("n", 'N\n"', "", "box", "l"),), ()
    )
    text = dot(picture)
    assert 'label="a \\"b\\" \\\\ c"' in text
    assert 'label="N\\n\\"\\n"' in text
