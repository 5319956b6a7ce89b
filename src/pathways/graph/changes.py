"""Declared profile changes (a child turns 18) as bit shifts of the pathway's profile space.

Sets of profiles are Python ints used as bitmasks over the pathway's `ProfileSpace`; a declared
change moves the profiles it applies to by a fixed number of bits, so it is applied to every
profile of a set at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from pathways.definition.schema import Pathway

__all__ = ["Change", "changes_of"]


@dataclass(frozen=True, slots=True)
class Change:
    """A declared profile change as a bit shift: profiles in `source` move by `shift` bits;
    `attribute` is the profile attribute it changes."""

    label: str
    source: int
    shift: int
    attribute: str = ""

    def apply(self, mask: int) -> int:
        moved = mask & self.source
        return moved << self.shift if self.shift >= 0 else moved >> -self.shift

    def undo(self, mask: int) -> int:
        """The profiles that this change turns into profiles of `mask`."""
        back = mask >> self.shift if self.shift >= 0 else mask << -self.shift
        return back & self.source


def changes_of(pathway: Pathway) -> tuple[Change, ...]:
    """The pathway's declared profile changes, each as a bit shift of its profile space."""
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
            found.append(Change(label, source, shift, name))
    return tuple(found)


def _lowest(mask: int) -> int:
    return (mask & -mask).bit_length() - 1


def _word(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return f"'{value}'"
