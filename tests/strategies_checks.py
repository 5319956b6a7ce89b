"""Small pathways for the checks' tests: a compact builder and a Hypothesis strategy.

`build(stages, handoffs, ...)` writes a pathway as a file would hold it and loads it with the
loader, filling in what every test would otherwise repeat: three agencies (`council`, `police`,
`charity`) that are also the stage owners, a profile of `age_group` (child, adult) and `consent`
(given, declined), and `by:` defaulting to the owner of the handoff's first source stage.
A stage is given as its kind (`"support"`, `"outcome"`) or as a dict of its keys.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

from pathways.definition.loader import load_text
from pathways.definition.schema import Pathway

__all__ = ["PROFILE", "build", "data", "small_pathways"]

PROFILE: dict[str, Any] = {
    "age_group": {"values": ["child", "adult"]},
    "consent": {"values": ["given", "declined"]},
}

AGENCIES: dict[str, Any] = {
    "council": {"name": "Testshire Council", "roles": ["first-responder"], "first_responder": True},
    "police": {
        "name": "Testshire Police",
        "roles": ["first-responder"],
        "first_responder": True,
        "public_authority": True,
    },
    "charity": {"name": "Safe Haven Charity"},
}


def _stage(name: str, spec: str | dict[str, Any]) -> dict[str, Any]:
    stage: dict[str, Any] = {"kind": spec} if isinstance(spec, str) else dict(spec)
    stage.setdefault("kind", "referral")
    stage.setdefault("title", name.replace("-", " ").capitalize())
    stage.setdefault("owner", "council")
    if stage["kind"] == "outcome":
        stage.setdefault("outcome", "supported")
    return stage


def data(
    stages: dict[str, str | dict[str, Any]],
    handoffs: dict[str, tuple[str, str] | dict[str, Any]],
    *,
    entry: str | None = None,
    profile: dict[str, Any] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """The data of a test pathway (see the module docstring for the defaults)."""
    built = {name: _stage(name, spec) for name, spec in stages.items()}
    moves: dict[str, Any] = {}
    for name, spec in handoffs.items():
        move = {"from": spec[0], "to": spec[1]} if isinstance(spec, tuple) else dict(spec)
        first = move["from"] if isinstance(move["from"], str) else move["from"][0]
        move.setdefault("by", [built[first]["owner"]])
        moves[name] = move
    result: dict[str, Any] = {
        "id": "test/checks",
        "title": "A test pathway",
        "area": "Testshire",
        "version": "1",
        "entry": entry or next(iter(stages)),
        "roles": {"first-responder": {"title": "First responder"}},
        "agencies": AGENCIES,
        "profile": PROFILE if profile is None else profile,
        "stages": built,
        "handoffs": moves,
    }
    result.update(extra)
    return result


def build(
    stages: dict[str, str | dict[str, Any]],
    handoffs: dict[str, tuple[str, str] | dict[str, Any]],
    **extra: Any,
) -> Pathway:
    """Load a test pathway through the loader, as a file would be."""
    return load_text(json.dumps(data(stages, handoffs, **extra)), path="test.yaml")


_VALUES: dict[str, list[Any]] = {"age_group": ["child", "adult"], "consent": ["given", "declined"]}


@st.composite
def _condition(draw: st.DrawFn) -> str | None:
    atoms = []
    for attribute, values in _VALUES.items():
        if draw(st.booleans()):
            value = draw(st.sampled_from(values))
            atoms.append(f"{attribute} == '{value}'")
    if not atoms:
        return None
    return f" {draw(st.sampled_from(['and', 'or']))} ".join(atoms)


@st.composite
def small_pathways(draw: st.DrawFn, max_stages: int = 6) -> Pathway:
    """A small random pathway: a main track and maybe a parallel track, profile changes,
    owners, conditions, information collected and shared, loops and dead ends allowed."""
    count = draw(st.integers(2, max_stages))
    names = [f"s{i}" for i in range(count)]
    police = [f"p{i}" for i in range(draw(st.sampled_from([0, 0, 2, 3])))]
    items = ["account", "address"]
    stages: dict[str, Any] = {}
    for name in names + police:
        kind = draw(st.sampled_from(["referral", "support", "outcome", "decision"]))
        if name in (names[0], *police[:1]):
            kind = "referral"
        spec: dict[str, Any] = {
            "kind": kind,
            "owner": draw(st.sampled_from(sorted(AGENCIES))),
            "collects": draw(st.lists(st.sampled_from(items), unique=True, max_size=1)),
            "needs": draw(st.lists(st.sampled_from(items), unique=True, max_size=1)),
        }
        if name in police:
            spec["track"] = "police"
        stages[name] = spec
    handoffs: dict[str, Any] = {}
    for group in (names, police):
        sources = [n for n in group if stages[n]["kind"] != "outcome"]
        for _ in range(draw(st.integers(0, 2 * len(group))) if sources else 0):
            move: dict[str, Any] = {
                "from": draw(st.sampled_from(sources)),
                "to": draw(st.sampled_from(group)),
                "shares": draw(st.lists(st.sampled_from(items), unique=True, max_size=1)),
            }
            condition = draw(_condition())
            if condition:
                move["when"] = condition
            if police and group is names and draw(st.integers(0, 4)) == 0:
                move["starts"] = ["police"]
            handoffs[f"h{len(handoffs)}"] = move
    changes = draw(st.sampled_from([[], [("child", "adult")]]))
    consent = draw(st.sampled_from([[], [("declined", "given")], [("given", "declined")]]))
    profile = {
        "age_group": {
            "values": _VALUES["age_group"],
            "changes": [{"from": a, "to": b} for a, b in changes],
        },
        "consent": {
            "values": _VALUES["consent"],
            "changes": [{"from": a, "to": b} for a, b in consent],
        },
    }
    extra: dict[str, Any] = {
        "information": {i: {"title": i.title(), "sensitivity": "personal"} for i in items}
    }
    if police:
        extra["tracks"] = {"police": {"title": "Police", "entry": police[0]}}
    return build(stages, handoffs, profile=profile, **extra)
