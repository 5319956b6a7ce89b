"""`pathways db upgrade URL` and `pathways db verify URL`: look after a journey store.

`upgrade` brings the store's tables up to the newest schema shipped with this version (creating
them in an empty database). `verify` checks every journey: its events' hash chain, and that the
journey rebuilt from its events equals the stored journey; it prints each problem as it is
found, naming the case and the event, and its progress on stderr (a page of journeys at a time,
so memory stays bounded however large the database); it opens the database read-only, so it
can check a read-only copy. Exit status 0 when all is well, 1 when `verify` finds a problem, 2
when the database cannot be used. No message shows the URL's password.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from pathways.errors import StoreError
from pathways.store import PREFIX, JourneyStore, scan
from pathways.store.failures import redact
from pathways.store.migrations import current, existing_revision, head, upgrade

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "db",
        help="upgrade or verify a journey store database",
        description="Look after a journey store: upgrade its schema, or verify every journey.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    for name, text in (
        ("upgrade", "create or upgrade the store's tables to the newest schema"),
        ("verify", "check every journey's hash chain and rebuild it from its events"),
    ):
        action = actions.add_parser(name, help=text, description=text)
        action.add_argument("url", metavar="URL", help="database URL, e.g. sqlite:///cases.db")
        action.add_argument(
            "--prefix", default=PREFIX, help=f"table-name prefix (default: {PREFIX})"
        )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        if args.action == "upgrade":
            return _upgrade(args.url, args.prefix)
        return _verify(args.url, args.prefix)
    except StoreError as exc:
        print(f"pathways db {args.action}: {redact(exc)}")
        return 2


def _upgrade(url: str, prefix: str) -> int:
    before = current(url, prefix)
    upgrade(url, prefix)
    after = head()
    if before == after:
        print(f"already at revision {after}")
    else:
        print(f"upgraded from {before or 'an empty database'} to revision {after}")
    return 0


def _verify(url: str, prefix: str) -> int:
    if existing_revision(url, prefix) != head():
        print(
            f"pathways db verify: the schema is not at revision {head()}; run 'pathways db upgrade'"
        )
        return 2
    checked, problems, cases = 0, 0, set()

    def progress(count: int) -> None:
        nonlocal checked
        checked = count
        print(f"pathways db verify: {count} journey(s) checked", file=sys.stderr, flush=True)

    with JourneyStore(url, prefix=prefix, read_only=True) as store:
        for finding in scan(store, progress=progress):
            print(finding, flush=True)
            problems += 1
            cases.add(finding.case_ref)
    if problems:
        print(f"{problems} problem(s) in {len(cases)} journey(s)")
        return 1
    print(f"ok: {checked} journey(s) verified")
    return 0
