"""`pathways explore PATH -o pathway.html`: the offline explorer of one pathway.

Exit status: 0 when written, 1 when the file does not load, 2 for a usage error (a missing
file or no output named).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from pathways.cli._common import (
    OK,
    PROBLEMS,
    USAGE,
    UsageError,
    add_output,
    add_path_option,
    add_quiet,
    named_file,
    print_problems,
    say,
)
from pathways.definition.loader import Library
from pathways.errors import DefinitionError
from pathways.explorer import explore

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "explore",
        help="write one HTML file to explore a pathway offline: routes, stages, findings",
        description="Write the pathway in PATH as one HTML file that opens in any browser "
        "without an internet connection: the diagram, a choice of victim that highlights "
        "their route with its time limits, the details of each stage (who owns it, its time "
        "limits, the information asked and shared) and what pathways check found. Exit "
        "status 0 when written, 1 when the file does not load, 2 for a usage error.",
    )
    parser.add_argument("path", metavar="PATH", help="a pathway file or an id such as humber/hull")
    add_path_option(parser)
    add_output(parser, "the HTML file to write (required)")
    add_quiet(parser, 'do not say "wrote FILE" on standard error')
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    library = Library(args.search)
    try:
        if not args.output:
            raise UsageError("name the HTML file to write with -o/--output FILE")
        path = named_file(args.path, library.search)
        if not path.is_file():
            raise UsageError(f"{args.path}: no such file")
    except UsageError as exc:
        say(f"pathways explore: {exc}")
        return USAGE
    try:
        pathway = library.load(path)
    except DefinitionError as exc:
        count = print_problems(exc.problems, result=False)
        say(f"{count} problem(s) stopped {args.path} from being explored")
        return PROBLEMS
    Path(args.output).write_text(explore(pathway), encoding="utf-8")
    if not args.quiet:
        say(f"wrote {Path(args.output).as_posix()}")
    return OK
