"""Pictures of a pathway (`pathways.diagram`): lanes, the victim profile filter, SVG and PNG.

Mermaid, DOT and the layout have their own test files; the command is in
`tests/cli/test_diagram.py`."""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diagram.helpers import ADULT_DECLINED
from pathways.definition.conditions import evaluate
from pathways.definition.schema import Pathway
from pathways.diagram import build, render
from pathways.plotting import MissingExtra
from strategies import pathways


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
    with pytest.raises(MissingExtra, match=r"pip install 'referral-pathways\[diagrams\]'"):
        render(small, "png")
    with pytest.raises(MissingExtra, match=r"pip install 'referral-pathways\[diagrams\]'"):
        render(small, "svg", look="classic")


def test_the_board_layout_svg_needs_no_matplotlib(
    small: Pathway, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    picture = render(small, "svg")
    assert isinstance(picture, bytes)
    assert b"Concern raised" in picture
