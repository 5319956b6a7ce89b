"""`pathways check [PATH...]`: find gaps, duplicate handoffs and repeated stories in pathways.

The report goes to standard output (or the `-o` file) in the format asked for, and nothing
else does: a file that does not load is part of the report (its problems in the text, an
entry in JSON, a failed invocation with notifications in SARIF), so the output always parses.
Exit status: 1 when any finding is an error (or there are more warnings than
`--max-warnings`, or a file does not load), 0 otherwise, 2 for a usage error.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pathways import __version__
from pathways.checks import PRESETS, CheckReport, check, find_project_config, read_config
from pathways.checks.output import FORMATS, Unloaded, json_report, markdown, text
from pathways.checks.sarif import sarif
from pathways.cli._common import (
    OK,
    PROBLEMS,
    STDIN,
    USAGE,
    UsageError,
    add_output,
    add_path_option,
    add_quiet,
    files_from,
    load_one,
    print_problems,
    say,
    visible,
    write_output,
)
from pathways.definition.checks_config import ChecksConfig
from pathways.definition.loader import Library
from pathways.errors import DefinitionError

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "check",
        help="find victims who fall through gaps, duplicate handoffs and repeated stories",
        description="Check each pathway file (folders are searched for *.yaml) against every "
        "rule in docs/rules.md. Each finding is printed as path:line:col: severity[rule]: "
        "message, with a route that shows it. Exit status 1 when there are errors (or more "
        "warnings than --max-warnings, or a file does not load), 0 otherwise, 2 for a usage "
        "error.",
    )
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="files, folders or ids such as humber/hull; '-' reads one file from standard "
        "input (default: pathways)",
    )
    add_path_option(parser)
    parser.add_argument("--format", choices=FORMATS, default="text", help="output format")
    parser.add_argument("--preset", choices=PRESETS, help="rule preset (overrides the files)")
    parser.add_argument(
        "--max-warnings",
        type=int,
        default=-1,
        metavar="N",
        help="also fail when there are more than N warnings (default: no limit)",
    )
    parser.add_argument("--config", metavar="FILE", help="a TOML project config of the checks")
    parser.add_argument("--metrics", action="store_true", help="print the metrics in text output")
    add_output(parser, "write the report to FILE")
    add_quiet(parser, "print the findings only (text), and no messages on standard error")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    library = Library(args.search)
    try:
        files = files_from(args.paths, roots=library.search)
        project = _project(args.config)
    except UsageError as exc:
        say(f"pathways check: {exc}")
        return USAGE
    except DefinitionError as exc:
        say(f"pathways check: the project config {args.config} has problems:")
        print_problems(exc.problems, result=False)
        return PROBLEMS
    reports: list[CheckReport] = []
    unloaded: list[Unloaded] = []
    for file in files:
        try:
            pathway = load_one(library, file)
            reports.append(check(pathway, project, preset=args.preset, library=library))
        except DefinitionError as exc:
            name = "<stdin>" if file == Path(STDIN) else file.as_posix()
            unloaded.append(Unloaded(name, exc.problems))
    reports.sort(key=lambda r: r.path)
    write_output(args.output, _render(args, reports, unloaded), quiet=args.quiet)
    errors = sum(r.errors for r in reports)
    warnings = sum(r.warnings for r in reports)
    too_many = args.max_warnings >= 0 and warnings > args.max_warnings
    if not args.quiet:
        if unloaded:
            say(f"pathways check: {len(unloaded)} file(s) could not be checked")
        if too_many:
            say(f"pathways check: more than {args.max_warnings} warning(s) allowed")
    return PROBLEMS if errors or too_many or unloaded else OK


def _project(path: str | None) -> ChecksConfig | None:
    if path is None:
        return find_project_config()
    if not Path(path).is_file():
        raise UsageError(f"{path}: no such file")
    return read_config(path)


def _render(
    args: argparse.Namespace, reports: Sequence[CheckReport], unloaded: list[Unloaded]
) -> str:
    if args.format == "json":
        return json_report(reports, unloaded)
    if args.format == "sarif":
        return sarif(reports, unloaded, version=__version__)
    if args.format == "markdown":
        return markdown(reports, unloaded=unloaded)
    return visible(text(reports, with_metrics=args.metrics, unloaded=unloaded, quiet=args.quiet))
