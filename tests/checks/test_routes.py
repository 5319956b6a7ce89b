"""A finding's route shows a profile change only where it can change the route
(`pathways.checks.routes`): a child turning 18 at the MASH, with no condition on age after it,
is left out (issue 21, smaller points); a change a later condition reads, or that the finding is
about, stays. Whatever is left out, the route written is still one the victim can take.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings

from pathways.checks import RULES, check
from pathways.checks.registry import Context
from pathways.checks.routes import relevant_changes
from pathways.definition.schema import Pathway
from pathways.graph.profile_graph import ProfileGraph
from pathways.graph.walks import Step
from strategies import build, small_pathways

TURNS_18 = "age_group changes from 'child' to 'adult' (turns 18)"

# adult first, as in the national baseline: a finding about every victim is shown for an adult
PROFILE = {
    "age_group": {
        "values": ["adult", "child"],
        "changes": [{"from": "child", "to": "adult", "description": "turns 18"}],
    },
    "consent": {"values": ["given", "declined"]},
}


def mash(onwards: dict[str, Any] | None = None) -> Pathway:
    """Children go through the MASH (police) to an assessment (charity) and back to the police;
    adults go straight to support."""
    return build(
        {
            "start": "identification",
            "mash": {"kind": "safeguarding", "owner": "police", "title": "MASH"},
            "assess": {"kind": "referral", "owner": "charity"},
            "back": {"kind": "referral", "owner": "police"},
            "help": {"kind": "support", "owner": "charity"},
            "done": "outcome",
        },
        {
            "a": {"from": "start", "to": "mash", "when": "age_group == 'child'"},
            "b": {"from": "start", "to": "help", "when": "age_group == 'adult'"},
            "m": ("mash", "assess"),
            "n": onwards or ("assess", "back"),
            "o": ("back", "help"),
            "c": ("help", "done"),
        },
        profile=PROFILE,
    )


def ping_pong(pathway: Pathway) -> tuple[str, ...]:
    (found,) = [
        f for f in check(pathway).findings if f.rule == "ping-pong" and f.subject == "handoff n"
    ]
    return found.route


def test_a_change_no_condition_reads_later_is_left_out() -> None:
    route = ping_pong(mash())
    assert route == (
        "starts at 'Start' (start)",
        "-> 'MASH' (mash) by 'a'",
        "-> 'Assess' (assess) by 'm'",
        "-> 'Back' (back) by 'n'",
    )


def test_a_change_a_later_condition_reads_is_shown() -> None:
    route = ping_pong(mash({"from": "assess", "to": "back", "when": "age_group == 'adult'"}))
    assert f"   at 'MASH' (mash): {TURNS_18}" in route


def test_a_change_the_finding_is_about_is_shown() -> None:
    # the account is shared with the charity for adults who come straight in, not for those who
    # turned 18 at the MASH: the finding is about the adults, and turning 18 is how they got there
    pathway = build(
        {
            "start": {"kind": "identification", "collects": ["account"]},
            "mash": {"kind": "safeguarding", "owner": "police", "title": "MASH"},
            "assess": {"kind": "referral", "owner": "charity", "collects": ["account"]},
            "done": "outcome",
        },
        {
            "a": {"from": "start", "to": "mash", "when": "age_group == 'child'"},
            "b": {
                "from": "start",
                "to": "assess",
                "when": "age_group == 'adult'",
                "shares": ["account"],
            },
            "m": ("mash", "assess"),
            "c": ("assess", "done"),
        },
        profile=PROFILE,
        information={"account": {"title": "Account", "sensitivity": "personal"}},
    )
    (found,) = [f for f in check(pathway).findings if f.rule == "repeat-story"]
    assert found.profiles is not None
    assert "adult" in found.profiles
    assert f"   at 'MASH' (mash): {TURNS_18}" in found.route


def _takes(graph: ProfileGraph, route: tuple[Step, ...]) -> int:
    """Follow `route` for its first step's profile; the profile at its end. Fails when a step
    is not open to the victim as they are then."""
    changes = {c.label: c for c in graph.changes}
    bit, before = route[0].profile, route[0].stage
    for step in route[1:]:
        if step.change is not None:
            change = changes[step.change]
            assert change.source >> bit & 1, f"{step.change} does not apply to profile {bit}"
            bit += change.shift
        elif step.handoff is not None:
            edges = [
                e
                for e in graph.edges_of[step.handoff]
                if e.source == before and step.stage in e.lands and e.mask >> bit & 1
            ]
            assert edges, f"'{step.handoff}' is not open to profile {bit} at {before}"
        before = step.stage
    return bit


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_pathways(max_stages=5))
def test_a_route_without_its_left_out_changes_is_still_a_route(pathway: Pathway) -> None:
    graph = ProfileGraph(pathway)
    ctx = Context(pathway, graph)
    for rule in RULES.values():
        for hit in rule.run(ctx.with_options(rule.options)):
            if not hit.route or hit.route[0].after_gap:
                continue
            end = _takes(graph, hit.route)
            shown = relevant_changes(ctx, hit.route, hit.profiles)
            after = _takes(graph, shown)
            if hit.profiles and hit.profiles >> end & 1:
                assert hit.profiles >> after & 1  # still a victim the finding is about
            # only change steps are ever left out
            assert [s for s in shown if s.change is None] == [
                s for s in hit.route if s.change is None
            ]
