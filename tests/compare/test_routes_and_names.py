"""Comparing areas by routes over every stage, agencies under other names, accepted findings.

A forum lead comparing York with Lincolnshire wants "every York child goes through the MASH"
even though Lincolnshire has no MASH stage; wants one line saying the council has another name,
not one per stage it owns; and wants to see a finding one area has accepted and the other not.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings

from paths import tutorial_example
from pathways.compare import compare
from pathways.compare.profiles import always_through
from pathways.definition.loader import load_text
from pathways.definition.schema import MAIN_TRACK, Pathway
from pathways.graph.reach import handoff_mask
from strategies import load_data, pathway_data, small_pathways

MASH = """  mash:
    title: Multi-agency safeguarding hub
    owner: first-responder
    kind: safeguarding
"""


def _load(text: str) -> Pathway:
    return load_text(text, path="example/small.yaml")


def _with_mash() -> str:
    """The tutorial's pathway where children go through a MASH before support."""
    text = tutorial_example().replace("stages:\n", "stages:\n" + MASH, 1)
    text = text.replace(
        "handoffs:\n",
        "handoffs:\n  to-mash:\n    from: concern-raised\n    to: mash\n    by: [first-responder]\n"
        "    when: age_group == 'child'\n  mash-to-support:\n    from: mash\n    to: support\n"
        "    by: [first-responder]\n    shares: [account]\n",
        1,
    )
    return text.replace(
        "when: age_group == 'child' or consent == 'given'",
        "when: consent == 'given' and age_group == 'adult'",
    )


def test_a_stage_one_area_adds_is_compared_for_the_victims_it_routes() -> None:
    comparison = compare(_load(tutorial_example()), _load(_with_mash()), with_findings=False)
    routes = {r.profiles: r for r in comparison.routes}
    child = routes["age group child"]
    assert child.stages_only_b == ("mash",)
    assert child.always_only_b == ("mash",)
    assert child.stages_only_a == ()
    text = comparison.format()
    assert "  for age group child:\n    reaches only in the second: 'mash'\n" in text
    assert "    always goes through, only in the second: 'mash'\n" in text


def test_swapping_the_two_areas_swaps_every_route_difference() -> None:
    a, b = _load(tutorial_example()), _load(_with_mash())
    forward = compare(a, b, with_findings=False).routes
    backward = compare(b, a, with_findings=False).routes
    assert [(r.profiles, r.stages_only_a, r.always_only_a) for r in forward] == [
        (r.profiles, r.stages_only_b, r.always_only_b) for r in backward
    ]


def _renamed(text: str) -> str:
    return text.replace("example-police", "other-police").replace(
        "Exampleshire Police", "Otherton Police"
    )


def test_an_agency_under_another_name_is_one_difference() -> None:
    text = tutorial_example().replace(
        "refer-for-support:\n    from: concern-raised\n    to: support\n    by: [first-responder]",
        "refer-for-support:\n    from: concern-raised\n    to: support\n    by: [example-police]",
    )
    comparison = compare(_load(text), _load(_renamed(text)), with_findings=False)
    [difference] = comparison.differences
    assert (difference.name, difference.field) == ("example-police -> other-police", "renamed")
    assert (difference.old, difference.new) == ("Exampleshire Police", "Otherton Police")
    assert comparison.routes == ()
    assert "    'example-police' (Exampleshire Police) -> 'other-police' (Otherton Police)\n" in (
        comparison.format()
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pathway_data())
def test_renaming_an_agency_gives_exactly_that_difference(data: dict[str, Any]) -> None:
    text = json.dumps(data)
    assert '"ag0"' in text
    other = json.loads(text.replace('"ag0"', '"zz0"'))
    comparison = compare(load_data(data), load_data(other), with_findings=False)
    assert [(d.aspect, d.name, d.field) for d in comparison.differences] == [
        ("agency", "ag0 -> zz0", "renamed")
    ]
    assert comparison.routes == ()


def test_a_finding_accepted_in_one_area_only_is_a_difference() -> None:
    gap = tutorial_example().replace(
        "when: age_group == 'child' or consent == 'given'", "when: consent == 'given'"
    )
    accepted = gap.replace(
        "handoffs:\n",
        "checks:\n  suppress:\n    - rule: profile-gap\n      at: concern-raised\n"
        "      reason: children are referred by phone\nhandoffs:\n",
        1,
    )
    comparison = compare(_load(gap), _load(accepted))
    found = [d for d in comparison.differences if d.aspect == "check finding"]
    assert [(d.old, d.new) for d in found] == [("no", "yes: children are referred by phone")]
    assert "accepted by the forum" in comparison.format()


def _always_by_paths(pathway: Pathway) -> dict[str, int]:
    """The oracle: for each profile, the main-track stages on every path from the entry to a
    main-track outcome, by listing the paths."""
    space = pathway.profile_space
    masks = {name: handoff_mask(pathway, name) for name in pathway.handoffs}
    result: dict[str, int] = {}
    for index in range(space.size):
        bit = 1 << index
        paths: list[list[str]] = []

        def visit(
            stage: str, path: list[str], bit: int = bit, paths: list[list[str]] = paths
        ) -> None:
            spec = pathway.stages[stage]
            if spec.outcome is not None and spec.track == MAIN_TRACK:
                paths.append(path)
            for name in pathway.handoffs_from(stage):
                target = pathway.handoffs[name].to
                if masks[name] & bit and target not in path:
                    visit(target, [*path, target])

        visit(pathway.entry, [pathway.entry])
        if not paths:
            continue
        for stage in set.intersection(*(set(p) for p in paths)):
            result[stage] = result.get(stage, 0) | bit
    return result


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_pathways())
def test_always_through_agrees_with_listing_every_path(pathway: Pathway) -> None:
    assert always_through(pathway) == _always_by_paths(pathway)


def test_json_carries_the_stages_always_passed() -> None:
    comparison = compare(_load(tutorial_example()), _load(_with_mash()), with_findings=False)
    routes = {r["profiles"]: r for r in json.loads(comparison.to_json())["routes"]}
    assert routes["age group child"]["always_only_b"] == ["mash"]
    assert routes["age group child"]["always_only_a"] == []
