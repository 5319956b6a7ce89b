"""Costly but legal pathways, built to size: shared by the hostile tests and
`benchmarks/bench_hostile.py`, which measure the same files."""

from __future__ import annotations

from typing import Any

__all__ = ["chain_pathway"]


def chain_pathway(agencies: int, flags: int, stages: int) -> dict[str, Any]:
    """A chain of `stages` stages, each owned by the next of `agencies` agencies, with a
    handoff back from each, and a profile of `flags` flags."""
    names = [f"s{i}" for i in range(stages)]
    handoffs: dict[str, Any] = {}
    for i, name in enumerate(names[:-1]):
        handoffs[f"on-{i}"] = {"from": name, "to": names[i + 1], "by": ["worker"]}
        if i > 0:
            handoffs[f"back-{i}"] = {"from": name, "to": names[i - 1], "by": ["worker"]}
    stage_data: dict[str, Any] = {
        name: {"title": name, "owner": f"ag{i % agencies}", "kind": "support"}
        for i, name in enumerate(names[:-1])
    }
    stage_data[names[-1]] = {
        "title": "Done",
        "owner": "ag0",
        "kind": "outcome",
        "outcome": "supported",
    }
    return {
        "id": "hostile/built",
        "title": "A hostile pathway",
        "area": "Testshire",
        "version": "1",
        "entry": names[0],
        "roles": {"worker": {"title": "Worker"}},
        "agencies": {
            f"ag{i}": {"name": f"Agency {i}", "roles": ["worker"]} for i in range(agencies)
        },
        "profile": {f"f{i}": {"flag": True} for i in range(flags)},
        "stages": stage_data,
        "handoffs": handoffs,
    }
