"""`pathways validate [PATH...]`: load each pathway file and report every problem in it."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from pathways.cli._common import (
    OK,
    PROBLEMS,
    STDIN,
    USAGE,
    UsageError,
    add_path_option,
    add_quiet,
    files_from,
    load_one,
    print_problems,
    say,
    show,
    visible,
)
from pathways.definition.loader import Library
from pathways.errors import DefinitionError, Problem

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "validate",
        help="check that pathway files are written correctly",
        description="Load each pathway file (folders are searched for *.yaml) and report "
        "every problem, as path:line:col: error[code]: message. Exit status 0 when all "
        "are valid, 1 when any has problems, 2 for a usage error.",
    )
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="files, folders or ids such as humber/hull; '-' reads one file from standard "
        "input (default: pathways)",
    )
    add_path_option(parser)
    add_quiet(parser, "print problems only")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    library = Library(args.search)
    try:
        files = files_from(args.paths, roots=library.search)
    except UsageError as exc:
        say(f"pathways validate: {exc}")
        return USAGE
    problems: list[Problem] = []
    bad = 0
    for file in files:
        try:
            pathway = load_one(library, file)
        except DefinitionError as exc:
            problems.extend(exc.problems)
            bad += 1
            continue
        if not args.quiet:
            name = "<stdin>" if file == Path(STDIN) else file.as_posix()
            show(
                f"ok  {name}: {visible(pathway.title, lines=False)} "
                f"({len(pathway.stages)} stages, "
                f"{len(pathway.handoffs)} handoffs)"
            )
    count = print_problems(problems)
    if bad:
        noun = "problem" if count == 1 else "problems"
        show(f"{count} {noun} in {bad} of {len(files)} file(s)")
        return PROBLEMS
    if not args.quiet:
        show(f"{len(files)} file(s) valid")
    return OK
