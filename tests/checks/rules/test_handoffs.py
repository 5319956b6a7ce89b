"""Handoff rules (`pathways.checks.rules.handoffs`): a pathway that triggers each, and one that
must not."""

from __future__ import annotations

from typing import Any

from checks.helpers import H, P, run, simple
from pathways.definition.schema import Pathway
from pathways.graph.walks import ROUTE_LIMIT
from strategies import build


def _back_and_forth(last_owner: str) -> Pathway:
    return build(
        {
            "start": "identification",
            "police-check": {"kind": "referral", "owner": P},
            "council-review": "referral",
            "help": {"kind": "support", "owner": last_owner},
            "done": {"kind": "outcome", "owner": last_owner},
        },
        {
            "to-police": ("start", "police-check"),
            "back": ("police-check", "council-review"),
            "again": ("council-review", "help"),
            "close": ("help", "done"),
        },
    )


def test_duplicate_handoff_between_the_same_agencies() -> None:
    found = run(_back_and_forth(P), "duplicate-handoff")
    assert [f.subject for f in found] == ["handoff again"]
    assert "by 'to-police' and again by 'again'" in found[0].message
    assert found[0].route[-1].startswith("-> 'Help' (help) by 'again'")
    assert not run(_back_and_forth(H), "duplicate-handoff")
    assert not run(simple(), "duplicate-handoff")


def test_a_duplicate_handoff_route_keeps_to_the_route_limit() -> None:
    """A long way to the first handoff is cut short, as every rule's routes are: the steps
    from the first handoff to the second are all shown, and the route says what it left out."""
    stages: dict[str, Any] = {f"s{i}": "referral" for i in range(40)}
    stages.update(
        {
            "police-check": {"kind": "referral", "owner": P},
            "council-review": "referral",
            "help": {"kind": "support", "owner": P},
            "done": {"kind": "outcome", "owner": P},
        }
    )
    moves: dict[str, Any] = {f"m{i}": (f"s{i}", f"s{i + 1}") for i in range(39)}
    moves.update(
        {
            "to-police": ("s39", "police-check"),
            "back": ("police-check", "council-review"),
            "again": ("council-review", "help"),
            "close": ("help", "done"),
        }
    )
    (found,) = run(build(stages, moves), "duplicate-handoff")
    assert found.route[:2] == ("starts at 'S0' (s0)", "   ... (earlier steps left out)")
    steps = found.route[2:]
    assert len(steps) == ROUTE_LIMIT
    assert steps[0] == "-> 'S18' (s18) by 'm17'"
    assert steps[-4:] == (
        "-> 'S39' (s39) by 'm38'",
        "-> 'Police check' (police-check) by 'to-police'",
        "-> 'Council review' (council-review) by 'back'",
        "-> 'Help' (help) by 'again'",
    )


def _parallel(second_owner: str) -> Pathway:
    return build(
        {
            "start": "identification",
            "done": "outcome",
            "crime": {"kind": "investigation", "owner": P, "track": "police"},
            "charged": {"kind": "outcome", "owner": P, "track": "police"},
            "intel": {"kind": "investigation", "owner": second_owner, "track": "intel"},
            "filed": {"kind": "outcome", "owner": second_owner, "track": "intel"},
        },
        {
            "a": {"from": "start", "to": "done", "starts": ["police", "intel"]},
            "b": ("crime", "charged"),
            "c": ("intel", "filed"),
        },
        tracks={
            "police": {"title": "Police", "entry": "crime"},
            "intel": {"title": "Intelligence", "entry": "intel"},
        },
    )


def test_duplicate_parallel_referrals() -> None:
    found = run(_parallel(P), "duplicate-handoff")
    assert [f.subject for f in found] == ["handoff a"]
    assert "twice" in found[0].message
    assert not run(_parallel(H), "duplicate-handoff")


def test_ping_pong() -> None:
    found = run(_back_and_forth(P), "ping-pong")
    assert [f.subject for f in found] == ["handoff back", "handoff again"]
    assert "by 'to-police' and straight back by 'back'" in found[0].message
    assert "by 'back' and straight back by 'again'" in found[1].message
    assert not run(simple(), "ping-pong")


def _hops(limit: int) -> Pathway:
    return build(
        {
            "start": "identification",
            "police-check": {"kind": "referral", "owner": P},
            "help": {"kind": "support", "owner": H},
            "done": {"kind": "outcome", "owner": H},
        },
        {"a": ("start", "police-check"), "b": ("police-check", "help"), "c": ("help", "done")},
        checks={"rules": {"max-handoffs": {"options": {"limit": limit}}}},
    )


def test_max_handoffs() -> None:
    found = run(_hops(1), "max-handoffs")
    assert [f.subject for f in found] == ["stage help"]
    assert len(found[0].route) == 3
    assert not run(_hops(2), "max-handoffs")
