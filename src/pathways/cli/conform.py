"""`pathways conform PATHWAY --db URL`: are the stored journeys following the pathway?

Every stored journey of the pathway is replayed against the version it ran on and against the
pathway file given (usually the new draft), and the command prints, for each: fitness (the
share of moves the pathway allows), the journeys that do not follow it with the first move that
differs, the moves journeys made that the pathway does not allow, the moves it has that no
journey made, and how visits kept to each stage's time limit. Exit status 0 when every journey
follows the pathway given, 1 when some do not (or the file does not load), 2 for a usage error.
"""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime
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
    write_output,
)
from pathways.conformance import conform_store, format_conformance, to_csv, to_dict
from pathways.definition.loader import Library
from pathways.errors import DefinitionError, StoreError
from pathways.store import PREFIX, JourneyStore
from pathways.store.connection import safe_url

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "conform",
        help="replay the stored journeys against the pathway: do they follow it?",
        description="Replay every stored journey of a pathway against the version it ran on "
        "and against the pathway file given (the new draft, say), and report fitness, the "
        "first move that differs for each journey that does not follow it, moves made that "
        "the pathway does not allow, moves it has that no journey made, and time limits kept "
        "by stage. Exit status 0 when every journey follows the pathway given, 1 when some "
        "do not, 2 for a usage error.",
    )
    parser.add_argument("path", metavar="PATHWAY", help="a pathway file or an id (humber/hull)")
    add_path_option(parser)
    parser.add_argument("--db", required=True, metavar="URL", help="the journey store's URL")
    parser.add_argument("--prefix", default=PREFIX, help=f"table-name prefix (default: {PREFIX})")
    parser.add_argument(
        "--from",
        dest="start",
        metavar="YYYY-MM-DD",
        help="only journeys opened on or after this day",
    )
    parser.add_argument(
        "--to", dest="end", metavar="YYYY-MM-DD", help="only journeys opened before this day"
    )
    parser.add_argument(
        "--format",
        choices=("text", "json", "csv"),
        default="text",
        help="default: text (csv: one row per journey, against the file given)",
    )
    add_output(parser, "write to FILE (default: the screen)")
    add_quiet(parser, 'do not say "wrote FILE" on standard error')
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    library = Library(args.search)
    try:
        path = named_file(args.path, library.search)
        opened = opened_window(args.start, args.end)
    except UsageError as exc:
        say(f"pathways conform: {exc}")
        return USAGE
    try:
        draft = library.load(path)
    except DefinitionError as exc:
        count = print_problems(exc.problems, result=False)
        say(f"{count} problem(s) stopped {args.path} from loading")
        return PROBLEMS
    now = datetime.now(UTC)
    try:
        with JourneyStore(args.db, prefix=args.prefix, read_only=True) as store:
            own, against = conform_store(store, draft, now=now, opened=opened)
    except StoreError as exc:
        say(
            f"pathways conform: the journey store at {safe_url(args.db)} could not be read "
            f"({type(exc).__name__})"
        )
        return USAGE
    if args.format == "csv":
        text = to_csv(against)
    elif args.format == "json":
        data = {
            "own_versions": {k: to_dict(v) for k, v in own.items()},
            "against": to_dict(against),
        }
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    else:
        text = _text(own, against, path)
    write_output(args.output, text, quiet=args.quiet)
    return OK if not against.not_fitting else PROBLEMS


def _text(own: dict[str, Any], against: Any, path: Path) -> str:
    parts = [
        f"{len(against.journeys)} stored journey(s) of {against.pathway}",
        "",
    ]
    for label, result in own.items():
        parts.append(format_conformance(result, f"Against the version they ran on ({label}):"))
    heading = f"Against {against.pathway} version {against.version} ({path.as_posix()}):"
    parts.append(format_conformance(against, heading))
    return "\n".join(parts)
