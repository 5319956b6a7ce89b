"""The neutral picture of a pathway that every renderer draws: lanes, boxes and arrows.

```python
from pathways.diagram.picture import build
picture = build(pathway, lanes="agency", profile="age_group=adult,consent=declined")
[node.title for node in picture.nodes]
```

`build` decides everything a reader sees (which stages, which lane each sits in, the words on
each arrow, what the checks flagged); the Mermaid, DOT and drawing modules only lay it out. So
renderer tests can build a `Diagram` by hand, and every format shows the same thing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from pathways.definition.conditions import (
    Compare,
    Condition,
    Flag,
    Member,
    Not,
    explain,
)
from pathways.definition.schema import MAIN_TRACK, Pathway
from pathways.graph.reach import reach, taken

__all__ = ["LANE_KINDS", "Diagram", "Lane", "Link", "Node", "build", "profile_mask"]

LANE_KINDS = ("agency", "track")
Shape = Literal["box", "decision", "outcome"]


@dataclass(frozen=True, slots=True)
class Lane:
    """A horizontal band of the picture: one agency (or role) or one track."""

    id: str
    title: str
    role: str = ""
    members: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Node:
    """One stage: its title, a line of detail (who owns it, its time limit) and its shape."""

    id: str
    title: str
    detail: str
    shape: Shape
    lane: str
    entry: bool = False
    flagged: bool = False


@dataclass(frozen=True, slots=True)
class Link:
    """One handoff from one of its source stages, with its words as separate short lines.

    `asks` is the profile attribute its condition tests first ("age_group") and `answer` the
    condition in words, so a drawing can show the branch as a question. A link whose `kind`
    is "starts" is not a handoff: it joins the stage a handoff leaves to the first stage of a
    track that handoff starts.
    """

    handoff: str
    source: str
    target: str
    lines: tuple[str, ...]
    timeout: bool = False
    flagged: bool = False
    asks: str | None = None
    answer: str | None = None
    kind: Literal["handoff", "starts"] = "handoff"


@dataclass(frozen=True, slots=True)
class Diagram:
    """Everything a renderer needs, in a fixed order (stages and handoffs as written)."""

    id: str
    title: str
    lanes: tuple[Lane, ...]
    nodes: tuple[Node, ...]
    links: tuple[Link, ...]
    for_whom: str | None = None
    highlighted: bool = False

    def lane_nodes(self, lane: str) -> tuple[Node, ...]:
        return tuple(node for node in self.nodes if node.lane == lane)


def build(
    pathway: Pathway,
    *,
    lanes: str = "agency",
    profile: str | Mapping[str, str] | None = None,
    flagged: Iterable[str] = (),
) -> Diagram:
    """The picture of `pathway`.

    `lanes` is "agency" (a lane per agency, or per role where several agencies fill it) or
    "track". `profile` ("age_group=adult,consent=declined", or a mapping) keeps only the
    stages and handoffs open to that victim. `flagged` names stages and handoffs to mark (as
    "stage triage" / "handoff close", the `subject` of a check finding). Raises `ValueError`
    for an unknown lane kind or a profile that names unknown attributes or values.
    """
    if lanes not in LANE_KINDS:
        raise ValueError(f"lanes must be one of {', '.join(LANE_KINDS)}, not '{lanes}'")
    marks = frozenset(flagged)
    for_whom = None
    stage_names: list[str] = list(pathway.stages)
    handoff_bits: dict[str, int] | None = None
    found: dict[str, int] = {}
    if profile is not None:
        mask = profile_mask(pathway, profile)
        found = reach(pathway, mask)
        stage_names = [name for name in stage_names if name in found]
        handoff_bits = taken(pathway, found)
        for_whom = pathway.profile_space.describe(mask)
    lane_of = {name: _lane(pathway, name, lanes) for name in stage_names}
    lane_list: list[Lane] = []
    for lane in lane_of.values():
        if lane not in lane_list:
            lane_list.append(lane)
    nodes = tuple(
        _node(pathway, name, lane_of[name].id, f"stage {name}" in marks) for name in stage_names
    )
    kept = set(stage_names)
    links: list[Link] = []
    for name, handoff in pathway.handoffs.items():
        if handoff_bits is not None and name not in handoff_bits:
            continue
        if handoff.to not in kept:
            continue
        lines = _link_lines(pathway, name)
        for source in handoff.from_:
            if source not in kept:
                continue
            if handoff_bits is not None and not (handoff_bits[name] & found.get(source, 0)):
                continue
            links.append(
                Link(
                    handoff=name,
                    source=source,
                    target=handoff.to,
                    lines=lines,
                    timeout=handoff.timeout,
                    flagged=f"handoff {name}" in marks,
                    asks=None if handoff.when is None else _first_test(handoff.when),
                    answer=None if handoff.when is None else explain(handoff.when),
                )
            )
    links.extend(_track_starts(pathway, links, kept))
    return Diagram(
        id=pathway.id,
        title=pathway.title,
        lanes=tuple(lane_list),
        nodes=nodes,
        links=tuple(links),
        for_whom=for_whom,
        highlighted=bool(marks),
    )


def _track_starts(pathway: Pathway, links: Iterable[Link], kept: set[str]) -> list[Link]:
    """A link from each stage a track-starting handoff leaves to the track's first stage."""
    joins: list[Link] = []
    seen: set[tuple[str, str]] = set()
    for link in links:
        for track in pathway.handoffs[link.handoff].starts:
            entry = pathway.tracks[track].entry if track in pathway.tracks else None
            if entry is None or entry not in kept or (link.source, entry) in seen:
                continue
            seen.add((link.source, entry))
            title = pathway.tracks[track].title
            joins.append(
                Link(link.handoff, link.source, entry, (f"starts {title}",), kind="starts")
            )
    return joins


def _first_test(condition: Condition) -> str | None:
    """The profile attribute `condition` tests first, reading it left to right."""
    if isinstance(condition, Compare | Member | Flag):
        return condition.name
    if isinstance(condition, Not):
        return _first_test(condition.operand)
    return _first_test(condition.parts[0]) if condition.parts else None


def profile_mask(pathway: Pathway, profile: str | Mapping[str, str]) -> int:
    """The profiles matching "attr=value,attr=value" (attributes left out may be anything).

    Flags take true/false (or yes/no). Raises `ValueError` naming the attribute or value and
    what was expected.
    """
    space = pathway.profile_space
    pairs = _pairs(profile) if isinstance(profile, str) else list(profile.items())
    mask = space.all_mask
    for name, text in pairs:
        attribute = pathway.profile.get(name)
        if attribute is None:
            known = ", ".join(pathway.profile) or "none are declared"
            raise ValueError(f"'{name}' is not a profile attribute (expected one of: {known})")
        value = _value(text, attribute.domain)
        if value is None:
            choices = ", ".join(_plain(v) for v in attribute.domain)
            raise ValueError(f"{name} has no value '{text}' (expected one of: {choices})")
        mask &= space.mask_where(name, value)
    return mask


def _pairs(text: str) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for part in text.split(","):
        if not part.strip():
            continue
        name, sep, value = part.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise ValueError(f"'{part.strip()}' is not attribute=value (for example consent=given)")
        pairs.append((name.strip(), value.strip()))
    return pairs


def _value(text: str, domain: tuple[str | bool, ...]) -> str | bool | None:
    if set(domain) == {False, True}:
        words = {"true": True, "yes": True, "false": False, "no": False}
        return words.get(text.lower())
    return text if text in domain else None


def _plain(value: str | bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _lane(pathway: Pathway, stage: str, kind: str) -> Lane:
    owner = pathway.stages[stage].owner
    if kind == "track":
        track = pathway.stages[stage].track
        if track in pathway.tracks:
            return Lane(f"track-{track}", pathway.tracks[track].title)
        return Lane(f"track-{track}", "Main track" if track == MAIN_TRACK else track)
    agencies = pathway.owner_agencies(owner)
    if len(agencies) == 1 and (owner in pathway.agencies or not pathway.baseline):
        return Lane(agencies[0], pathway.agencies[agencies[0]].name)
    role = pathway.roles.get(owner)
    title = role.title if role is not None else owner
    members = tuple(pathway.agencies[a].name for a in agencies)
    if agencies:
        return Lane(owner, f"{title} ({', '.join(members)})", title, members)
    return Lane(owner, title, title)


def _who(pathway: Pathway, owner: str) -> str:
    if owner in pathway.agencies:
        return pathway.agencies[owner].name
    if owner in pathway.roles:
        return pathway.roles[owner].title
    return owner


def _node(pathway: Pathway, name: str, lane: str, flagged: bool) -> Node:
    stage = pathway.stages[name]
    shape: Shape = "box"
    if stage.kind == "decision":
        shape = "decision"
    elif stage.kind == "outcome":
        shape = "outcome"
    details = [_who(pathway, stage.owner)]
    if stage.outcome is not None:
        details.append(f"outcome: {stage.outcome.replace('-', ' ')}")
    if stage.within is not None:
        details.append(f"within {stage.within}")
    return Node(
        id=name,
        title=stage.title,
        detail=" · ".join(details),
        shape=shape,
        lane=lane,
        entry=name == pathway.entry,
        flagged=flagged,
    )


def _link_lines(pathway: Pathway, name: str) -> tuple[str, ...]:
    handoff = pathway.handoffs[name]
    lines = [name.replace("_", " ").replace("-", " ")]
    if handoff.by:
        lines.append("by " + " or ".join(_who(pathway, who) for who in handoff.by))
    if handoff.when is not None:
        lines.append("if " + explain(handoff.when))
    if handoff.within is not None:
        verb = "automatically after" if handoff.timeout else "within"
        lines.append(f"{verb} {handoff.within}")
    if handoff.starts:
        titles = [pathway.tracks[t].title if t in pathway.tracks else t for t in handoff.starts]
        lines.append("starts " + ", ".join(titles))
    if handoff.waits_for:
        titles = [pathway.tracks[t].title if t in pathway.tracks else t for t in handoff.waits_for]
        lines.append("waits for " + ", ".join(titles))
    return tuple(lines)
