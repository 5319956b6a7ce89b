"""Small helpers shared by the subcommands: finding files and printing problems."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from pathways.definition.loader import discover
from pathways.errors import Problem

__all__ = ["UsageError", "files_from", "print_problems"]


class UsageError(Exception):
    """The command was asked for something impossible (exit status 2)."""


def files_from(paths: Sequence[str], default: str = "pathways") -> list[Path]:
    """Pathway files named by `paths` (folders searched), or under `default` if none given."""
    given = list(paths) or [default]
    for path in given:
        if not Path(path).exists():
            raise UsageError(f"{path}: no such file or folder")
    files = discover(given)
    if not files:
        raise UsageError(f"no pathway files (*.yaml) found in {', '.join(given)}")
    return files


def print_problems(problems: Iterable[Problem]) -> int:
    """Print each problem once, in file order; return how many were printed."""
    unique = sorted(set(problems), key=Problem.sort_key)
    for problem in unique:
        print(problem.format(), file=sys.stdout)
    return len(unique)
