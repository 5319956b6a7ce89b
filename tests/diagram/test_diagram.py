"""`pathways diagram`: Mermaid, DOT, SVG and PNG pictures of a pathway."""

from __future__ import annotations

import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pathways.cli import main
from pathways.definition.conditions import evaluate
from pathways.definition.loader import load_text
from pathways.definition.schema import Pathway
from pathways.diagram import Diagram, Lane, Link, MissingExtra, Node, build, dot, mermaid, render
from pathways.diagram.layout import back_edges, layers, layout
from pathways.diagram.mermaid import escape, node_ids
from strategies_pathways import load_data, pathway_data, pathways

TUTORIAL = Path(__file__).resolve().parents[2] / "docs" / "writing-a-pathway.md"
ADULT_DECLINED = "age_group=adult,consent=declined"


def _example() -> str:
    blocks = re.findall(r"```yaml\n(.*?)```", TUTORIAL.read_text(encoding="utf-8"), re.S)
    return max(blocks, key=len)


@pytest.fixture(scope="module")
def small() -> Pathway:
    return load_text(_example(), path="example/small.yaml")


_LABEL = re.compile(r'"([^"\n]*)"')
_ENTITY = re.compile(r"#\d+;")


def assert_sane_mermaid(text: str) -> None:
    """Balanced subgraph/end, quotes in pairs, and labels free of syntax characters."""
    depth = 0
    for line in text.splitlines()[1:]:
        stripped = line.strip()
        if stripped.startswith("%%"):
            assert "\n" not in stripped
            continue
        if stripped.startswith("subgraph "):
            depth += 1
        elif stripped == "end":
            depth -= 1
            assert depth >= 0, "an 'end' without its subgraph"
        assert line.count('"') % 2 == 0, f"unpaired quote in {line!r}"
        for label in _LABEL.findall(line):
            bare = _ENTITY.sub("", label.replace("<br/>", ""))
            assert not set(bare) & set("\"'`<>&|[](){}%#;\\"), f"unescaped syntax in {label!r}"
        outside = _LABEL.sub("", line)
        assert "#" not in outside or outside.strip().startswith(("classDef", "linkStyle"))
    assert depth == 0, "a subgraph without its 'end'"
    assert text.startswith("flowchart ")


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


def test_lanes_per_track(small: Pathway) -> None:
    text = render(small, "mermaid", lanes="track")
    assert isinstance(text, str)
    assert text.count("subgraph ") == 1
    assert '["Main track"]' in text


def test_profile_keeps_only_the_route_open_to_that_victim(small: Pathway) -> None:
    text = render(small, "mermaid", profile=ADULT_DECLINED)
    assert isinstance(text, str)
    assert "refer for support" not in text
    assert "st_support[" not in text
    assert "st_closed([" in text
    assert "for age group adult and consent declined" in text
    child = render(small, "mermaid", profile="age_group=child")
    assert isinstance(child, str)
    assert "st_closed" not in child
    assert "st_supported" in child


@pytest.mark.parametrize(
    ("profile", "words"),
    [
        ("age=adult", "not a profile attribute"),
        ("consent=maybe", "no value 'maybe'"),
        ("consent", "attribute=value"),
    ],
)
def test_a_bad_profile_says_what_was_expected(small: Pathway, profile: str, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        build(small, profile=profile)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), pathway=pathways())
def test_profile_filter_never_shows_a_handoff_closed_to_the_victim(
    data: st.DataObject, pathway: Pathway
) -> None:
    space = pathway.profile_space
    profile = space.profile(data.draw(st.integers(0, space.size - 1)))
    words = ",".join(
        f"{k}={str(v).lower() if isinstance(v, bool) else v}" for k, v in profile.items()
    )
    picture = build(pathway, profile=words)
    shown = {node.id for node in picture.nodes}
    assert pathway.entry in shown
    for link in picture.links:
        when = pathway.handoffs[link.handoff].when
        assert when is None or evaluate(when, profile)
        assert link.source in shown
        assert link.target in shown


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


def test_highlighted_findings_are_outlined_with_a_key(small: Pathway) -> None:
    gap = _example().replace(
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


def test_svg_is_xml_with_every_stage_title_and_the_same_each_time(small: Pathway) -> None:
    svg = render(small, "svg", highlight_findings=True)
    assert isinstance(svg, bytes)
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    text = " ".join(t for el in root.iter() if (t := el.text))
    for stage in small.stages.values():
        assert stage.title in text
    assert render(small, "svg", highlight_findings=True) == svg


def test_png_is_a_png(small: Pathway) -> None:
    png = render(small, "png", profile=ADULT_DECLINED)
    assert isinstance(png, bytes)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")


def test_without_matplotlib_the_error_names_the_extra(
    small: Pathway, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delitem(sys.modules, "pathways.diagram.draw", raising=False)
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(MissingExtra, match=r"pip install 'pathways\[charts\]'"):
        render(small, "svg")


@pytest.fixture
def example_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "example" / "small.yaml"
    path.parent.mkdir()
    path.write_text(_example(), encoding="utf-8")
    return path


def test_cli_prints_mermaid(example_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diagram", "example/small.yaml", "--profile", ADULT_DECLINED]) == 0
    out = capsys.readouterr().out
    assert out.startswith("flowchart LR\n")
    assert "st_support[" not in out


def test_cli_writes_files(example_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diagram", "example/small.yaml", "--format", "dot", "--out", "small.dot"]) == 0
    assert Path("small.dot").read_text(encoding="utf-8").startswith('digraph "example/small"')
    assert main(["diagram", "example/small.yaml", "--format", "png", "-o", "small.png"]) == 0
    assert Path("small.png").read_bytes()[:4] == b"\x89PNG"


@pytest.mark.parametrize(
    "argv",
    [
        ["diagram", "nowhere.yaml"],
        ["diagram", "example/small.yaml", "--format", "svg"],
        ["diagram", "example/small.yaml", "--profile", "colour=blue"],
    ],
)
def test_cli_usage_errors(
    example_file: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    assert main(argv) == 2
    assert capsys.readouterr().err.startswith("pathways diagram: ")


def test_cli_reports_a_file_that_does_not_load(
    example_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    example_file.write_text(_example().replace("kind: support", "kind: suport"), encoding="utf-8")
    assert main(["diagram", "example/small.yaml"]) == 1
    assert "error[unknown-value]" in capsys.readouterr().err
