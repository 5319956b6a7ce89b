"""Structure rules (`pathways.checks.rules.structure`): a small pathway that triggers each, and one
that must not.
"""

from __future__ import annotations

from typing import Any

import pytest

from checks.helpers import H, P, extra_stage, run, simple
from pathways.checks import Finding, check
from pathways.definition.schema import Duty, Pathway, Role
from strategies import build


def test_unreachable_stage() -> None:
    p = build(
        {"start": "identification", "orphan": "support", "done": "outcome"},
        {"a": ("start", "done"), "b": ("orphan", "done")},
    )
    found = run(p, "no-unreachable-stage")
    assert [f.subject for f in found] == ["stage orphan"]
    assert "no handoff leads here" in found[0].message
    assert not run(simple(), "no-unreachable-stage")


def test_unreachable_because_of_conditions() -> None:
    p = build(
        {"start": "identification", "adults": "referral", "kids": "support", "done": "outcome"},
        {
            "a": {"from": "start", "to": "adults", "when": "age_group == 'adult'"},
            "b": {"from": "adults", "to": "kids", "when": "age_group == 'child'"},
            "c": ("adults", "done"),
            "d": ("kids", "done"),
        },
    )
    found = run(p, "no-unreachable-stage")
    assert [f.subject for f in found] == ["stage kids"]
    assert "none is open" in found[0].message


def test_dead_end() -> None:
    p = build({"start": "identification", "stuck": "referral"}, {"a": ("start", "stuck")})
    found = run(p, "no-dead-end")
    assert [f.subject for f in found] == ["stage stuck"]
    assert found[0].route[-1].startswith("-> 'Stuck' (stuck)")
    assert not run(simple(), "no-dead-end")


def test_no_route_to_outcome() -> None:
    p = build(
        {"start": "identification", "a": "referral", "wait": "referral", "done": "outcome"},
        {"x": ("start", "a"), "y": ("a", "wait"), "z": ("start", "done")},
    )
    assert [f.subject for f in run(p, "no-route-to-outcome")] == ["stage a"]
    assert not run(simple(), "no-route-to-outcome")


def test_trap_loop() -> None:
    stages = {"start": "identification", "x": "referral", "y": "referral", "done": "outcome"}
    trapped = build(stages, {"a": ("start", "x"), "b": ("x", "y"), "c": ("y", "x")})
    found = run(trapped, "no-trap-loop")
    assert [f.subject for f in found] == ["stage x"]
    assert "x -> y -> x" in found[0].message
    free = build(
        stages, {"a": ("start", "x"), "b": ("x", "y"), "c": ("y", "x"), "d": ("y", "done")}
    )
    assert not run(free, "no-trap-loop")


def _with_police(outcome: bool) -> Pathway:
    return build(
        {
            "start": "identification",
            "done": "outcome",
            "crime": {"kind": "investigation", "owner": P, "track": "police"},
            "charged": {
                "kind": "outcome" if outcome else "investigation",
                "owner": P,
                "track": "police",
            },
        },
        {
            "a": {"from": "start", "to": "done", "starts": ["police"]},
            "b": ("crime", "charged"),
        },
        tracks={"police": {"title": "Police", "entry": "crime"}},
    )


def test_outcome_required() -> None:
    assert [f.subject for f in run(_with_police(False), "outcome-required")] == ["track police"]
    assert not run(_with_police(True), "outcome-required")


def test_stage_owner_required() -> None:
    p = simple()
    broken = extra_stage(p, help=p.stages["help"].model_copy(update={"owner": "nobody"}))
    assert [f.subject for f in run(broken, "stage-owner-required")] == ["stage help"]
    assert not run(p, "stage-owner-required")


def test_role_unbound() -> None:
    base = simple(
        baseline=True, roles={"first-responder": {"title": "FR"}, "housing": {"title": "H"}}
    )
    p = extra_stage(base, help=base.stages["help"].model_copy(update={"owner": "housing"}))
    assert not run(p, "role-unbound")  # a baseline speaks in roles
    area = p.model_copy(update={"baseline": False})
    assert [f.subject for f in run(area, "role-unbound")] == ["role housing"]


def test_duty_unowned() -> None:
    p = simple()
    duty = Duty(title="Notify", statute="MSA 2015 s52", owner="first-responder")
    held = p.model_copy(update={"duties": {"dtn": duty}})
    assert not run(held, "duty-unowned")
    roles = {**p.roles, "housing": Role(title="Housing")}
    orphan = duty.model_copy(update={"owner": "housing"})
    unheld = p.model_copy(update={"duties": {"dtn": orphan}, "roles": roles})
    assert [f.subject for f in run(unheld, "duty-unowned")] == ["duty dtn"]


def _chain(log: dict[str, Any]) -> Pathway:
    return build(
        {
            "start": "identification",
            "log": log,
            "assess": "referral",
            "help": {"kind": "support", "owner": H},
            "done": {"kind": "outcome", "owner": H},
        },
        {
            "a": ("start", "log"),
            "b": ("log", "assess"),
            "c": ("assess", "help"),
            "d": ("help", "done"),
        },
    )


def test_superfluous_stage() -> None:
    assert [f.subject for f in run(_chain({}), "superfluous-stage")] == ["stage log"]
    assert not run(_chain({"within": "2 working days"}), "superfluous-stage")


def test_no_route_to_outcome_with_complete_option() -> None:
    from pathways.definition.checks_config import ChecksConfig
    from pathways.errors import DefinitionError

    p = build(
        {
            "start": "identification",
            "triage": "referral",
            "closed": {"kind": "outcome", "outcome": "closed-without-support"},
            "done": {"kind": "outcome", "owner": H},
        },
        {"a": ("start", "triage"), "b": ("start", "done"), "c": ("triage", "closed")},
    )
    assert not run(p, "no-route-to-outcome")

    def with_complete(value: str) -> list[Finding]:
        setting = {"severity": "error", "options": {"complete": value}}
        config = ChecksConfig.model_validate({"rules": {"no-route-to-outcome": setting}})
        report = check(p, config, with_metrics=False)
        return [f for f in report.findings if f.rule == "no-route-to-outcome"]

    found = with_complete("supported, moved-on")
    assert [f.subject for f in found] == ["stage triage"]
    assert "an outcome of 'supported' or 'moved-on'" in found[0].message
    assert not with_complete("supported, closed-without-support")
    with pytest.raises(DefinitionError, match="'finished' is not an outcome"):
        with_complete("finished")
