"""`pathways import FILE --pathway FILE --db URL`: journeys from a spreadsheet, into the store.

Reads the spreadsheet `pathways template` writes (CSV, or .xlsx with openpyxl), checks every
row against the pathway by the runtime's own rules, and stores every journey in one
transaction, or nothing. Problems are printed by row and column, as
`journeys.csv:7:4: error[unknown-agency]: row 7, agency: ...`. Exit status 0 when imported (or,
with `--check`, when every row is right), 1 when a row is wrong, a case is stored already or
the pathway does not load (nothing is imported), 2 for a usage error.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from pathways.board.importing import build_journeys
from pathways.board.sheet import read_sheet
from pathways.cli._common import (
    OK,
    PROBLEMS,
    USAGE,
    UsageError,
    add_path_option,
    add_quiet,
    load_one,
    named_file,
    one_line,
    say,
)
from pathways.cli.db_audit import add_key_option
from pathways.definition.loader import Library
from pathways.errors import DefinitionError, Location, Problem, StoreError
from pathways.runtime.compiler import compile_pathway
from pathways.store import PREFIX, JourneyStore, audit_keys
from pathways.store.connection import safe_url
from pathways.store.failures import redact
from pathways.store.imports import store_all, stored_already

__all__ = ["SHOWN", "register", "run"]

#: At most this many problems are printed; the rest are counted.
SHOWN = 100


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "import",
        help="load journeys from a spreadsheet (CSV or Excel) into a journey store",
        description="Load journeys recorded in a spreadsheet (the template pathways template "
        "writes: one row per event) into a journey store, so that pathways report works "
        "without a case system. Every row is checked against the pathway first; if any is "
        "wrong, each problem is shown by row and column and nothing is imported. A new "
        "SQLite file is made if --db names one that does not exist. Exit status 0 when "
        "imported, 1 when a row is wrong or the pathway does not load, 2 for a usage error.",
    )
    parser.add_argument("file", metavar="FILE", help="the spreadsheet: a .csv or .xlsx file")
    parser.add_argument(
        "--pathway", required=True, metavar="FILE", help="the pathway file (or id) it follows"
    )
    add_path_option(parser)
    parser.add_argument("--db", required=True, metavar="URL", help="the journey store's URL")
    parser.add_argument("--prefix", default=PREFIX, help=f"table-name prefix (default: {PREFIX})")
    parser.add_argument("--check", action="store_true", help="check every row, but import nothing")
    add_key_option(parser)
    add_quiet(parser, "print only problems and warnings")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        library = Library(args.search)
        file = named_file(args.pathway, library.search)
        sheet_file = Path(args.file)
        if not sheet_file.is_file():
            raise UsageError(f"{args.file}: no such file")
    except UsageError as exc:
        say(f"pathways import: {exc}")
        return USAGE
    try:
        compiled = compile_pathway(load_one(library, file))
        built = build_journeys(read_sheet(sheet_file), compiled)
    except DefinitionError as exc:
        _print(exc.problems)
        say(f"{_count(exc.problems)} stopped the import; nothing was imported")
        return PROBLEMS
    except ImportError as exc:
        say(f"pathways import: {exc}")
        return USAGE
    _print(built.warnings)
    what = f"{len(built.journeys)} journey(s) from {built.rows} row(s)"
    if args.check:
        if not args.quiet:
            say(f"{sheet_file.as_posix()}: every row is right: {what}; nothing was imported")
        return OK
    shown = safe_url(args.db)
    try:
        keys = audit_keys(args.audit_key_file)
        with JourneyStore(args.db, prefix=args.prefix, audit_key=keys) as store:
            refs = [journey.case_ref for journey in built.journeys]
            already = stored_already(store, refs)
            if already:
                _print(
                    Problem("already-stored",
                            f"row {built.first_rows[ref]}, case_ref: case {ref} is in the "
                            "journey store already",
                            Location(sheet_file.as_posix(), built.first_rows[ref], 1), None,
                            "remove the cases imported before, or import into a new store")
                    for ref in already
                )  # fmt: skip
                say(f"{len(already)} case(s) stored already; nothing was imported")
                return PROBLEMS
            store_all(store, built.journeys)
    except StoreError as exc:
        say(f"pathways import: --db {shown}: {redact(exc)}; nothing was imported")
        return USAGE
    if not args.quiet:
        say(f"imported {what} into {shown}")
    return OK


def _print(problems: Any) -> None:
    unique = sorted(set(problems), key=Problem.sort_key)
    for problem in unique[:SHOWN]:
        say(one_line(problem).format())
    if len(unique) > SHOWN:
        say(f"... and {len(unique) - SHOWN} more")


def _count(problems: tuple[Problem, ...]) -> str:
    errors = sum(p.severity == "error" for p in problems)
    return f"{errors} problem(s)"
