"""Build plain data from a YAML parser's events, checking the reading rules as it goes.

The builder keeps the line and column of every key and value (`Positions`), refuses tags, the
merge key `<<`, a key written twice, keys that are lists or mappings and aliases to a block still
open, and bounds the work: node count, nesting depth and alias expansion all have limits, so a
hostile file is refused quickly instead of exhausting memory. It builds without recursion, so no
input can overflow the stack. It never imports the parser: `yaml_reader` feeds it the events.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from pathways.definition.located import Key, Limits, Positions
from pathways.definition.scalars import plain_problem, resolve_plain
from pathways.errors import Location, Problem

__all__ = ["Stop", "TreeBuilder", "too_deep"]


def too_deep(limits: Limits, at: Location) -> Problem:
    """The problem of a file nested deeper than `limits` allow (the builder or the parser)."""
    return Problem(
        "too-deep",
        f"the file is nested more than {limits.max_depth} levels deep",
        at,
        hint="pathway files are only a few levels deep; check the indentation",
    )


class Stop(Exception):
    """Raised inside the builder once a limit is hit: nothing more is worth reading."""


@dataclass(slots=True)
class _Frame:
    """A mapping or list being built."""

    container: dict[str, Any] | list[Any]
    path: Key
    anchor: str | None
    nodes_before: int
    pending_key: str | None = None
    key_at: Location | None = None
    seen: dict[str, Location] = field(default_factory=dict)
    bad_key: bool = False


class TreeBuilder:
    """Builds plain data from parser events, checking every rule in the module docstring."""

    def __init__(self, path: str, limits: Limits) -> None:
        self.path = path
        self.limits = limits
        self.positions = Positions(path)
        self.problems: list[Problem] = []
        self.result: Any = None
        self.stack: list[_Frame] = []
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.open_anchors: set[str] = set()
        self.nodes = 0
        self.alias_nodes = 0
        self.documents = 0
        self.skip = 0

    def at(self, mark: Any) -> Location:
        return Location(self.path, mark.line + 1, mark.column + 1)

    # --- events -------------------------------------------------------------------------

    def document_start(self, event: Any) -> None:
        self.documents += 1
        if self.documents > 1:
            self.problems.append(
                Problem(
                    "multiple-documents",
                    "the file holds more than one YAML document",
                    self.at(event.start_mark),
                    expected="one pathway per file",
                    hint="remove the '---' line and what follows, or move it to its own file",
                )
            )
            raise Stop

    def scalar(self, event: Any) -> None:
        self.refuse_tag(event)
        frame = self.stack[-1] if self.stack else None
        if (
            frame is not None
            and isinstance(frame.container, dict)
            and frame.pending_key is None
            and not frame.bad_key
        ):
            self.key(frame, event)
            return
        path = self.child_path()
        self.count(1, event)
        value = self.resolve(event, path)
        self.positions.values[path] = self.at(event.start_mark)
        self.positions.texts[path] = event.value
        if event.style in ("'", '"'):
            self.positions.quotes.add(path)
        if event.anchor is not None:
            self.anchors[event.anchor] = (value, 1)
        self.place(value)

    def key(self, frame: _Frame, event: Any) -> None:
        self.count(1, event)  # a key costs as much to hold as a value
        at = self.at(event.start_mark)
        text = event.value
        if event.style in (None, "") and text == "<<":
            self.problems.append(
                Problem(
                    "merge-key-refused",
                    "the YAML merge key '<<' is not allowed",
                    at,
                    expected="each key written out",
                    hint="copy the entries here, or use 'extends:' to build on another pathway",
                )
            )
        earlier = frame.seen.get(text)
        if earlier is not None:
            self.problems.append(
                Problem(
                    "duplicate-key",
                    f"the key '{text}' is written twice here (first at line {earlier.line}, "
                    f"column {earlier.column}); YAML would silently keep only the last",
                    at,
                    expected="each key once in the same place",
                    hint="remove one of them, or rename it",
                )
            )
        else:
            frame.seen[text] = at
        frame.pending_key = text
        frame.key_at = at
        self.positions.keys[(*frame.path, text)] = at

    def collection_start(self, event: Any, container: dict[str, Any] | list[Any]) -> None:
        self.refuse_tag(event)
        parent = self.stack[-1] if self.stack else None
        if (
            parent is not None
            and isinstance(parent.container, dict)
            and (parent.pending_key is None and not parent.bad_key)
        ):
            self.problems.append(
                Problem(
                    "bad-key",
                    "a key here is a list or a set of keys and values",
                    self.at(event.start_mark),
                    expected="a name",
                    hint="keys are plain names such as 'owner' or 'nrm-referral'",
                )
            )
            self.skip = 1
            return
        path = self.child_path()
        self.count(1, event)
        self.positions.values[path] = self.at(event.start_mark)
        if event.anchor is not None:
            self.open_anchors.add(event.anchor)
        self.stack.append(_Frame(container, path, event.anchor, self.nodes))
        self.check_depth(event)

    def collection_end(self, event: Any) -> None:
        frame = self.stack.pop()
        if frame.anchor is not None:
            self.open_anchors.discard(frame.anchor)
            self.anchors[frame.anchor] = (frame.container, self.nodes - frame.nodes_before + 1)
        self.place(frame.container)

    def skipped(self, event: Any, depth: int) -> None:
        """Skip the events of a key that is a list or mapping; its value is dropped too.

        `depth` is +1 for an event that opens a list or mapping, -1 for one that closes it and
        0 for any other event.
        """
        if depth > 0:
            self.skip += 1
            self.count(1, event)
        elif depth < 0:
            self.skip -= 1
        if self.skip == 0:
            frame = self.stack[-1]
            frame.pending_key = "?"
            frame.bad_key = True

    def alias(self, event: Any) -> None:
        at = self.at(event.start_mark)
        name = event.anchor
        if name in self.open_anchors:
            self.problems.append(
                Problem(
                    "yaml-syntax",
                    f"the alias '*{name}' refers to the block it is inside",
                    at,
                    expected="an alias to a block that has ended",
                    hint="write the entries out instead of using an alias",
                )
            )
            raise Stop
        value, size = self.anchors[name]
        self.alias_nodes += size
        if self.alias_nodes > self.limits.max_alias_nodes:
            self.problems.append(
                Problem(
                    "too-many-aliases",
                    f"aliases in this file expand to more than "
                    f"{self.limits.max_alias_nodes:,} values",
                    at,
                    hint="write the entries out, or simplify the file; pathway files need "
                    "no aliases",
                )
            )
            raise Stop
        frame = self.stack[-1] if self.stack else None
        if frame is not None and isinstance(frame.container, dict) and frame.pending_key is None:
            self.problems.append(
                Problem(
                    "bad-key",
                    "an alias is used as a key",
                    at,
                    expected="a name",
                    hint="write the key out",
                )
            )
            frame.bad_key = True
            frame.pending_key = "?"
            return
        path = self.child_path()
        self.count(size, event)
        self.positions.values[path] = at
        self.place(copy.deepcopy(value))

    # --- helpers ------------------------------------------------------------------------

    def child_path(self) -> Key:
        if not self.stack:
            return ()
        frame = self.stack[-1]
        if isinstance(frame.container, list):
            return (*frame.path, len(frame.container))
        return (*frame.path, frame.pending_key or "?")

    def place(self, value: Any) -> None:
        if not self.stack:
            self.result = value
            return
        frame = self.stack[-1]
        if isinstance(frame.container, list):
            index = (*frame.path, len(frame.container))
            if index not in self.positions.keys:
                self.positions.keys[index] = self.positions.nearest(index)
            frame.container.append(value)
            return
        key = frame.pending_key
        frame.pending_key = None
        if frame.bad_key:
            frame.bad_key = False
            return
        if key is not None and key not in frame.container:
            frame.container[key] = value

    def count(self, size: int, event: Any) -> None:
        self.nodes += size
        if self.nodes > self.limits.max_nodes:
            self.problems.append(
                Problem(
                    "too-large",
                    f"the file holds more than {self.limits.max_nodes:,} keys and values",
                    self.at(event.start_mark),
                    hint="a pathway has at most a few thousand; check this is the right file",
                )
            )
            raise Stop

    def check_depth(self, event: Any) -> None:
        if len(self.stack) > self.limits.max_depth:
            self.problems.append(too_deep(self.limits, self.at(event.start_mark)))
            raise Stop

    def refuse_tag(self, event: Any) -> None:
        tag = event.tag
        if tag is None or tag == "!":
            return
        if tag.startswith("tag:yaml.org,2002:"):
            tag = "!!" + tag.removeprefix("tag:yaml.org,2002:")
        self.problems.append(
            Problem(
                "yaml-tag-refused",
                f"the YAML tag '{tag}' is not allowed",
                self.at(event.start_mark),
                expected="plain text, numbers, true/false, lists and keys",
                hint="remove the tag; write the value as plain text",
            )
        )

    def resolve(self, event: Any, path: Key) -> Any:
        text: str = event.value
        if event.style is not None and event.style != "":
            return text
        value, code = resolve_plain(text)
        if code is not None:
            key = path[-1] if path and isinstance(path[-1], str) else None
            self.problems.append(plain_problem(code, text, self.at(event.start_mark), key))
        return value
