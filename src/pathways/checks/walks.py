"""Sets of profiles as bitmasks: declared profile changes as bit shifts, and the result of a
walk (`Propagation`) with the parent records that give a shortest route back to its start.

Routes are written out from the end: at most `limit` steps are kept (long generated pathways
would otherwise spend their time printing routes), and a route cut short says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from pathways.schema import Pathway

__all__ = ["ROUTE_LIMIT", "Change", "Parent", "Propagation", "Seed", "Step", "changes_of"]

#: The most steps of a route kept in a finding; earlier steps are summarised.
ROUTE_LIMIT = 25


@dataclass(frozen=True, slots=True)
class Change:
    """A declared profile change as a bit shift: profiles in `source` move by `shift` bits."""

    label: str
    source: int
    shift: int

    def apply(self, mask: int) -> int:
        moved = mask & self.source
        return moved << self.shift if self.shift >= 0 else moved >> -self.shift

    def undo(self, mask: int) -> int:
        """The profiles that this change turns into profiles of `mask`."""
        back = mask >> self.shift if self.shift >= 0 else mask << -self.shift
        return back & self.source


class Step(NamedTuple):
    """One step of a route: arrive at `stage` by `handoff`, or change profile there.

    A named tuple rather than a frozen dataclass: routes are made of millions of steps on a
    large pathway, and a tuple is made several times faster."""

    stage: str
    profile: int
    handoff: str | None = None
    change: str | None = None
    after_gap: bool = False  # steps before this one were left out


# A parent record: (bits, previous stage, handoff name, change index, is a seed).
Parent = tuple[int, str | None, str | None, int | None, bool]
# A seed of a walk: (stage, profiles, (stage before, handoff taken) or None).
Seed = tuple[str, int, tuple[str, str] | None]


class Propagation:
    """Where profiles can be after a walk, and how they got there (for a shortest route)."""

    def __init__(self, changes: tuple[Change, ...]) -> None:
        self.changes = changes
        self.masks: dict[str, int] = {}
        self.parents: dict[str, list[Parent]] = {}

    def at(self, stage: str) -> int:
        """The profiles that can be at `stage` (0 when none)."""
        return self.masks.get(stage, 0)

    def route(
        self, stage: str, bit: int, limit: int = ROUTE_LIMIT
    ) -> tuple[list[Step], str | None]:
        """A shortest route back to a seed for profile `bit` at `stage`, seed first.

        Also returns the stage the seed was reached from (None for a seed with no origin, or
        when the route was cut short at `limit` steps: its first step then has `after_gap`).
        """
        steps: list[Step] = []
        here = stage
        while True:
            if len(steps) >= limit:
                first = steps[-1]
                steps[-1] = Step(first.stage, first.profile, first.handoff, first.change, True)
                steps.reverse()
                return steps, None
            for bits, before, handoff, change, seed in self.parents[here]:  # noqa: B007 - used after the loop
                if bits >> bit & 1:
                    break
            else:  # pragma: no cover - every recorded bit has a parent
                raise AssertionError("profile never reached this stage")
            if change is not None:
                steps.append(Step(here, bit, change=self.changes[change].label))
                bit -= self.changes[change].shift
                continue
            steps.append(Step(here, bit, handoff=handoff))
            if seed or before is None:
                steps.reverse()
                return steps, before
            here = before


def changes_of(pathway: Pathway) -> tuple[Change, ...]:
    space = pathway.profile_space
    found: list[Change] = []
    for name, attribute in pathway.profile.items():
        for change in attribute.changes:
            source = space.mask_where(name, change.from_)
            target = space.mask_where(name, change.to)
            shift = _lowest(target) - _lowest(source)
            moved = source << shift if shift >= 0 else source >> -shift
            if not source or moved != target:  # pragma: no cover - ProfileSpace is mixed-radix
                raise ValueError(f"profile change {name} is not a shift of the profile space")
            words = f"{name} changes from {_word(change.from_)} to {_word(change.to)}"
            label = f"{words} ({change.description})" if change.description else words
            found.append(Change(label, source, shift))
    return tuple(found)


def _lowest(mask: int) -> int:
    return (mask & -mask).bit_length() - 1


def _word(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return f"'{value}'"
