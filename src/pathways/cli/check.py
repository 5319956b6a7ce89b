"""`pathways check [PATH...]`: find gaps, duplicate handoffs and repeated stories in pathways.

Exit status: 1 when any finding is an error (or there are more warnings than `--max-warnings`,
or a file does not load), 0 otherwise, 2 for a usage error.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from pathways.checks import PRESETS, CheckReport, check, find_project_config, read_config
from pathways.checks.output import FORMATS, json_report, markdown, sarif, text
from pathways.cli._common import (
    UsageError,
    add_path_option,
    files_from,
    load_one,
    print_problems,
)
from pathways.definition.loader import Library
from pathways.definition.schema import ChecksConfig
from pathways.errors import DefinitionError, Problem

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "check",
        help="find victims who fall through gaps, duplicate handoffs and repeated stories",
        description="Check each pathway file (folders are searched for *.yaml) against every "
        "rule in docs/rules.md. Each finding is printed as path:line:col: severity[rule]: "
        "message, with a route that shows it. Exit status 1 when there are errors (or more "
        "warnings than --max-warnings), 0 otherwise, 2 for a usage error.",
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
    parser.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    library = Library(args.search)
    try:
        files = files_from(args.paths, roots=library.search)
        project = _project(args.config)
    except UsageError as exc:
        print(f"pathways check: {exc}")
        return 2
    except DefinitionError as exc:
        print(exc)
        return 1
    reports: list[CheckReport] = []
    problems: list[Problem] = []
    for file in files:
        try:
            pathway = load_one(library, file)
            reports.append(check(pathway, project, preset=args.preset, library=library))
        except DefinitionError as exc:
            problems.extend(exc.problems)
    reports.sort(key=lambda r: r.path)
    output = _render(args, reports)
    if args.output:
        Path(args.output).write_text(output, encoding="utf-8")
    else:
        print(output, end="")
    if problems:
        count = print_problems(problems)
        print(f"{count} problem(s) stopped some files from being checked")
        return 1
    errors = sum(r.errors for r in reports)
    warnings = sum(r.warnings for r in reports)
    too_many = args.max_warnings >= 0 and warnings > args.max_warnings
    if too_many and args.format == "text" and not args.output:
        print(f"more than {args.max_warnings} warning(s) allowed by --max-warnings")
    return 1 if errors or too_many else 0


def _project(path: str | None) -> ChecksConfig | None:
    if path is None:
        return find_project_config()
    if not Path(path).is_file():
        raise UsageError(f"{path}: no such file")
    return read_config(path)


def _render(args: argparse.Namespace, reports: list[CheckReport]) -> str:
    if args.format == "json":
        return json_report(reports)
    if args.format == "sarif":
        return sarif(reports)
    if args.format == "markdown":
        return markdown(reports)
    return text(reports, with_metrics=args.metrics)
