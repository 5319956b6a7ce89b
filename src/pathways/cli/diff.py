"""`pathways diff A B`: what differs between two areas' pathways, and whose routes differ.

Exit status: 0 when the pathways are the same, 1 when they differ, 2 for a usage error (a
missing file, a bad option, or a file that does not load, so nothing could be compared).
"""

from __future__ import annotations

import argparse
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
    visible,
    write_output,
)
from pathways.compare import compare
from pathways.definition.loader import Library
from pathways.definition.schema import Pathway
from pathways.errors import DefinitionError, Problem

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "diff",
        help="compare two areas' pathways (for example Hull and East Riding)",
        description="List the agencies, stages, handoffs, conditions, time limits and check "
        "findings present in one pathway and not the other (or changed, old -> new), and the "
        "victims whose route differs between them. Exit status 0 when the same, 1 when "
        "different, 2 for a usage error or a file that does not load.",
    )
    parser.add_argument("a", metavar="A", help="the first pathway file")
    parser.add_argument("b", metavar="B", help="the second pathway file")
    add_path_option(parser)
    parser.add_argument("--format", choices=("text", "json"), default="text", help="default: text")
    parser.add_argument(
        "--no-checks", action="store_true", help="do not run the checks to compare findings"
    )
    add_output(parser, "write to FILE (default: the screen)")
    add_quiet(parser, "print nothing: the exit status says whether they differ")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    library = Library(args.search)
    try:
        files = [named_file(path, library.search) for path in (args.a, args.b)]
    except UsageError as exc:
        say(f"pathways diff: {exc}")
        return USAGE
    for path, file in zip((args.a, args.b), files, strict=True):
        if not file.is_file():
            say(f"pathways diff: {path}: no such file")
            return USAGE
    pathways: list[Pathway] = []
    problems: list[Problem] = []
    for file in files:
        try:
            pathways.append(library.load(file))
        except DefinitionError as exc:
            problems.extend(exc.problems)
    if problems:
        count = print_problems(problems, result=False)
        say(f"{count} problem(s) stopped the comparison; fix them with pathways validate")
        return USAGE
    comparison = compare(pathways[0], pathways[1], with_findings=not args.no_checks)
    output = comparison.to_json() if args.format == "json" else visible(comparison.format())
    if not args.quiet or args.output:
        write_output(args.output, output, quiet=args.quiet)
    return OK if comparison.identical else PROBLEMS
