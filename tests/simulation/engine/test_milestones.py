"""Milestones found in a pathway's own tags: referrals, Duty to Notify, RG and CG decisions."""

from __future__ import annotations

from pathlib import Path

from pathways.definition.loader import load
from pathways.runtime.compiler import compile_pathway
from pathways.simulation.engine.milestones import (
    CG,
    DECISION,
    NOTIFY,
    REFERRAL,
    RG,
    Branch,
    find_milestones,
)

ROOT = Path(__file__).resolve().parents[3]


def test_the_national_pathway_names_its_referrals_and_decisions() -> None:
    compiled = compile_pathway(load(ROOT / "pathways" / "national" / "england.yaml"))
    found = find_milestones(compiled)
    names = list(compiled.handoffs)
    marks = dict(zip(names, found.marks, strict=True))
    branches = dict(zip(names, found.branches, strict=True))
    into = {name: compiled.handoffs[name].target for name in names}
    referral_stages = {into[n] for n, mark in marks.items() if mark & REFERRAL}
    assert referral_stages == {"nrm-referral", "child-nrm-referral"}
    assert {into[n] for n, mark in marks.items() if mark & NOTIFY} == {"duty-to-notify"}
    assert branches["rg-positive"] == Branch("RG", "rg-positive", "positive")
    assert branches["child-cg-negative"] == Branch("CG", "child-cg-negative", "negative")
    assert marks["rg-positive"] & (DECISION | RG) == DECISION | RG
    assert not marks["rg-positive"] & CG
    # Every handoff out of a decision stage is a branch; nothing else is.
    deciding = {
        name
        for name, rule in compiled.handoffs.items()
        if any(compiled.stages[s].stage.kind == "decision" for s in rule.sources)
    }
    assert {name for name, branch in branches.items() if branch is not None} == deciding
    assert found.entry == 0
