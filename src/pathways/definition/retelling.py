"""Retelling: the one definition of a victim being asked again for what they already told.

```python
memory = Sharing(pathway).memory()
memory.arrive("fr-assessment")  # () : asked for 'account' for the first time
memory.hand(handoff.shares, "fr-assessment", ("police-interview",))
memory.arrive("police-interview")  # ('account',) unless the handoff shares it
```

A victim *retells* an item when a stage asks for it (`collects`) after an earlier stage of the
same journey already asked them, and the agency that owns the stage holds no copy: it neither
collected the item earlier on this journey nor received it along a handoff that shared it.
Information travels only along handoffs that `share` it, and only from an agency that holds
it, to the agencies that own the stages the handoff lands at (its target and the entries of
the tracks it starts). Asking for the first time is not a retelling; a stage whose agency
already holds the item does not ask again.

An *agency* here is the owner of a stage as `holder` reads it: the agencies that fill the
owner (taken together), or the owner itself when no agency fills it, or when it is a role of
a baseline (which speaks in roles).

Everything that counts retellings uses the rules below: `pathways check` (`repeat-story`,
over every route at once), `pathways test` (the `asked_...` limits), the board report and the
simulation. Holders are numbered, one bit each, so a set of holders is an `int`.
"""

from __future__ import annotations

from collections.abc import Iterable

from pathways.definition.schema import Pathway

__all__ = ["Memory", "Sharing", "handed", "holder", "is_asked", "is_retold"]


def holder(pathway: Pathway, owner: str) -> tuple[str, ...]:
    """The agencies that fill `owner`, as one holder; the owner itself when no agency does,
    or when it is a role of a baseline."""
    if pathway.baseline and owner in pathway.roles:
        return (owner,)
    return pathway.owner_agencies(owner) or (owner,)


def is_asked(held: int, owner: int) -> bool:
    """A stage owned by `owner` asks the victim for an item held by `held`."""
    return not held & owner


def is_retold(held: int, owner: int) -> bool:
    """A stage owned by `owner` asks again for an item the victim already told someone."""
    return held != 0 and not held & owner


def handed(held: int, source: int, receivers: int) -> int:
    """Who holds an item after a handoff that shares it, from a stage owned by `source` to
    stages owned by `receivers`."""
    return held | receivers if held & source else held


class Sharing:
    """A pathway's holders, numbered: each stage's owner as a bit."""

    def __init__(self, pathway: Pathway) -> None:
        self.pathway = pathway
        keys = sorted({holder(pathway, s.owner) for s in pathway.stages.values()})
        self.bits: dict[tuple[str, ...], int] = {key: 1 << i for i, key in enumerate(keys)}
        self.owner: dict[str, int] = {
            name: self.bits[holder(pathway, s.owner)] for name, s in pathway.stages.items()
        }

    def receivers(self, stages: Iterable[str]) -> int:
        """The holders of `stages` together."""
        found = 0
        for stage in stages:
            found |= self.owner.get(stage, 0)
        return found

    def memory(self) -> Memory:
        """What one journey's agencies hold, from its start."""
        return Memory(self)


class Memory:
    """Who holds each item on one journey, followed stage by stage (see the module docstring)."""

    def __init__(self, sharing: Sharing) -> None:
        self.sharing = sharing
        self.held: dict[str, int] = {}

    def arrive(self, stage: str) -> tuple[str, ...]:
        """The journey arrives at `stage`: the items the victim retells there."""
        return self.ask(stage)[1]

    def ask(self, stage: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The journey arrives at `stage`: the items the victim is asked for there, and those
        of them that are retellings."""
        declared = self.sharing.pathway.stages.get(stage)
        if declared is None:
            return (), ()
        owner = self.sharing.owner[stage]
        asked: list[str] = []
        retold: list[str] = []
        for item in declared.collects:
            held = self.held.get(item, 0)
            if is_asked(held, owner):
                asked.append(item)
                if is_retold(held, owner):
                    retold.append(item)
            self.held[item] = held | owner
        return tuple(asked), tuple(retold)

    def hand(self, shares: Iterable[str], source: str | None, lands: Iterable[str]) -> None:
        """A handoff that shares `shares` leaves `source` and lands at `lands`."""
        if source is None:
            return
        from_bit = self.sharing.owner.get(source, 0)
        to_bits = self.sharing.receivers(lands)
        for item in shares:
            held = self.held.get(item, 0)
            if held:
                self.held[item] = handed(held, from_bit, to_bits)
