"""Located data: what a file holds, and where in the file each key and value is written.

The YAML reader produces a `Source`; the schema's messages, `extends` and every later check use
its `Positions` to point a forum lead at the exact line and column of a problem. `Limits` bound
the work any one file may cause.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pathways.errors import Location

__all__ = ["DEFAULT_LIMITS", "Key", "Limits", "Positions", "Source"]

Key = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Limits:
    """How much work a file may cause; far above any real pathway, far below harm.

    `max_nodes` counts keys as well as values (a key costs as much to hold). The defaults
    allow about 100 times the largest bundled pathway and keep reading any file under a few
    seconds and a few hundred megabytes (benchmarks/bench_hostile.py); each limit has its
    problem code in docs/reference/errors.md.
    """

    max_bytes: int = 4 * 1024 * 1024  # file-too-large
    max_nodes: int = 500_000  # too-large
    max_depth: int = 64  # too-deep
    max_alias_nodes: int = 100_000  # too-many-aliases
    max_extends: int = 32  # extends-too-deep


DEFAULT_LIMITS = Limits()


@dataclass(slots=True)
class Positions:
    """Where each key and value of a file is, addressed by its path of keys and list indexes."""

    path: str
    keys: dict[Key, Location] = field(default_factory=dict)
    values: dict[Key, Location] = field(default_factory=dict)
    texts: dict[Key, str] = field(default_factory=dict)
    quotes: set[Key] = field(default_factory=set)

    def key(self, path: Key) -> Location | None:
        """Where the key (or list item) at `path` starts."""
        return self.keys.get(tuple(path))

    def value(self, path: Key) -> Location | None:
        """Where the value at `path` starts."""
        return self.values.get(tuple(path))

    def nearest(self, path: Key) -> Location:
        """The value at `path`, or failing that the closest enclosing key or value."""
        here = tuple(path)
        while True:
            found = self.values.get(here) or self.keys.get(here)
            if found is not None:
                return found
            if not here:
                return Location(self.path, 1, 1)
            here = here[:-1]

    def text(self, path: Key) -> str | None:
        """The scalar at `path` exactly as written (without quotes), if it is a scalar."""
        return self.texts.get(tuple(path))

    def quoted(self, path: Key) -> bool:
        """Was the scalar at `path` written in quotes?"""
        return tuple(path) in self.quotes


@dataclass(frozen=True, slots=True)
class Source:
    """A file read: its display name, its data and where everything in it is."""

    path: str
    data: Any
    positions: Positions
