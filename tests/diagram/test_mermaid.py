"""Mermaid text (`pathways.diagram.mermaid`): every stage and lane, shapes by kind, labels escaped,
well formed for any pathway, and findings outlined with a key.
"""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diagram.helpers import assert_sane_mermaid
from paths import tutorial_example
from pathways.definition.loader import load_text
from pathways.definition.schema import Pathway
from pathways.diagram import Diagram, Lane, Link, Node, build, dot, mermaid, render
from pathways.diagram.mermaid import escape, node_ids
from strategies import load_data, pathway_data


def test_mermaid_has_every_stage_and_lane(small: Pathway) -> None:
    text = render(small, "mermaid")
    assert isinstance(text, str)
    ids = node_ids(build(small))
    for stage in small.stages:
        assert re.search(rf"\b{ids[stage]}\b", text), stage
    for name in ("Exampleshire Police", "Example Support Charity"):
        assert f'["{name}"]' in text
    assert text.count("subgraph ") == 2
    assert "{" not in text.split("st_concern_raised", 1)[1].split("\n", 1)[0]
    assert "st_supported([" in text  # an outcome is a stadium
    assert "if age group is adult and consent is declined" in text
    assert_sane_mermaid(text)


def test_decisions_are_diamonds_and_outcomes_marked() -> None:
    picture = Diagram(
        id="x",
        title="X",
        lanes=(Lane("a", "A"),),
        nodes=(
            Node("decide", "Decide", "panel", "decision", "a", entry=True),
            Node("done", "Done", "panel", "outcome", "a"),
        ),
        links=(Link("yes", "decide", "done", ("yes",)),),
    )
    text = mermaid(picture)
    assert 'st_decide{"Decide<br/>panel"}' in text
    assert "class st_done outcome" in text
    assert "class st_decide entry" in text


def test_labels_escape_everything_mermaid_reads_as_syntax() -> None:
    nasty = 'He said "end" [x] {y} (z) <b>a & b</b> | `c` #1; 50% \\'
    picture = Diagram(
        id="x",
        title=nasty,
        lanes=(Lane("end", nasty),),
        nodes=(Node("end", nasty, nasty, "box", "end"),),
        links=(Link("end", "end", "end", (nasty,), timeout=True),),
    )
    text = mermaid(picture)
    assert_sane_mermaid(text)
    assert "#34;end#34;" in text
    assert "st_end" in text
    assert "\n  end\n" in text
    assert escape("a\nb") == "a b"


@st.composite
def _titled(draw: st.DrawFn) -> Pathway:
    data = draw(pathway_data())
    text = st.text(st.characters(max_codepoint=0xFFFF, exclude_categories=("Cs", "Cc")), min_size=1)
    for stage in data["stages"].values():
        stage["title"] = draw(text.filter(str.strip))
    for agency in data["agencies"].values():
        agency["name"] = draw(text.filter(str.strip))
    return load_data(data)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pathway=_titled(), lanes=st.sampled_from(["agency", "track"]))
def test_mermaid_of_any_pathway_is_well_formed(pathway: Pathway, lanes: str) -> None:
    text = render(pathway, "mermaid", lanes=lanes)
    assert isinstance(text, str)
    assert_sane_mermaid(text)
    ids = node_ids(build(pathway))
    for stage in pathway.stages:
        assert f" {ids[stage]}[" in text or f" {ids[stage]}{{" in text or f" {ids[stage]}([" in text
    assert render(pathway, "mermaid", lanes=lanes) == text


def test_highlighted_findings_are_outlined_with_a_key(small: Pathway) -> None:
    gap = tutorial_example().replace(
        "when: age_group == 'child' or consent == 'given'", "when: consent == 'given'"
    )
    pathway = load_text(gap, path="gap.yaml")
    text = render(pathway, "mermaid", highlight_findings=True)
    assert isinstance(text, str)
    assert re.search(r"^  class [a-z_,]*st_concern_raised[a-z_,]* finding$", text, re.M)
    assert "Red outline: found by pathways check" in text
    assert_sane_mermaid(text)
    picture = build(small, flagged=["handoff close", "stage support"])
    marked = mermaid(picture)
    assert "class st_support finding" in marked
    assert "linkStyle 1 stroke:#d32f2f" in marked
    assert 'color="#d32f2f"' in dot(picture)
