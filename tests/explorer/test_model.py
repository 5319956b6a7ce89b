"""The explorer's routes are the routes `pathways diagram --profile` draws: for every bundled
pathway and every choice of answers (each attribute a value or "any"), the stages and handoffs
whose profile masks meet the chosen mask are exactly the stages and arrows of
`build(pathway, profile=...)`, and so for generated pathways (Hypothesis). The page's script
does the same arithmetic (`tests/explorer/test_browser.py` checks it in Chromium).
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from paths import PATHWAYS
from pathways.definition.loader import Library
from pathways.definition.schema import Pathway
from pathways.diagram import build
from pathways.explorer.model import model
from strategies import pathways, small_pathways

BUNDLED = sorted(p for p in PATHWAYS.rglob("*.yaml") if not p.name.endswith(".tests.yaml"))


def choices(data: dict[str, Any]) -> list[dict[str, str]]:
    """Every choice of answers: each attribute one of its values, or left out ("any")."""
    options = [
        [(a["name"], None), *((a["name"], v["value"]) for v in a["values"])]
        for a in data["attributes"]
    ]
    return [{n: v for n, v in combo if v is not None} for combo in itertools.product(*options)]


def route(data: dict[str, Any], chosen: dict[str, str]) -> tuple[set[str], set[tuple[str, str]]]:
    """The page's arithmetic, in Python: stages and (handoff, source) pairs on the route."""
    mask = int(data["all"], 16)
    for attribute in data["attributes"]:
        if attribute["name"] in chosen:
            value = next(v for v in attribute["values"] if v["value"] == chosen[attribute["name"]])
            mask &= int(value["mask"], 16)
    reach = {s["id"]: int(s["reach"], 16) for s in data["stages"]}
    on = {name for name, bits in reach.items() if bits & mask}
    links = {
        (h["id"], source)
        for h in data["handoffs"]
        if h["to"] in on
        for source in h["from"]
        if source in on and int(h["taken"], 16) & reach[source] & mask
    }
    return on, links


def flag(value: str, pathway: Pathway, name: str) -> str:
    domain = pathway.profile[name].domain
    if set(domain) == {False, True}:
        return "true" if value == "yes" else "false"
    return value


def assert_routes_match(pathway: Pathway) -> None:
    data = model(pathway)
    for chosen in choices(data):
        if not chosen:
            continue
        profile = {name: flag(value, pathway, name) for name, value in chosen.items()}
        picture = build(pathway, profile=profile)
        on, links = route(data, chosen)
        assert on == {node.id for node in picture.nodes}, chosen
        assert links == {(link.handoff, link.source) for link in picture.links}, chosen


@pytest.mark.parametrize("file", BUNDLED, ids=lambda p: p.stem)
def test_every_choice_highlights_what_diagram_profile_draws(file: Any) -> None:
    assert_routes_match(Library().load(file))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pathways())
def test_generated_pathways_highlight_what_diagram_profile_draws(pathway: Pathway) -> None:
    assert_routes_match(pathway)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_pathways())
def test_small_random_pathways_highlight_what_diagram_profile_draws(pathway: Pathway) -> None:
    assert_routes_match(pathway)


def test_findings_point_at_a_stage_of_the_pathway(hull: Pathway) -> None:
    data = model(hull)
    stages = {s["id"] for s in data["stages"]}
    assert data["findings"], "the Hull pathway has findings to link"
    for finding in data["findings"]:
        kind, _, name = finding["subject"].partition(" ")
        if kind in ("stage", "handoff"):
            assert finding["stage"] in stages
        if kind == "stage":
            assert finding["stage"] == name
        if kind == "handoff":
            assert finding["stage"] in hull.handoffs[name].from_


def test_stage_details_name_the_owner_limits_and_information(hull: Pathway) -> None:
    data = model(hull)
    stages = {s["id"]: s for s in data["stages"]}
    for name, stage in hull.stages.items():
        shown = stages[name]
        assert shown["title"] == stage.title
        assert shown["within"] == (str(stage.within) if stage.within else "")
        assert shown["asks"] == [hull.information[i].title for i in stage.collects]
    shares = {h["id"]: h["shares"] for h in data["handoffs"]}
    for name, handoff in hull.handoffs.items():
        assert shares[name] == [hull.information[i].title for i in handoff.shares]
