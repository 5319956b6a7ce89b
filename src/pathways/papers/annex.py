"""The sharing annex: for every pair of agencies, what information passes from one to the other.

```python
annex = sharing_annex(pathway)
for pair in annex.pairs:
    pair.sender.name, pair.receiver.name
    for passage in pair.passages:
        passage.item, passage.handoffs, passage.basis   # basis: LawfulBasis or None
```

Information passes along a handoff that shares it: from the agencies that own the stage the
handoff leaves to those that own the stage it arrives at, and to those that own the first
stage of any track the handoff starts (a referral that starts the police track carries what
it shares to the police). An owner that is a role counts as each agency that fills it; a role
no agency fills (a national baseline speaks in roles) stands for itself. An item passing
within one agency is left out: the annex is about sharing between organisations. The basis
is the handoff's own `lawful_basis` if it declares one, else the item's.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from pathways.definition.lawful_basis import LawfulBasis, missing_part
from pathways.definition.schema import Pathway

__all__ = ["Annex", "Pair", "Party", "Passage", "sharing_annex"]


@dataclass(frozen=True, slots=True, order=True)
class Party:
    """An agency (or a role no agency fills) that sends or receives information."""

    key: str
    name: str


@dataclass(frozen=True, slots=True)
class Passage:
    """One information item passing from one party to another, and on what basis."""

    item: str
    title: str
    sensitivity: str
    handoffs: tuple[str, ...]
    basis: LawfulBasis | None
    from_handoff: bool
    lacking: str | None  # for special category data: what its basis lacks, if anything


@dataclass(frozen=True, slots=True)
class Pair:
    sender: Party
    receiver: Party
    passages: tuple[Passage, ...]


@dataclass(frozen=True, slots=True)
class Annex:
    pairs: tuple[Pair, ...]

    @property
    def gaps(self) -> tuple[tuple[Pair, Passage], ...]:
        """Every special category passage whose lawful basis is missing or incomplete."""
        return tuple((p, x) for p in self.pairs for x in p.passages if x.lacking is not None)


def _parties(pathway: Pathway, owner: str) -> tuple[Party, ...]:
    agencies = pathway.owner_agencies(owner)
    if agencies:
        return tuple(Party(a, pathway.agencies[a].name) for a in agencies)
    role = pathway.roles.get(owner)
    return (Party(owner, role.title if role is not None else owner),)


def _moves(pathway: Pathway) -> Iterator[tuple[Party, Party, str]]:
    """(sender, receiver, handoff) for every handoff that shares something."""
    for name, handoff in pathway.handoffs.items():
        if not handoff.shares:
            continue
        targets = [handoff.to]
        targets += [pathway.tracks[t].entry for t in handoff.starts if t in pathway.tracks]
        receivers = {
            party
            for target in targets
            if target in pathway.stages
            for party in _parties(pathway, pathway.stages[target].owner)
        }
        for source in handoff.from_:
            if source not in pathway.stages:
                continue
            for sender in _parties(pathway, pathway.stages[source].owner):
                for receiver in sorted(receivers):
                    if receiver.key != sender.key:
                        yield sender, receiver, name


def sharing_annex(pathway: Pathway) -> Annex:
    """Every pair of parties between which the pathway passes information, sorted by name."""
    found: dict[tuple[Party, Party], dict[tuple[str, LawfulBasis | None, bool], list[str]]] = {}
    for sender, receiver, name in _moves(pathway):
        handoff = pathway.handoffs[name]
        for item in handoff.shares:
            declared = pathway.information.get(item)
            own = handoff.lawful_basis is not None
            basis = handoff.lawful_basis if own else (declared.lawful_basis if declared else None)
            passages = found.setdefault((sender, receiver), {})
            handoffs = passages.setdefault((item, basis, own), [])
            if name not in handoffs:
                handoffs.append(name)
    pairs = []
    for (sender, receiver), passages in sorted(found.items(), key=lambda kv: _order(kv[0])):
        lines = []
        for (item, basis, own), handoffs in passages.items():
            declared = pathway.information.get(item)
            sensitivity = declared.sensitivity if declared else "unknown"
            lacking = missing_part(basis) if sensitivity == "special-category" else None
            title = declared.title if declared else item
            lines.append(Passage(item, title, sensitivity, tuple(handoffs), basis, own, lacking))
        lines.sort(key=lambda p: (list(pathway.information).index(p.item)
                                  if p.item in pathway.information else len(pathway.information),
                                  p.handoffs))  # fmt: skip
        pairs.append(Pair(sender, receiver, tuple(lines)))
    return Annex(tuple(pairs))


def _order(pair: tuple[Party, Party]) -> tuple[str, str, str, str]:
    sender, receiver = pair
    return (sender.name.lower(), receiver.name.lower(), sender.key, receiver.key)
