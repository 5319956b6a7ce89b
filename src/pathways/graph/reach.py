"""Where each victim can go: the stages a profile can reach from the entry, as bitmasks.

```python
from pathways.graph.reach import reach
masks = reach(pathway)              # stage -> the profiles that can arrive there
```

A route starts at the entry with the profiles given (every profile unless told otherwise) and
moves along handoffs whose condition the victim meets; a handoff that `starts:` a parallel track
also puts the victim at that track's entry. A handoff that `waits_for:` a track is taken as
open. Profiles do not change on the way: each victim keeps the profile they started with, which
is the question "which route is open to *this* victim?" that diagrams and comparisons ask.
"""

from __future__ import annotations

from collections import deque

from pathways.definition.conditions import satisfying
from pathways.definition.schema import Pathway

__all__ = ["handoff_mask", "reach", "taken"]


def handoff_mask(pathway: Pathway, name: str) -> int:
    """The profiles (bitmask over `pathway.profile_space`) who meet handoff `name`'s condition."""
    space = pathway.profile_space
    when = pathway.handoffs[name].when
    return space.all_mask if when is None else satisfying(when, space) & space.all_mask


def reach(
    pathway: Pathway, profiles: int | None = None, closed: frozenset[str] = frozenset()
) -> dict[str, int]:
    """For each stage, the profiles in `profiles` (default: all) that can arrive there.

    Stages no one in `profiles` can reach are left out, and so are the `closed` stages, which
    no route may enter. Each stage is visited again only when new profiles arrive, so the walk
    is linear in stages x profiles at worst.
    """
    space = pathway.profile_space
    start = space.all_mask if profiles is None else profiles & space.all_mask
    entries = {name: track.entry for name, track in pathway.tracks.items()}
    masks = {name: handoff_mask(pathway, name) for name in pathway.handoffs}
    found: dict[str, int] = {}
    queue: deque[tuple[str, int]] = deque([(pathway.entry, start)])
    while queue:
        stage, bits = queue.popleft()
        if stage not in pathway.stages or stage in closed:
            continue
        new = bits & ~found.get(stage, 0)
        if not new:
            continue
        found[stage] = found.get(stage, 0) | new
        for name in pathway.handoffs_from(stage):
            handoff = pathway.handoffs[name]
            moving = new & masks[name]
            if not moving:
                continue
            queue.append((handoff.to, moving))
            queue.extend((entries[t], moving) for t in handoff.starts if t in entries)
    return {stage: found[stage] for stage in pathway.stages if found.get(stage)}


def taken(pathway: Pathway, found: dict[str, int]) -> dict[str, int]:
    """For each handoff, the profiles (from a `reach` result) that can take it; unused left out."""
    result: dict[str, int] = {}
    for name, handoff in pathway.handoffs.items():
        bits = 0
        for source in handoff.from_:
            bits |= found.get(source, 0)
        bits &= handoff_mask(pathway, name)
        if bits:
            result[name] = bits
    return result
