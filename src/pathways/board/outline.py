"""The diagram as structured text, for a reader who cannot see the picture or prefers words.

```python
from pathways.board.outline import outline
text = outline(pathway)
[line.title for line in text.stages]
```

For every stage: what kind it is, who owns it, its time limit, where it leads (with each
handoff's condition and time limit) and, when the pathway has six victim profiles or fewer,
which of them pass through it. That is the same information the diagram draws, so the report
meets WCAG 2.2's "text alternative" rule (1.1.1) for the picture, and a screen reader user can
follow each route.
"""

from __future__ import annotations

from dataclasses import dataclass

from pathways.definition.conditions import explain
from pathways.definition.profiles import describe_values
from pathways.definition.schema import MAIN_TRACK, Pathway
from pathways.graph.reach import reach

__all__ = ["MAX_ROUTE_COLUMNS", "Outline", "StageLine", "outline", "profile_words", "who"]

#: Up to this many victim profiles, the outline has a column per profile saying who passes
#: through each stage; with more, the table would be too wide to read or print.
MAX_ROUTE_COLUMNS = 6

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
    reached: tuple[bool, ...]


@dataclass(frozen=True, slots=True)
class Outline:
    """Every stage as words, and the victim profiles that `StageLine.reached` refers to."""

    profiles: tuple[str, ...]
    stages: tuple[StageLine, ...]


def outline(pathway: Pathway) -> Outline:
    """`pathway`'s stages and routes as words, in the order the file writes the stages."""
    space = pathway.profile_space
    columns = range(len(space)) if len(space) <= MAX_ROUTE_COLUMNS else range(0)
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
                reached=tuple(bool(bits >> index & 1) for index in columns),
            )
        )
    profiles = tuple(profile_words(pathway, index) for index in columns)
    return Outline(profiles, tuple(lines))


def profile_words(pathway: Pathway, index: int) -> str:
    """Victim profile number `index` in words: "age group adult, consent declined"."""
    space = pathway.profile_space
    chosen = space.profile(index)
    return ", ".join(describe_values(n, space.domains[n], (chosen[n],)) for n in space.names)


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
