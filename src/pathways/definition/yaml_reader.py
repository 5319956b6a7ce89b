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

The parser is libyaml's (through PyYAML) where available; this is the only module that imports
it. The tree is built from the parser's event stream by `tree_builder`, the meaning of plain
scalars is `scalars`, and what is read is a `located.Source`.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from pathways.definition.located import DEFAULT_LIMITS, Limits, Source
from pathways.definition.scalars import resolve_plain
from pathways.definition.tree_builder import Stop, TreeBuilder, too_deep
from pathways.errors import DefinitionError, Location, Problem

__all__ = ["dump_yaml", "read_file", "read_text"]

_Loader: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_Dumper: type[Any] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def read_file(
    file: str | os.PathLike[str], display: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> Source:
    """Read a YAML file; raise `DefinitionError` with every problem found."""
    path = Path(file)
    name = display if display is not None else path.as_posix()
    start = Location(name, 1, 1)
    try:
        raw = _read_regular(path, limits, start)
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


def _read_regular(path: Path, limits: Limits, start: Location) -> bytes:
    """The bytes of `path` if it is a regular file: a FIFO, device or folder is refused
    without waiting (it is opened non-blocking and checked before anything is read)."""
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    status = os.fstat(descriptor)
    if not stat.S_ISREG(status.st_mode):
        os.close(descriptor)
        raise DefinitionError(
            [
                Problem(
                    "not-a-file",
                    "this is not a regular file (it is a folder, a pipe or a device), "
                    "so I will not read it",
                    start,
                    expected="a pathway file saved on disk",
                    hint="name the YAML file itself",
                )
            ]
        )
    with os.fdopen(descriptor, "rb") as handle:
        if status.st_size > limits.max_bytes:
            raise DefinitionError([_too_big(status.st_size, limits, start)])
        return handle.read(limits.max_bytes + 1)


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
    builder = TreeBuilder(path, limits)
    loader = _Loader(text)
    try:
        _run(builder, loader)
    except yaml.MarkedYAMLError as exc:
        at = _place(exc, path, text)
        if "maximum nesting depth" in str(exc.problem):
            builder.problems.append(too_deep(limits, at))
        else:
            builder.problems.append(_syntax(exc, at, text))
            builder.problems.extend(_later_syntax(text, path, limits, at.line))
    except yaml.YAMLError as exc:
        builder.problems.append(Problem("yaml-syntax", f"the file is not valid YAML: {exc}", start))
    except Stop:
        pass
    finally:
        loader.dispose()
    if builder.problems:
        raise DefinitionError(builder.problems)
    return Source(path, builder.result, builder.positions)


#: The most syntax errors reported from one file (each costs one more read of it).
MAX_SYNTAX_ERRORS = 10


def _later_syntax(text: str, path: str, limits: Limits, first: int) -> list[Problem]:
    """The syntax errors after the first, so a forum lead sees them all at once: the file is
    read again with each bad line left blank, as long as each new error comes after the last
    (an error that does not move on is the first one's echo, and ends the search)."""
    lines = text.split("\n")
    blank, last = {first - 1}, first
    found: list[Problem] = []
    while len(found) < MAX_SYNTAX_ERRORS - 1:
        again = "\n".join("" if i in blank else line for i, line in enumerate(lines))
        loader = _Loader(again)
        try:
            _run(TreeBuilder(path, limits), loader)
            return found
        except yaml.MarkedYAMLError as exc:
            at = _place(exc, path, again)
            if at.line <= last or "maximum nesting depth" in str(exc.problem):
                return found
            found.append(_syntax(exc, at, again))
            blank.add(at.line - 1)
            last = at.line
        except (yaml.YAMLError, Stop):
            return found
        finally:
            loader.dispose()
    return found


def _place(exc: yaml.MarkedYAMLError, path: str, text: str) -> Location:
    """Where to point: the problem, or where the unfinished thing began if the problem is the
    end of the text; never past the text's last line."""
    lines = text.split("\n")
    mark = exc.problem_mark
    at_end = mark is not None and mark.index >= len(text.rstrip())
    if (mark is None or at_end) and exc.context_mark is not None:
        mark = exc.context_mark
    elif exc.context and "flow" in exc.context and exc.context_mark is not None:
        mark = exc.context_mark  # a bracket left open: point where it opened
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


def _alias(builder: TreeBuilder, event: Any) -> None:
    name = event.anchor
    if name not in builder.anchors and name not in builder.open_anchors:  # pragma: no cover
        # the parser refuses undefined aliases first
        raise yaml.MarkedYAMLError(problem=f"undefined alias '{name}'", problem_mark=None)
    builder.alias(event)


_HANDLERS: dict[type[Any], Callable[[TreeBuilder, Any], None]] = {
    yaml.DocumentStartEvent: TreeBuilder.document_start,
    yaml.ScalarEvent: TreeBuilder.scalar,
    yaml.MappingStartEvent: lambda b, e: b.collection_start(e, {}),
    yaml.SequenceStartEvent: lambda b, e: b.collection_start(e, []),
    yaml.MappingEndEvent: TreeBuilder.collection_end,
    yaml.SequenceEndEvent: TreeBuilder.collection_end,
    yaml.AliasEvent: _alias,
}
_OPENS = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_CLOSES = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


def _run(builder: TreeBuilder, loader: Any) -> None:
    """Feed the parser's events to the builder, skipping those of a key it refused."""
    while loader.check_event():
        event = loader.get_event()
        if builder.skip:
            depth = 1 if isinstance(event, _OPENS) else -1 if isinstance(event, _CLOSES) else 0
            builder.skipped(event, depth)
            continue
        handler = _HANDLERS.get(type(event))
        if handler is not None:
            handler(builder, event)


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
