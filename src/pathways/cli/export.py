"""`pathways export PATHWAY --db URL | --scenario FILE --format csv|parquet|xes|ocel -o FILE`:
journeys as an event log.

Writes every stored journey of the pathway (`--db`), or every simulated journey of a scenario
(`--scenario`, with `--replications` and `--seed`), one row per event, for pandas or a
process-mining tool (PM4Py, ProM, Celonis). Stored case references are replaced by pseudonyms
that change with each export unless `--keep-case-refs` is given. Exit status 0 when written, 1
when a file does not load, 2 for a usage error.
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
    opened_window,
    print_problems,
    say,
)
from pathways.definition.bases import ID_PATTERN, library_roots
from pathways.definition.loader import Library
from pathways.errors import DefinitionError, StoreError
from pathways.eventlog import LOG_FORMATS, EventRow, store_rows, write_log
from pathways.eventlog.simulated import simulated_rows
from pathways.plotting import MissingExtra
from pathways.simulation import load_scenario
from pathways.store import PREFIX, JourneyStore
from pathways.store.connection import safe_url

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "export",
        help="write the stored journeys as an event log (CSV, Parquet, XES, OCEL 2.0)",
        description="Write every stored journey of a pathway (--db), or every simulated journey "
        "of a scenario (--scenario), as an event log, one row per event: CSV or Parquet for "
        "pandas, XES (IEEE 1849) or OCEL 2.0 for process-mining tools. Stored case references "
        "are replaced by pseudonyms unless --keep-case-refs is given. Exit status 0 when "
        "written, 1 when a file does not load, 2 for a usage error.",
    )
    parser.add_argument(
        "pathway", metavar="PATHWAY", help="the pathway's id (humber/hull) or its file"
    )
    add_path_option(parser)
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--db", metavar="URL", help="the journey store's URL")
    source.add_argument("--scenario", metavar="FILE", help="simulate this scenario instead")
    parser.add_argument(
        "--replications", type=int, default=1, metavar="N", help="with --scenario (default 1)"
    )
    parser.add_argument("--seed", default="1", help="with --scenario (default 1)")
    parser.add_argument("--prefix", default=PREFIX, help=f"table-name prefix (default: {PREFIX})")
    parser.add_argument("--format", choices=LOG_FORMATS, required=True, help="the log's format")
    parser.add_argument(
        "--from", dest="start", metavar="YYYY-MM-DD", help="only journeys opened on or after"
    )
    parser.add_argument(
        "--to", dest="end", metavar="YYYY-MM-DD", help="only journeys opened before this day"
    )
    parser.add_argument(
        "--keep-case-refs",
        action="store_true",
        help="write the stored case references instead of pseudonyms",
    )
    add_output(parser, "the file to write (required)")
    add_quiet(parser, 'do not say "wrote FILE" on standard error')
    parser.set_defaults(run=run)


def _pathway_id(name: str, library: Library) -> str:
    """An id is used as it is; a file gives the id written in it."""
    if ID_PATTERN.fullmatch(name) and not Path(name).exists():
        return name
    path = named_file(name, library.search)
    try:
        return library.load(path).id
    except DefinitionError:
        raise UsageError(f"{name} does not load; run pathways validate {name}") from None


def _simulated(args: argparse.Namespace, library: Library) -> list[EventRow]:
    if args.replications < 1:
        raise UsageError("--replications must be at least 1")
    pathway = library.load(named_file(args.pathway, library.search))
    scenario_file = named_file(args.scenario, library_roots(args.search, "scenarios"), (".yaml",))
    scenario = load_scenario(scenario_file, search=tuple(args.search))
    seed = int(args.seed) if args.seed.lstrip("-").isdigit() else args.seed
    return list(simulated_rows(pathway, scenario, replications=args.replications, seed=seed))


def run(args: argparse.Namespace) -> int:
    library = Library(args.search)
    try:
        if args.output is None:
            raise UsageError("name the file to write with -o/--output FILE")
        pathway_id = _pathway_id(args.pathway, library)
        opened = opened_window(args.start, args.end)
    except UsageError as exc:
        say(f"pathways export: {exc}")
        return USAGE
    try:
        if args.scenario:
            rows = _simulated(args, library)
        else:
            with JourneyStore(args.db, prefix=args.prefix, read_only=True) as store:
                rows = list(
                    store_rows(store, pathway_id, keep_case_refs=args.keep_case_refs, opened=opened)
                )
        data = write_log(rows, args.format)
    except DefinitionError as exc:
        count = print_problems(exc.problems, result=False)
        say(f"{count} problem(s) stopped the export")
        return PROBLEMS
    except UsageError as exc:
        say(f"pathways export: {exc}")
        return USAGE
    except StoreError as exc:
        say(
            f"pathways export: the journey store at {safe_url(args.db)} could not be read "
            f"({type(exc).__name__})"
        )
        return USAGE
    except MissingExtra as exc:
        say(f"pathways export: {exc}")
        return USAGE
    target = Path(args.output)
    if isinstance(data, bytes):
        target.write_bytes(data)
    else:
        target.write_text(data, encoding="utf-8")
    if not args.quiet:
        cases = len({row.case for row in rows})
        say(f"wrote {target.as_posix()}: {len(rows)} events of {cases} journeys")
    return OK
