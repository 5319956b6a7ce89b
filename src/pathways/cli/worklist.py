"""`pathways worklist URL --agency ID [--overdue] [--awaiting] [--stage S] [--at TIME]`: an
agency's open work, position by position, from a journey store.

Each line is one position of a journey (a track at a stage) that the agency owns while the
journey is open (`JourneyStore.worklist`): its case reference, track, stage, since when, when
it becomes overdue, how long it has been overdue at `--at` (now, unless given), whether its
clock is paused and the referral waiting for the agency's answer, if any. `--overdue` keeps the
positions overdue at `--at`; `--awaiting` the referrals waiting for the agency to accept or
decline them; `--stage` one stage. `--format table` (the default), `json` or `csv`; `--limit`
positions at most (all of them when 0). The database is opened read-only. Exit status 0, or 2
when the database or an option cannot be used.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
from datetime import UTC, datetime
from typing import Any

from pathways.cli._common import OK, USAGE, add_output, say, write_output
from pathways.errors import StoreError
from pathways.store import PREFIX, JourneyStore, WorkItem
from pathways.store.failures import redact

__all__ = ["register", "run"]

_FIELDS = ("case_ref", "track", "stage", "since", "due", "overdue_by", "paused", "referral",
           "pathway_id", "version")  # fmt: skip
_PAGE = 1000


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "worklist",
        help="list an agency's open work from a journey store, stage by stage",
        description="List the positions of open journeys at stages an agency owns: overdue, "
        "awaiting its answer, or all of them.",
    )
    parser.add_argument("url", metavar="URL", help="database URL, e.g. sqlite:///cases.db")
    parser.add_argument("--agency", required=True, help="the agency whose work to list (its id)")
    parser.add_argument("--overdue", action="store_true", help="only positions overdue at --at")
    parser.add_argument(
        "--awaiting", action="store_true", help="only referrals waiting for the agency's answer"
    )
    parser.add_argument("--stage", help="only positions at this stage")
    parser.add_argument(
        "--at", metavar="TIME", help="the time asked about, ISO 8601 with a zone (default: now)"
    )
    parser.add_argument(
        "--format", choices=("table", "json", "csv"), default="table", help="output format"
    )
    parser.add_argument(
        "--limit", type=int, default=0, metavar="N", help="at most N positions (0: all)"
    )
    parser.add_argument("--prefix", default=PREFIX, help=f"table-name prefix (default: {PREFIX})")
    add_output(parser, "write to FILE instead of standard output")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        at = _time(args.at)
        if args.limit < 0:
            raise ValueError(f"--limit must be 0 or more, not {args.limit}")
        items = _items(args, at)
    except (StoreError, ValueError) as exc:
        say(f"pathways worklist: {redact(exc)}")
        return USAGE
    write_output(args.output, _render(items, args.format), quiet=True)
    return OK


def _time(text: str | None) -> datetime:
    if text is None:
        return datetime.now(UTC)
    try:
        at = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f"--at '{text}' is not a time (ISO 8601, e.g. 2026-12-03T09:00Z)"
        ) from None
    if at.tzinfo is None:
        raise ValueError(f"--at '{text}' has no time zone (add Z or +00:00)")
    return at


def _items(args: argparse.Namespace, at: datetime) -> list[WorkItem]:
    found: list[WorkItem] = []
    after: str | None = None
    with JourneyStore(args.url, prefix=args.prefix, read_only=True) as store:
        while True:
            wanted = _PAGE if not args.limit else min(_PAGE, args.limit - len(found))
            page = store.worklist(
                args.agency, at=at, overdue=args.overdue, awaiting_acceptance=args.awaiting,
                stage=args.stage, limit=wanted, after=after,
            )  # fmt: skip
            found += page.items
            if page.next is None or (args.limit and len(found) >= args.limit):
                return found
            after = page.next


def _values(item: WorkItem) -> dict[str, Any]:
    return {
        "case_ref": item.case_ref,
        "track": item.track,
        "stage": item.stage,
        "since": item.since.isoformat(),
        "due": None if item.due is None else item.due.isoformat(),
        "overdue_by": None if item.overdue_by is None else _days(item.overdue_by.total_seconds()),
        "paused": item.paused,
        "referral": item.referral,
        "pathway_id": item.pathway_id,
        "version": item.version,
    }


def _days(seconds: float) -> float:
    """A length of time in days, to two decimal places."""
    return round(seconds / 86400, 2)


def _render(items: list[WorkItem], form: str) -> str:
    rows = [_values(item) for item in items]
    if form == "json":
        return json.dumps(rows, indent=2) + "\n"
    if form == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=_FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return out.getvalue()
    if not rows:
        return "no work found\n"
    header = ("case", "track", "stage", "due", "overdue (days)", "paused", "awaiting")
    table = [header] + [
        (r["case_ref"], r["track"], r["stage"], r["due"] or "-",
         "-" if r["overdue_by"] is None else str(r["overdue_by"]),
         "yes" if r["paused"] else "", r["referral"] or "")
        for r in rows
    ]  # fmt: skip
    widths = [max(len(row[n]) for row in table) for n in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
             for row in table]  # fmt: skip
    return "\n".join(lines) + f"\n{len(rows)} position(s)\n"
