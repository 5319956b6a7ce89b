"""Small helpers shared by the subcommands: finding files, `--path`, and printing problems.

A file named on the command line is a path; when no such path exists, a name in the id
pattern (`humber/hull`) is looked up in the `--path` folders, then the folders of
`PATHWAYS_PATH`, then the library installed with pathways, so the bundled pathways can be
named from any folder. `-` is standard input, for the commands that read one pathway.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from pathways.definition.bases import ID_PATTERN, SUFFIXES, find_named
from pathways.definition.loader import Library, discover
from pathways.definition.schema import Pathway
from pathways.errors import Problem

__all__ = [
    "STDIN",
    "UsageError",
    "add_path_option",
    "files_from",
    "load_one",
    "named_file",
    "print_problems",
]

#: The name that stands for standard input.
STDIN = "-"


class UsageError(Exception):
    """The command was asked for something impossible (exit status 2)."""


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


def print_problems(problems: Iterable[Problem]) -> int:
    """Print each problem once, in file order; return how many were printed."""
    unique = sorted(set(problems), key=Problem.sort_key)
    for problem in unique:
        print(problem.format(), file=sys.stdout)
    return len(unique)
