"""`pathways diff`: what differs between two areas' pathways, and whose routes differ."""

from __future__ import annotations

import json
import os

import pytest
from hypothesis import HealthCheck, given, settings

from paths import ROOT, tutorial_example
from pathways.compare import Difference, compare
from pathways.definition.loader import Library, load_text
from pathways.definition.schema import Pathway
from strategies import pathways

GOLDEN = ROOT / "tests" / "golden" / "diff"
UPDATE = os.environ.get("PATHWAYS_UPDATE_GOLDEN") == "1"
CHILD_OR_GIVEN = "when: age_group == 'child' or consent == 'given'"


def _load(text: str) -> Pathway:
    return load_text(text, path="example/small.yaml")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pathway=pathways())
def test_a_pathway_has_no_differences_with_itself(pathway: Pathway) -> None:
    comparison = compare(pathway, pathway, with_findings=False)
    assert comparison.identical
    assert comparison.differences == ()
    assert comparison.routes == ()


def test_the_tutorial_with_itself_including_findings() -> None:
    comparison = compare(_load(tutorial_example()), _load(tutorial_example()))
    assert comparison.identical
    assert "No differences" in comparison.format()


def test_a_changed_time_limit_is_exactly_the_difference() -> None:
    changed = tutorial_example().replace("within: 2 working days", "within: 5 working days")
    comparison = compare(_load(tutorial_example()), _load(changed))
    assert comparison.differences == (
        Difference(
            "time limit",
            "handoff",
            "refer-for-support",
            "within",
            None,
            "2 working days",
            "5 working days",
        ),
    )
    assert comparison.routes == ()
    text = comparison.format()
    assert "handoff 'refer-for-support' within: 2 working days -> 5 working days" in text


def test_a_narrower_condition_changes_the_route_for_some_victims() -> None:
    changed = tutorial_example().replace(CHILD_OR_GIVEN, "when: consent == 'given'")
    comparison = compare(_load(tutorial_example()), _load(changed))
    aspects = [(d.aspect, d.name) for d in comparison.differences]
    assert ("condition", "refer-for-support") in aspects
    assert ("check finding", "stage concern-raised") in aspects  # the new gap
    [condition] = [d for d in comparison.differences if d.aspect == "condition"]
    assert (condition.old, condition.new) == (
        "age group is child or consent is given",
        "consent is given",
    )
    [route] = comparison.routes
    assert route.profiles == "age group child and consent declined"
    assert route.stages_only_a == ("support", "supported")
    assert route.outcomes_only_a == ("supported",)
    assert route.stages_only_b == ()
    assert route.outcomes_only_b == ()


def test_added_and_removed_elements() -> None:
    changed = (
        tutorial_example()
        .replace(
            "  example-charity:\n    name: Example Support Charity\n",
            "  example-charity:\n    name: Example Charity\n",
        )
        .replace(
            "stages:\n",
            "stages:\n  triage:\n    title: Triage\n    owner: first-responder\n"
            "    kind: safeguarding\n",
            1,
        )
    )
    comparison = compare(_load(tutorial_example()), _load(changed), with_findings=False)
    found = {(d.aspect, d.name, d.field, d.only_in) for d in comparison.differences}
    assert ("agency", "example-charity", "name", None) in found
    assert ("stage", "triage", None, "b") in found
    text = comparison.format()
    assert "agency 'example-charity' name: Example Support Charity -> Example Charity" in text
    assert "only in the second: stage 'triage': Triage, safeguarding" in text


def test_routes_are_compared_over_the_attributes_both_declare() -> None:
    extra = (
        tutorial_example()
        .replace(
            "information:\n",
            "  nationality:\n    values: [uk, non-uk]\ninformation:\n",
            1,
        )
        .replace(
            CHILD_OR_GIVEN,
            "when: (age_group == 'child' or consent == 'given') and nationality == 'uk'",
        )
    )
    comparison = compare(_load(tutorial_example()), _load(extra), with_findings=False)
    assert comparison.compared_on == ("age_group", "consent")
    assert comparison.left_out == ("nationality",)
    # someone of every shared profile still reaches support in both: no route differs
    assert comparison.routes == ()
    assert ("profile", "nationality") in {(d.aspect, d.name) for d in comparison.differences}


def test_json_has_the_same_differences() -> None:
    changed = tutorial_example().replace(CHILD_OR_GIVEN, "when: consent == 'given'")
    data = json.loads(
        compare(_load(tutorial_example()), _load(changed), with_findings=False).to_json()
    )
    assert data["identical"] is False
    assert data["differences"][0]["aspect"] == "condition"
    assert data["routes"][0]["profiles"] == "age group child and consent declined"


BUNDLED = (
    ROOT / "pathways" / "humber" / "hull.yaml",
    ROOT / "pathways" / "humber" / "east-riding.yaml",
)


@pytest.mark.skipif(not all(p.exists() for p in BUNDLED), reason="bundled Humber areas not present")
def test_golden_hull_and_east_riding(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    library = Library()
    hull, east = (library.load(p.relative_to(ROOT)) for p in BUNDLED)
    text = compare(hull, east).format()
    expected = GOLDEN / "hull--east-riding.txt"
    if UPDATE:
        expected.parent.mkdir(parents=True, exist_ok=True)
        expected.write_text(text, encoding="utf-8")
    assert expected.exists(), f"no {expected.name}; run with PATHWAYS_UPDATE_GOLDEN=1"
    assert text == expected.read_text(encoding="utf-8")
