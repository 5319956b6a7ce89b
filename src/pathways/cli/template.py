"""`pathways template [--pathway FILE] [-o FILE] [--format csv|xlsx]`: the journeys spreadsheet.

Writes the template that `pathways import` reads: one row per event, with notes that say what
each column holds and, for a pathway, its agencies, handoffs, information items and profile
values. Exit status 0 when written, 1 when the pathway does not load, 2 for a usage error
(an .xlsx file without openpyxl, a file that is there already).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from pathways.board.template import template_csv, write_template
from pathways.cli._common import (
    OK,
    PROBLEMS,
    USAGE,
    UsageError,
    add_output,
    add_path_option,
    add_quiet,
    load_one,
    named_file,
    print_problems,
    say,
)
from pathways.definition.loader import Library
from pathways.definition.schema import Pathway
from pathways.errors import DefinitionError

__all__ = ["FORMATS", "register", "run"]

FORMATS = ("csv", "xlsx")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "template",
        help="write the spreadsheet template that pathways import reads (CSV or Excel)",
        description="Write a spreadsheet template for recording journeys without a case "
        "system: one row per event (case reference, date, step, agency, what was shared, "
        "the person's profile), with notes on how to fill it in. Give the pathway with "
        "--pathway to list its agencies, handoffs and profile values in the notes. Fill it "
        "in, then load it with pathways import. Exit status 0 when written, 1 when the "
        "pathway does not load, 2 for a usage error.",
    )
    parser.add_argument("--pathway", metavar="FILE", help="the pathway file (or id) it is for")
    add_path_option(parser)
    add_output(parser, "the file to write (default: journeys.csv, or journeys.xlsx)")
    parser.add_argument(
        "--format",
        choices=FORMATS,
        help="csv (needs nothing) or xlsx (needs pathways[spreadsheets]); "
        "default: from the file name, else csv",
    )
    parser.add_argument("--force", action="store_true", help="replace the file if it exists")
    add_quiet(parser, "do not say what was written")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        target = _target(args.output, args.format)
        if target.exists() and not args.force:
            raise UsageError(f"{target.as_posix()} exists already; add --force to replace it")
        library = Library(args.search)
        file = named_file(args.pathway, library.search) if args.pathway else None
    except UsageError as exc:
        say(f"pathways template: {exc}")
        return USAGE
    pathway: Pathway | None = None
    if file is not None:
        try:
            pathway = load_one(library, file)
        except DefinitionError as exc:
            count = print_problems(exc.problems, result=False)
            say(f"{count} problem(s) stopped the template; fix them with pathways validate")
            return PROBLEMS
    if target.as_posix() == "-":
        print(template_csv(pathway), end="")
        return OK
    try:
        write_template(target, pathway)
    except ImportError as exc:
        say(f"pathways template: {exc}")
        return USAGE
    if not args.quiet:
        say(f"wrote {target.as_posix()}: fill in one row per event, then run pathways import")
    return OK


def _target(output: str | None, form: str | None) -> Path:
    if output is None:
        return Path(f"journeys.{form or 'csv'}")
    target = Path(output)
    suffix = target.suffix.lower().lstrip(".")
    if output == "-":
        if form == "xlsx":
            raise UsageError("an Excel workbook cannot be written to standard output")
        return target
    if form is not None and suffix != form:
        raise UsageError(f"--format {form} needs a file name ending in .{form}, not {output}")
    if suffix not in FORMATS:
        raise UsageError(f"{output}: the template is a .csv or .xlsx file")
    return target
