"""Read YAML safely: plain data plus the line and column of every key and value.

Pathway and scenario files are written by people, not programs, so this reader is stricter than
YAML itself where YAML silently guesses:

- only plain data (mappings, lists, text, numbers, true/false); tags such as `!!python/object`
  and the merge key `<<` are refused;
- `yes`, `no`, `on` and `off` are refused as values (YAML 1.1 reads them as true/false, YAML 1.2
  as text); numbers that one reader takes as octal, sexagesimal or with separators are refused;
- a key written twice in one mapping is an error naming both places, not "the last one wins";
- dates stay as the text written (impossible dates such as 2023-02-30 are refused);
- work is bounded: file size, node count, nesting depth and alias expansion all have limits, so a
  hostile file is refused quickly instead of exhausting memory.

The parser is libyaml's (through PyYAML) where available; the tree is built here from its event
stream, without recursion, so no input can overflow the stack.
"""

from __future__ import annotations

import copy
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from pathways.errors import DefinitionError, Location, Problem

__all__ = [
    "DEFAULT_LIMITS",
    "Key",
    "Limits",
    "Positions",
    "Source",
    "dump_yaml",
    "read_file",
    "read_text",
]

Key = tuple[str | int, ...]

_Loader: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_Dumper: type[Any] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


@dataclass(frozen=True, slots=True)
class Limits:
    """How much work a file may cause; far above any real pathway, far below harm."""

    max_bytes: int = 16 * 1024 * 1024
    max_nodes: int = 2_000_000
    max_depth: int = 64
    max_alias_nodes: int = 100_000


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


def read_file(
    file: str | os.PathLike[str], display: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> Source:
    """Read a YAML file; raise `DefinitionError` with every problem found."""
    path = Path(file)
    name = display if display is not None else path.as_posix()
    start = Location(name, 1, 1)
    try:
        size = path.stat().st_size
        if size > limits.max_bytes:
            raise DefinitionError([_too_big(size, limits, start)])
        with path.open("rb") as handle:
            raw = handle.read(limits.max_bytes + 1)
    except OSError as exc:
        raise DefinitionError(
            [
                Problem(
                    "cannot-read",
                    f"the file cannot be read: {exc.strerror or exc}",
                    start,
                    hint="check the file name and that you may read it",
                )
            ]
        ) from None
    if len(raw) > limits.max_bytes:
        raise DefinitionError([_too_big(len(raw), limits, start)])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        raise DefinitionError(
            [
                Problem(
                    "not-utf8",
                    f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x} cannot be read)",
                    Location(name, line, column),
                    expected="a text file saved as UTF-8",
                    hint="in your editor, save the file again choosing the UTF-8 encoding",
                )
            ]
        ) from None
    return read_text(text, name, limits=limits)


def _too_big(size: int, limits: Limits, at: Location) -> Problem:
    return Problem(
        "file-too-large",
        f"the file is {size:,} bytes, more than the limit of {limits.max_bytes:,}",
        at,
        hint="a pathway file is a few thousand lines at most; check this is the right file",
    )


def read_text(text: str, path: str = "<text>", limits: Limits = DEFAULT_LIMITS) -> Source:
    """Read YAML text; `path` is the name used in messages. Raise `DefinitionError`."""
    start = Location(path, 1, 1)
    if len(text) > limits.max_bytes or len(text.encode("utf-8", "surrogatepass")) > (
        limits.max_bytes
    ):
        raise DefinitionError([_too_big(len(text.encode("utf-8", "replace")), limits, start)])
    if text.startswith("\ufeff"):
        text = text[1:]
    builder = _Builder(path, limits)
    loader = _Loader(text)
    try:
        builder.run(loader)
    except yaml.MarkedYAMLError as exc:
        at = _place(exc, path, text)
        if "maximum nesting depth" in str(exc.problem):
            builder.problems.append(_deep(limits, at))
        else:
            builder.problems.append(_syntax(exc, at, text))
    except yaml.YAMLError as exc:
        builder.problems.append(Problem("yaml-syntax", f"the file is not valid YAML: {exc}", start))
    except _Stop:
        pass
    finally:
        loader.dispose()
    if builder.problems:
        raise DefinitionError(builder.problems)
    return Source(path, builder.result, builder.positions)


def _place(exc: yaml.MarkedYAMLError, path: str, text: str) -> Location:
    """Where to point: the problem, or where the unfinished thing began if the problem is the
    end of the text; never past the text's last line."""
    lines = text.split("\n")
    mark = exc.problem_mark
    at_end = mark is not None and mark.index >= len(text.rstrip())
    if (mark is None or at_end) and exc.context_mark is not None:
        mark = exc.context_mark
    if mark is None:
        return Location(path, 1, 1)
    line, column = mark.line + 1, mark.column + 1
    if line > len(lines):
        line, column = len(lines), len(lines[-1]) + 1
    return Location(path, line, column)


def _syntax(exc: yaml.MarkedYAMLError, at: Location, text: str) -> Problem:
    what = (exc.problem or "unexpected text").rstrip(".")
    context = f" {exc.context}" if exc.context else ""
    line = text.splitlines()[at.line - 1] if 0 < at.line <= len(text.splitlines()) else ""
    if "quoted scalar" in context and "end of stream" in what:
        return Problem(
            "yaml-syntax",
            "the quote opened here is never closed",
            at,
            expected="a closing quote of the same kind on the same value",
            hint="close the quote; inside '...' write a quote as ''",
        )
    if "flow" in context and ("end of stream" in what or "expected ','" in what):
        bracket = "{" if "mapping" in context else "["
        closing = "}" if bracket == "{" else "]"
        return Problem(
            "yaml-syntax",
            f"the '{bracket}' opened here is never closed",
            at,
            expected=f"a matching '{closing}', with ',' between the items",
            hint="close the bracket, or write the items one per line instead",
        )
    if "\t" in line[: max(at.column, 1)] or "found character '\\t'" in what:
        return Problem(
            "yaml-syntax",
            "a tab is used for indentation here",
            at,
            expected="indentation made of spaces",
            hint="indent with spaces, not tabs (most editors can convert tabs to spaces)",
        )
    if "mapping values are not allowed" in what:
        hint = "put a space after every ':' and quote text that contains ': '"
    elif "could not find expected ':'" in what or "simple key" in what:
        hint = "every line inside a block needs 'key: value'; check the line above"
    else:
        hint = "check the indentation and the quotes on this line and the one above"
    return Problem(
        "yaml-syntax",
        f"this is not valid YAML: {what}{context}",
        at,
        expected="keys and values indented with spaces, 'key: value'",
        hint=hint,
    )


def _deep(limits: Limits, at: Location) -> Problem:
    return Problem(
        "too-deep",
        f"the file is nested more than {limits.max_depth} levels deep",
        at,
        hint="pathway files are only a few levels deep; check the indentation",
    )


class _Stop(Exception):
    """Raised inside the builder once a limit is hit: nothing more is worth reading."""


_NULL = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
_AMBIGUOUS_BOOL = frozenset(
    w for word in ("yes", "no", "on", "off", "y", "n") for w in (word, word.title(), word.upper())
)
_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[-+]?([0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)([eE][-+]?[0-9]+)?")
_AMBIGUOUS_NUMBER = re.compile(
    r"[-+]?(0[0-9]+|0[xXoObB][0-9a-fA-F_]+|[0-9][0-9_]*_[0-9_]*(\.[0-9_]*)?"
    r"|[0-9]+(:[0-5]?[0-9])+(\.[0-9_]*)?|\.(inf|Inf|INF|nan|NaN|NAN))"
)
_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")


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


class _Builder:
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

    def run(self, loader: Any) -> None:
        while loader.check_event():
            event = loader.get_event()
            if self.skip:
                self.skipped(event)
                continue
            handler = _HANDLERS.get(type(event))
            if handler is not None:
                handler(self, event)

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
            raise _Stop

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

    def skipped(self, event: Any) -> None:
        """Skip the events of a key that is a list or mapping; its value is dropped too."""
        if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            self.skip += 1
            self.count(1, event)
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
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
            raise _Stop
        found = self.anchors.get(name)
        if found is None:  # pragma: no cover - the parser refuses undefined aliases first
            raise yaml.MarkedYAMLError(problem=f"undefined alias '{name}'", problem_mark=None)
        value, size = found
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
            raise _Stop
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
                    f"the file holds more than {self.limits.max_nodes:,} values",
                    self.at(event.start_mark),
                    hint="a pathway has at most a few thousand; check this is the right file",
                )
            )
            raise _Stop

    def check_depth(self, event: Any) -> None:
        if len(self.stack) > self.limits.max_depth:
            self.problems.append(_deep(self.limits, self.at(event.start_mark)))
            raise _Stop

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
            self.problems.append(_PLAIN_PROBLEMS[code](text, self.at(event.start_mark)))
        return value


def resolve_plain(text: str) -> tuple[Any, str | None]:
    """What an unquoted scalar means here, and the problem code if it is refused."""
    if text in _NULL:
        return None, None
    if text in _TRUE:
        return True, None
    if text in _FALSE:
        return False, None
    if text in _AMBIGUOUS_BOOL:
        return text, "ambiguous-boolean"
    if _INT.fullmatch(text):
        return int(text), None
    if _AMBIGUOUS_NUMBER.fullmatch(text):
        return text, "ambiguous-number"
    if _FLOAT.fullmatch(text):
        return float(text), None
    match = _DATE.fullmatch(text)
    if match is not None:
        try:
            date(*(int(part) for part in match.groups()))
        except ValueError:
            return text, "invalid-date"
    return text, None


_PLAIN_PROBLEMS: dict[str, Callable[[str, Location], Problem]] = {
    "ambiguous-boolean": lambda text, at: Problem(
        "ambiguous-boolean",
        f"'{text}' could be read as true/false or as the word '{text}'",
        at,
        expected="true or false, or the word in quotes",
        hint=f"write true or false, or quote it: '{text}'",
    ),
    "ambiguous-number": lambda text, at: Problem(
        "ambiguous-number",
        f"'{text}' could be read as a number in a surprising way",
        at,
        expected="plain digits such as 12 or 1.5, or text in quotes",
        hint=f"quote it if it is a name or a code: '{text}'",
    ),
    "invalid-date": lambda text, at: Problem(
        "invalid-date",
        f"'{text}' is not a date that exists",
        at,
        expected="a real date written YYYY-MM-DD",
        hint="check the day and month",
    ),
}


_HANDLERS: dict[type[Any], Callable[[_Builder, Any], None]] = {
    yaml.DocumentStartEvent: _Builder.document_start,
    yaml.ScalarEvent: _Builder.scalar,
    yaml.MappingStartEvent: lambda b, e: b.collection_start(e, {}),
    yaml.SequenceStartEvent: lambda b, e: b.collection_start(e, []),
    yaml.MappingEndEvent: _Builder.collection_end,
    yaml.SequenceEndEvent: _Builder.collection_end,
    yaml.AliasEvent: _Builder.alias,
}


class _SafeDumper(_Dumper):  # type: ignore[misc]
    """PyYAML's safe dumper, quoting every text this reader would not read back as text."""


def _represent_text(dumper: Any, text: str) -> Any:
    value, code = resolve_plain(text)
    if code is not None or not isinstance(value, str) or value != text:
        return dumper.represent_scalar("tag:yaml.org,2002:str", text, style="'")
    return dumper.represent_str(text)


_SafeDumper.add_representer(str, _represent_text)


def dump_yaml(data: Any) -> str:
    """Plain data as block-style YAML that `read_text` reads back to the same data."""
    text: str = yaml.dump(
        data,
        Dumper=_SafeDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )
    return text
