"""`pathways test [PATH...]`: run the case tests beside pathways and say which pass.

Folders are searched for `*.tests.yaml`; a case-test file may be named directly, and so may a
pathway file (its `<name>.tests.yaml` companion is run). Exit status 0 when every case passes,
1 when any fails or a file has problems, 2 for a usage error.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pathways.casetests import (
    SUFFIX,
    CaseSuite,
    Outcome,
    find_case_files,
    format_outcome,
    format_summary,
    load_cases,
    run_case,
)
from pathways.cli._common import (
    OK,
    PROBLEMS,
    USAGE,
    UsageError,
    add_path_option,
    add_quiet,
    named_file,
    print_problems,
    say,
    show,
)
from pathways.definition.bases import SUFFIXES
from pathways.definition.loader import Library
from pathways.errors import DefinitionError, Problem

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "test",
        help="run the case tests written beside pathways",
        description=f"Run the case tests in each *{SUFFIX} file (folders are searched; a "
        f"pathway file runs its <name>{SUFFIX} companion) and print PASS or FAIL for each "
        "case, with the reason and the route taken. Exit status 0 when every case passes, "
        "1 when any fails or a file has problems, 2 for a usage error.",
    )
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="files, folders or pathway ids such as humber/hull (default: pathways)",
    )
    add_path_option(parser)
    parser.add_argument(
        "-k", metavar="TEXT", dest="select", help="run only the cases whose name contains TEXT"
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="show the whole route of passing cases too"
    )
    add_quiet(parser, "print failures and the summary only")
    parser.set_defaults(run=run)


def case_files(paths: list[str], roots: Sequence[Path] = ()) -> list[Path]:
    """The case-test files named by `paths`, or under `pathways` if none are given; an id
    names the case tests of that pathway, looked up in `roots`."""
    given = paths or ["pathways"]
    found: list[Path] = []
    for name in given:
        path = named_file(name, roots, (SUFFIX, *SUFFIXES))
        if path.is_dir() or path.name.endswith(SUFFIX):
            found.extend(find_case_files([path]))
            continue
        companion = path.with_name(path.name.split(".")[0] + SUFFIX)
        if not companion.is_file():
            raise UsageError(f"{name}: no case tests beside it (looked for {companion.as_posix()})")
        found.append(companion)
    if not found:
        raise UsageError(f"no case-test files (*{SUFFIX}) found in {', '.join(given)}")
    return sorted(set(found))


def run(args: argparse.Namespace) -> int:
    try:
        library = Library(args.search)
        files = case_files(args.paths, library.search)
    except UsageError as exc:
        say(f"pathways test: {exc}")
        return USAGE
    problems: list[Problem] = []
    outcomes: list[Outcome] = []
    for file in files:
        try:
            suite = load_cases(file, library)
        except DefinitionError as exc:
            problems.extend(exc.problems)
            continue
        outcomes.extend(_run_file(suite, args))
    count = print_problems(problems)
    if count:
        noun = "problem" if count == 1 else "problems"
        show(f"{count} {noun} stopped some case tests from running")
    if args.select is not None and not outcomes and not problems:
        say(f"pathways test: no case name contains '{args.select}'")
        return USAGE
    show(format_summary(outcomes, len(files)))
    return PROBLEMS if count or any(not o.passed for o in outcomes) else OK


def _run_file(suite: CaseSuite, args: argparse.Namespace) -> list[Outcome]:
    """Run the cases of one file that `-k` selects, printing each as `-q` and `-v` ask."""
    names = [n for n in suite.cases if args.select is None or args.select in n]
    if not names:
        return []
    if not args.quiet:
        show(f"{suite.path} ({suite.pathway.title})")
    outcomes = []
    for name in names:
        outcome = run_case(suite, name)
        outcomes.append(outcome)
        if not (args.quiet and outcome.passed):
            show(format_outcome(outcome, suite.pathway, verbose=args.verbose))
    if not args.quiet:
        show()
    return outcomes
