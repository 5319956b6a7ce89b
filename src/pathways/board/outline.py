"""The diagram as structured text, for a reader who cannot see the picture or prefers words.

```python
from pathways.board.outline import outline
text = outline(pathway)
[line.title for line in text.stages]
```

For every stage: what kind it is, who owns it, its time limit, where it leads (with each
handoff's condition and time limit) and which victims' routes pass through it, in words
("age group adult and consent declined", "any victim"). That is the same information the
diagram draws, so the report meets WCAG 2.2's "text alternative" rule (1.1.1) for the
picture, and a screen reader user can follow each route.
"""

from __future__ import annotations

from dataclasses import dataclass

from pathways.definition.conditions import explain
from pathways.definition.schema import MAIN_TRACK, Pathway
from pathways.graph.reach import reach

__all__ = ["Outline", "StageLine", "outline", "who"]

_KINDS = {"decision": "decision", "outcome": "outcome"}


@dataclass(frozen=True, slots=True)
class StageLine:
    """One stage as words: each field is what a cell of the report's table shows."""

    id: str
    title: str
    kind: str
    track: str
    owner: str
    within: str
    leads_to: tuple[str, ...]
    for_whom: str


@dataclass(frozen=True, slots=True)
class Outline:
    """Every stage as words, in the order the pathway file writes them."""

    stages: tuple[StageLine, ...]


def outline(pathway: Pathway) -> Outline:
    """`pathway`'s stages and routes as words, in the order the file writes the stages."""
    space = pathway.profile_space
    found = reach(pathway)
    lines = []
    for name, stage in pathway.stages.items():
        bits = found.get(name, 0)
        lines.append(
            StageLine(
                id=name,
                title=stage.title,
                kind=_KINDS.get(stage.kind, "step") + _outcome(stage.outcome),
                track=_track(pathway, stage.track),
                owner=who(pathway, stage.owner),
                within=f"within {stage.within}" if stage.within is not None else "",
                leads_to=tuple(_leads_to(pathway, name)),
                for_whom=space.describe(bits),
            )
        )
    return Outline(tuple(lines))


def who(pathway: Pathway, owner: str) -> str:
    """The agency's name or the role's title for an owner or `by` name."""
    if owner in pathway.agencies:
        return pathway.agencies[owner].name
    if owner in pathway.roles:
        return pathway.roles[owner].title
    return owner


def _outcome(outcome: str | None) -> str:
    return "" if outcome is None else f" ({outcome.replace('-', ' ')})"


def _track(pathway: Pathway, track: str) -> str:
    if track in pathway.tracks:
        return pathway.tracks[track].title
    return "Main track" if track == MAIN_TRACK else track


def _leads_to(pathway: Pathway, stage: str) -> list[str]:
    words = []
    for name in pathway.handoffs_from(stage):
        handoff = pathway.handoffs[name]
        target = pathway.stages[handoff.to].title if handoff.to in pathway.stages else handoff.to
        notes = []
        if handoff.when is not None:
            notes.append("if " + explain(handoff.when))
        if handoff.within is not None:
            verb = "automatically after" if handoff.timeout else "within"
            notes.append(f"{verb} {handoff.within}")
        if handoff.starts:
            notes.append("starts " + ", ".join(_track(pathway, t) for t in handoff.starts))
        words.append(target + (f" ({'; '.join(notes)})" if notes else ""))
    return words
