"""The duties map: each statutory duty, who owns it, where on the pathway it applies, how long.

```python
for line in duties_map(pathway):
    line.title, line.statute, line.owners      # owners: the agencies that carry it
    for place in line.stages:
        place.title, place.within              # the stage's time limit, if any
```

A duty's owners are the agencies that fill its `owner` (a role or an agency) and any agency
that lists the duty under its own `duties`. It applies at the stages that name it under
`basis`; each stage's time limit is its `within`, and each handoff from it with a `within`
is a deadline too; a stage's `at_least` is its minimum. A duty no stage discharges is still
listed (with no stages), since the forum must still say who carries it.
"""

from __future__ import annotations

from dataclasses import dataclass

from pathways.definition.schema import Pathway

__all__ = ["DutyLine", "Place", "duties_map"]


@dataclass(frozen=True, slots=True)
class Place:
    """A stage where a duty applies, with its time limits in words."""

    stage: str
    title: str
    within: str | None
    at_least: str | None
    deadlines: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DutyLine:
    """One statutory duty as the forum maps it."""

    key: str
    title: str
    statute: str
    owner: str
    owners: tuple[str, ...]
    stages: tuple[Place, ...]
    description: str


def duties_map(pathway: Pathway) -> tuple[DutyLine, ...]:
    """Every duty of the pathway, in the order the file declares them."""
    lines = []
    for key, duty in pathway.duties.items():
        carriers = list(pathway.owner_agencies(duty.owner))
        carriers += [a for a, agency in pathway.agencies.items() if key in agency.duties]
        names = [pathway.agencies[a].name for a in dict.fromkeys(carriers)]
        if not names and duty.owner in pathway.roles:
            names = [pathway.roles[duty.owner].title]
        owner = pathway.roles[duty.owner].title if duty.owner in pathway.roles else duty.owner
        if duty.owner in pathway.agencies:
            owner = pathway.agencies[duty.owner].name
        places = tuple(
            Place(
                name,
                stage.title,
                str(stage.within) if stage.within is not None else None,
                str(stage.at_least) if stage.at_least is not None else None,
                tuple(
                    f"{handoff} within {pathway.handoffs[handoff].within}"
                    for handoff in pathway.handoffs_from(name)
                    if pathway.handoffs[handoff].within is not None
                ),
            )
            for name, stage in pathway.stages.items()
            if key in stage.basis
        )
        lines.append(
            DutyLine(key, duty.title, duty.statute, owner, tuple(names), places, duty.description)
        )
    return tuple(lines)
