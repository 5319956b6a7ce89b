"""Profile rules (`pathways.checks.rules.profiles`): a small pathway that triggers each, and one
that must not.
"""

from __future__ import annotations

from typing import Any

from checks.helpers import P, run, simple
from pathways.definition.schema import Pathway
from strategies import build


def _consent(extra: dict[str, Any]) -> Pathway:
    return build(
        {"start": "identification", "help": "support", "done": "outcome"},
        {
            "yes": {"from": "start", "to": "help", "when": "consent == 'given'"},
            "kids": {
                "from": "start",
                "to": "help",
                "when": "age_group == 'child' and consent == 'declined'",
            },
            "close": ("help", "done"),
            **extra,
        },
    )


def test_profile_gap() -> None:
    found = run(_consent({}), "profile-gap")
    assert len(found) == 1
    assert found[0].profiles is not None
    assert "adult" in found[0].profiles
    assert "declined" in found[0].profiles
    when = "age_group == 'adult' and consent == 'declined'"
    assert not run(_consent({"no": {"from": "start", "to": "done", "when": when}}), "profile-gap")


def _kids(changes: list[dict[str, str]]) -> Pathway:
    profile = {
        "age_group": {"values": ["child", "adult"], "changes": changes},
        "consent": {"values": ["given", "declined"]},
    }
    return build(
        {"start": "identification", "kids": "safeguarding", "done": "outcome"},
        {
            "a": {"from": "start", "to": "kids", "when": "age_group == 'child'"},
            "b": {"from": "start", "to": "done", "when": "age_group == 'adult'"},
            "c": {"from": "kids", "to": "done", "when": "age_group == 'child'"},
        },
        profile=profile,
    )


def test_profile_gap_after_a_declared_change() -> None:
    assert not run(_kids([]), "profile-gap")
    found = run(_kids([{"from": "child", "to": "adult", "description": "turns 18"}]), "profile-gap")
    assert [f.subject for f in found] == ["stage kids"]
    assert any("turns 18" in line for line in found[0].route)


def _loop(changes: list[dict[str, str]]) -> Pathway:
    profile = {
        "age_group": {"values": ["child", "adult"], "changes": changes},
        "consent": {"values": ["given", "declined"]},
    }
    return build(
        {"start": "identification", "review": "referral", "again": "referral", "done": "outcome"},
        {
            "a": ("start", "review"),
            "b": ("review", "again"),
            "c": ("again", "review"),
            "d": {"from": "review", "to": "done", "when": "age_group == 'adult'"},
        },
        profile=profile,
    )


def test_profile_no_outcome() -> None:
    found = run(_loop([]), "profile-no-outcome")
    assert len(found) == 1
    assert found[0].profiles is not None
    assert "child" in found[0].profiles
    assert not run(_loop([{"from": "child", "to": "adult"}]), "profile-no-outcome")


def _two_ways(kind: str, second: str) -> Pathway:
    return build(
        {
            "triage": kind,
            "police-help": {"kind": "support", "owner": P},
            "help": "support",
            "done": "outcome",
        },
        {
            "adults": {"from": "triage", "to": "police-help", "when": "age_group == 'adult'"},
            "other": {"from": "triage", "to": "help", "when": second},
            "x": ("police-help", "done"),
            "y": ("help", "done"),
        },
    )


def test_condition_overlap() -> None:
    found = run(_two_ways("referral", "consent == 'given'"), "condition-overlap")
    assert [f.subject for f in found] == ["handoff other"]
    assert not run(_two_ways("decision", "consent == 'given'"), "condition-overlap")
    assert not run(_two_ways("referral", "age_group == 'child'"), "condition-overlap")


def test_dead_handoff() -> None:
    p = build(
        {"start": "identification", "adults": "referral", "done": "outcome", "kids": "support"},
        {
            "a": {"from": "start", "to": "adults", "when": "age_group == 'adult'"},
            "b": ("adults", "done"),
            "c": {"from": "adults", "to": "kids", "when": "age_group == 'child'"},
            "d": {"from": "start", "to": "kids", "when": "age_group == 'child'"},
            "e": ("kids", "done"),
        },
    )
    assert [f.subject for f in run(p, "dead-handoff")] == ["handoff c"]
    assert not run(simple(), "dead-handoff")
