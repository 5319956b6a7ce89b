"""Milestones: which handoffs are NRM referrals, Duty to Notify reports and decisions.

Published figures count milestones: referrals made, reasonable grounds (RG) and conclusive
grounds (CG) decisions made and whether they were positive. The simulator finds them in the
pathway itself, from the national tags its stages carry (`pathways.definition.vocabulary`):

| milestone | a handoff that |
| --- | --- |
| NRM referral | goes into a stage tagged `nrm-referral` |
| Duty to Notify report | goes into a stage tagged `duty-to-notify` |
| decision | leaves a stage of `kind: decision` (each such handoff is one decision branch) |
| RG decision | leaves a decision stage tagged `reasonable-grounds` |
| CG decision | leaves a decision stage tagged `conclusive-grounds` |

A decision branch is *positive* or *negative* when one of the words of its handoff's name
(split at `-` and `_`) is `positive` or `negative` (`rg-positive`, `child-cg-negative`); any
other branch is counted under its own name only. A journey whose entry stage is tagged
`nrm-referral` or `duty-to-notify` counts as referred (or reported) when it arrives.

For a pathway whose stages are not tagged, a scenario's `milestones` names the stages by tag
(`milestones: {reasonable-grounds: [rg]}`); they count as if they carried the tag.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from pathways.runtime.compiler import CompiledPathway

__all__ = [
    "CG",
    "DECISION",
    "NOTIFY",
    "REFERRAL",
    "RG",
    "Branch",
    "Milestones",
    "find_milestones",
]

#: Bits of a handoff's mark.
REFERRAL, NOTIFY, DECISION, RG, CG = 1, 2, 4, 8, 16

_TAGS = {
    "nrm-referral": REFERRAL,
    "duty-to-notify": NOTIFY,
    "reasonable-grounds": RG,
    "conclusive-grounds": CG,
}
_WORDS = re.compile(r"[-_]")


@dataclass(frozen=True, slots=True)
class Branch:
    """A decision branch: the decision (`RG`, `CG` or the stage's name), the handoff's name,
    and `positive`, `negative` or empty."""

    decision: str
    handoff: str
    verdict: str


@dataclass(frozen=True, slots=True)
class Milestones:
    """Per handoff (by index): its mark (bits above, 0: none) and its decision branch, if any;
    `entry` is the mark of arriving at the entry stage (`REFERRAL`, `NOTIFY` or 0)."""

    marks: tuple[int, ...] = ()
    branches: tuple[Branch | None, ...] = ()
    entry: int = 0


def _verdict(name: str) -> str:
    words = set(_WORDS.split(name))
    for verdict in ("positive", "negative"):
        if verdict in words:
            return verdict
    return ""


def _stage_marks(compiled: CompiledPathway, named: Mapping[str, Sequence[str]]) -> dict[str, int]:
    extra: dict[str, int] = {}
    for tag, stages in named.items():
        for stage in stages:
            extra[stage] = extra.get(stage, 0) | _TAGS[tag]
    marks = {}
    for name, rule in compiled.stages.items():
        mark = extra.get(name, 0)
        for tag in rule.stage.tags:
            mark |= _TAGS.get(tag, 0)
        if rule.stage.kind == "decision":
            mark |= DECISION
        marks[name] = mark
    return marks


def find_milestones(
    compiled: CompiledPathway, named: Mapping[str, Sequence[str]] | None = None
) -> Milestones:
    """The milestones of `compiled`'s handoffs, in the order of `compiled.handoffs`; `named`
    (a scenario's `milestones`) gives more stages for a tag, by the tag."""
    stage_marks = _stage_marks(compiled, named or {})
    marks: list[int] = []
    branches: list[Branch | None] = []
    for name, rule in compiled.handoffs.items():
        mark = stage_marks[rule.target] & (REFERRAL | NOTIFY)
        branch = None
        decided = [s for s in sorted(rule.sources) if stage_marks[s] & DECISION]
        if decided:
            source = stage_marks[decided[0]]
            mark |= DECISION | (source & (RG | CG))
            kind = "RG" if source & RG else "CG" if source & CG else decided[0]
            branch = Branch(kind, name, _verdict(name))
        marks.append(mark)
        branches.append(branch)
    entry = stage_marks[compiled.pathway.entry] & (REFERRAL | NOTIFY)
    return Milestones(tuple(marks), tuple(branches), entry)
