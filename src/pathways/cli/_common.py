"""What the subcommands share: finding files and `--path`, the common options, where text goes.

A file named on the command line is a path; when no such path exists, a name in the id
pattern (`humber/hull`) is looked up in the `--path` folders, then the folders of
`PATHWAYS_PATH`, then the library installed with pathways, so the bundled pathways can be
named from any folder. `-` is standard input, for the commands that read one pathway.

Results go to standard output and everything else (usage errors, "wrote FILE", progress) to
standard error, so a program can read the results of any command without picking through
them. Text for a terminal passes through `visible`: a control character in a pathway file
(an escape sequence can hide text, or make a report look clean) is shown as its escape.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date, datetime, time
from pathlib import Path

from pathways.definition.bases import ID_PATTERN, SUFFIXES, find_named
from pathways.definition.loader import Library, discover
from pathways.definition.schema import Pathway
from pathways.errors import Problem

__all__ = [
    "OK",
    "PROBLEMS",
    "STDIN",
    "USAGE",
    "UsageError",
    "add_output",
    "add_path_option",
    "add_quiet",
    "files_from",
    "load_one",
    "named_file",
    "one_line",
    "opened_window",
    "print_problems",
    "say",
    "show",
    "visible",
    "write_output",
]

# The exit status of every command (docs/reference/cli.md has the table).
OK, PROBLEMS, USAGE = 0, 1, 2

#: The name that stands for standard input.
STDIN = "-"

# C0 controls but tab and line feed, DEL, C1 controls, the bidirectional controls that can
# reorder or hide what a terminal shows, and (in a value that must stay on its line) line breaks.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_CONTROL_OR_BREAK = re.compile(f"{_CONTROL.pattern[:-1]}\n\u2028\u2029]")


class UsageError(Exception):
    """The command was asked for something impossible (exit status 2)."""


def visible(text: str, *, lines: bool = True) -> str:
    """`text` with each control character (but tab and line feed) shown as `\\r`, `\\xNN` or
    `\\uNNNN`, so that nothing in it can move the cursor, recolour or hide what follows.
    `lines=False` for one value that must stay on its line: its line breaks are shown too."""

    def escape(match: re.Match[str]) -> str:
        code = ord(match.group())
        if match.group() in "\r\n":
            return repr(match.group())[1:-1]
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return (_CONTROL if lines else _CONTROL_OR_BREAK).sub(escape, text)


def show(text: str = "", end: str = "\n") -> None:
    """Print a result on standard output, made `visible`."""
    sys.stdout.write(visible(text) + end)


def say(text: str) -> None:
    """Print a message about the run (not a result) on standard error, made `visible`."""
    print(visible(text), file=sys.stderr, flush=True)


def add_path_option(parser: argparse.ArgumentParser) -> None:
    """`--path DIR`: a library folder in which names such as `national/england` are found."""
    parser.add_argument(
        "--path",
        dest="search",
        action="append",
        default=[],
        metavar="DIR",
        help="a folder of pathway files in which 'extends:' and names such as "
        "national/england are looked up, after the file's own folder (may be given more than "
        "once; PATHWAYS_PATH adds more; the pathways installed with the package come last)",
    )


def named_file(name: str, roots: Iterable[Path], suffixes: Sequence[str] = SUFFIXES) -> Path:
    """The file `name` stands for: an existing path, or an id found in `roots`."""
    path = Path(name)
    if path.exists():
        return path
    if ID_PATTERN.fullmatch(name):
        found, _ = find_named(name, roots, suffixes)
        if found is not None:
            return found
    raise UsageError(f"{name}: no such file or folder")


def files_from(
    paths: Sequence[str], default: str = "pathways", roots: Iterable[Path] = ()
) -> list[Path]:
    """Pathway files named by `paths` (folders searched, ids looked up in `roots`), or under
    `default` if none given; `-` alone is standard input."""
    given = list(paths) or [default]
    if STDIN in given:
        if len(given) > 1:
            raise UsageError("'-' (standard input) cannot be given with other files")
        return [Path(STDIN)]
    search = tuple(roots)
    files = discover([named_file(path, search) for path in given])
    if not files:
        raise UsageError(f"no pathway files (*.yaml) found in {', '.join(given)}")
    return files


def load_one(library: Library, file: Path) -> Pathway:
    """Load a pathway file, or the pathway on standard input when `file` is `-`."""
    if file == Path(STDIN):
        return library.load_text(sys.stdin.read(), path="<stdin>")
    return library.load(file)


def print_problems(problems: Iterable[Problem], *, result: bool = True) -> int:
    """Print each problem once, in file order; return how many. The problems are the result
    (standard output) of `validate` and `test`; for a command they stop, they are messages
    about the run (`result=False`: standard error)."""
    unique = sorted(set(problems), key=Problem.sort_key)
    for problem in unique:
        (show if result else say)(one_line(problem).format())
    return len(unique)


def one_line(problem: Problem) -> Problem:
    """`problem` with the line breaks of what it quotes shown as escapes, so that each of its
    lines is one line (a file cannot add lines that look like other problems or none)."""
    return replace(
        problem,
        message=visible(problem.message, lines=False),
        expected=visible(problem.expected, lines=False) if problem.expected else None,
        hint=visible(problem.hint, lines=False) if problem.hint else None,
    )


def add_output(parser: argparse.ArgumentParser, help: str) -> None:
    """`-o/--output FILE`, the one spelling of every command; `--out` stays as a hidden alias
    (it was documented for `diagram`, `diff` and `report`)."""
    parser.add_argument("-o", "--output", metavar="FILE", help=help)
    parser.add_argument("--out", dest="output", help=argparse.SUPPRESS)


def add_quiet(parser: argparse.ArgumentParser, help: str) -> None:
    """`-q/--quiet`, saying what the command still prints."""
    parser.add_argument("-q", "--quiet", action="store_true", help=help)


def write_output(target: str | None, text: str, quiet: bool = False) -> None:
    """Write `text` to the file `target` (saying so on standard error), or to standard
    output when there is none."""
    if target is None:
        sys.stdout.write(text)
        return
    Path(target).write_text(text, encoding="utf-8")
    if not quiet:
        say(f"wrote {Path(target).as_posix()}")


def opened_window(start: str | None, end: str | None) -> tuple[datetime, datetime] | None:
    """`--from DAY` and `--to DAY` (YYYY-MM-DD, either may be left out) as the instants, London
    time, between which journeys were opened; None when neither is given. `UsageError` for a
    day that is not a date."""
    if not start and not end:
        return None
    from pathways.runtime.working_days import ENGLAND  # only the commands with a window need it

    def day(text: str | None, default: date) -> datetime:
        try:
            chosen = date.fromisoformat(text) if text else default
        except ValueError:
            raise UsageError(f"'{text}' is not a date YYYY-MM-DD") from None
        return datetime.combine(chosen, time(0), tzinfo=ENGLAND)

    return day(start, date(1900, 1, 1)), day(end, date(9000, 1, 1))
