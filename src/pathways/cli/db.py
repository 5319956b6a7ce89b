"""`pathways db current|history|upgrade|downgrade|verify|refresh-deadlines|outbox`: look
after a journey store.

`current` says which schema revision a store is at; `history` lists the revisions shipped
with this version (marking the store's, given its URL). `upgrade` brings the store's tables up
to the newest schema (creating them in an empty database); `downgrade` takes them back to an
earlier revision (`base` drops them, and every journey with them). `verify` checks every
journey: its events' hash chain, and that the journey rebuilt from its events equals the
stored journey; it prints each problem as it is found, naming the case and the event, and its
progress on stderr (a page of journeys at a time, so memory stays bounded however large the
database); stored due dates out of date only because the calendar changed since they were
written (a bank holiday announced since) are not problems: it says how many journeys have
them, and `refresh-deadlines` works them out again from the events, a batch of journeys per
transaction, saying how many changed. `outbox` says how many events each consumer group has
not acknowledged, and with `--purge-days N` deletes those every registered group has
acknowledged that are more than N days old (`--register NAME` and `--forget NAME` first add or
drop a group). `current`, `history`, `verify` and `outbox` without changes open the database
read-only, so they can look at a read-only copy. Exit status 0 when all is well, 1 when
`verify` finds a problem, `current` finds the store behind or `refresh-deadlines` skips a
journey, 2 when the database cannot be used (only `upgrade` creates a SQLite
file that does not exist; for the others a missing file is a usage error). No message shows
the URL's password.
"""

from __future__ import annotations

import argparse
from datetime import timedelta
from typing import Any

from pathways.cli._common import OK, PROBLEMS, USAGE, add_quiet, say, show
from pathways.errors import StoreError
from pathways.store import PREFIX, JourneyStore, scan
from pathways.store.failures import redact
from pathways.store.migrations import current, downgrade, existing_revision, head, history, upgrade
from pathways.store.refresh import BATCH, Refreshed, refresh_deadlines

__all__ = ["register", "run"]

_URL_HELP = "database URL, e.g. sqlite:///cases.db"
_ACTIONS = (
    ("current", "say which schema revision the store is at (exit status 1 when behind)"),
    ("history", "list the schema revisions shipped, newest first, marking the store's"),
    ("upgrade", "create or upgrade the store's tables to the newest schema"),
    ("downgrade", "take the store's tables back to an earlier revision (base: drop them all)"),
    ("verify", "check every journey's hash chain and rebuild it from its events"),
    ("refresh-deadlines", "work stored due dates out again after the calendar changed"),
    ("outbox", "count what each consumer group has not acknowledged; purge what all have"),
)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "db",
        help="upgrade, downgrade, inspect or verify a journey store database",
        description="Look after a journey store: see or change its schema revision, or "
        "verify every journey.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    for name, text in _ACTIONS:
        action = actions.add_parser(name, help=text, description=text)
        if name == "history":
            action.add_argument("url", nargs="?", metavar="URL", help=f"optional {_URL_HELP}")
        else:
            action.add_argument("url", metavar="URL", help=_URL_HELP)
        if name == "downgrade":
            action.add_argument(
                "revision", metavar="REVISION", help="the revision to go back to, or base"
            )
        action.add_argument(
            "--prefix", default=PREFIX, help=f"table-name prefix (default: {PREFIX})"
        )
        if name == "refresh-deadlines":
            action.add_argument(
                "--batch",
                type=int,
                default=BATCH,
                metavar="N",
                help=f"journeys written per transaction (default: {BATCH})",
            )
        if name == "outbox":
            _outbox_options(action)
        if name != "history":  # history prints its list and nothing else
            add_quiet(action, "print problems only")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        if args.action == "verify":
            return _verify(args.url, args.prefix, args.quiet)
        if args.action == "refresh-deadlines":
            return _refresh(args.url, args.prefix, args.batch, args.quiet)
        if args.action == "current":
            return _current(args.url, args.prefix, args.quiet)
        if args.action == "history":
            return _history(args.url, args.prefix)
        if args.action == "outbox":
            return _outbox(args)
        return _change(args)
    except (StoreError, ValueError) as exc:
        say(f"pathways db {args.action}: {redact(exc)}")
        return USAGE


def _current(url: str, prefix: str, quiet: bool) -> int:
    found = existing_revision(url, prefix)
    newest = head()
    if not quiet:
        if found is None:
            show(f"no journey store (prefix {prefix}); the newest revision is {newest}")
        else:
            show(f"{found}{' (head)' if found == newest else f'; the newest is {newest}'}")
    return OK if found == newest else PROBLEMS


def _history(url: str | None, prefix: str) -> int:
    at = existing_revision(url, prefix) if url else None
    newest = head()
    for revision in history():
        marks = [
            m for m, on in (("head", revision.id == newest), ("current", revision.id == at)) if on
        ]
        note = f" ({', '.join(marks)})" if marks else ""
        show(f"{revision.down or 'base'} -> {revision.id}{note}: {revision.doc.splitlines()[0]}")
    return OK


def _change(args: argparse.Namespace) -> int:
    # only an upgrade may create the database (a SQLite file); the others need one that exists
    before = (current if args.action == "upgrade" else existing_revision)(args.url, args.prefix)
    if args.action == "upgrade":
        upgrade(args.url, args.prefix)
    else:
        known = {r.id for r in history()} | {"base"}
        if args.revision not in known:
            raise ValueError(f"no revision {args.revision!r}; see pathways db history")
        downgrade(args.url, args.prefix, args.revision)
    after = current(args.url, args.prefix)
    if not args.quiet:
        if before == after:
            show(f"already at revision {after or 'base (no tables)'}")
        else:
            was = before or "an empty database"
            show(f"{args.action}d from {was} to revision {after or 'base (no tables)'}")
    return OK


def _verify(url: str, prefix: str, quiet: bool) -> int:
    if existing_revision(url, prefix) != head():
        say(
            f"pathways db verify: the schema is not at revision {head()}; run 'pathways db upgrade'"
        )
        return USAGE
    checked, problems, cases = 0, 0, set()

    def progress(count: int) -> None:
        nonlocal checked
        checked = count
        if not quiet:
            say(f"pathways db verify: {count} journey(s) checked")

    stale: set[str] = set()
    with JourneyStore(url, prefix=prefix, read_only=True) as store:
        for finding in scan(store, progress=progress):
            if finding.stale:
                stale.add(finding.case_ref)
                continue
            show(str(finding))
            problems += 1
            cases.add(finding.case_ref)
    if stale:  # a calendar change, not a problem of the record
        say(
            f"pathways db verify: the stored due dates of {len(stale)} journey(s) are out of "
            "date (the calendar changed since they were written): run `pathways db "
            "refresh-deadlines`"
        )
    if problems:
        show(f"{problems} problem(s) in {len(cases)} journey(s)")
        return PROBLEMS
    if not quiet:
        show(f"ok: {checked} journey(s) verified")
    return OK


def _refresh(url: str, prefix: str, batch: int, quiet: bool) -> int:
    if batch < 1:
        raise ValueError(f"--batch must be at least 1, not {batch}")
    if existing_revision(url, prefix) != head():
        raise ValueError(f"the schema is not at revision {head()}; run 'pathways db upgrade'")

    def progress(done: Refreshed) -> None:
        if not quiet:
            say(f"pathways db refresh-deadlines: {done.checked} journey(s) checked")

    with JourneyStore(url, prefix=prefix, upgrade=False) as store:
        done = refresh_deadlines(store, batch=batch, progress=progress)
    if not quiet:
        show(f"{done.changed} of {done.checked} journey(s) had due dates out of date: written")
    if done.skipped:
        show(
            f"{done.skipped} journey(s) skipped (changed meanwhile, or cannot be rebuilt: "
            "see `pathways db verify`)"
        )
        return PROBLEMS
    return OK


def _outbox_options(action: argparse.ArgumentParser) -> None:
    action.add_argument(
        "--purge-days",
        type=int,
        metavar="N",
        help="delete the events every registered group has acknowledged, once more than N days "
        "old (with no group registered, every event that old)",
    )
    action.add_argument(
        "--register", metavar="NAME", action="append", default=[], help="register a group"
    )
    action.add_argument(
        "--forget", metavar="NAME", action="append", default=[], help="forget a group"
    )


def _outbox(args: argparse.Namespace) -> int:
    if existing_revision(args.url, args.prefix) != head():
        raise ValueError(f"the schema is not at revision {head()}; run 'pathways db upgrade'")
    if args.purge_days is not None and args.purge_days < 0:
        raise ValueError("--purge-days must be 0 or more")
    changes = bool(args.register or args.forget or args.purge_days is not None)
    with JourneyStore(args.url, prefix=args.prefix, read_only=not changes) as store:
        outbox = store.outbox
        for name in args.register:
            outbox.register(name)
        for name in args.forget:
            outbox.forget(name)
        if args.purge_days is not None:
            gone = outbox.purge(older_than=timedelta(days=args.purge_days))
            if not args.quiet:
                show(f"purged {gone} event(s) acknowledged by every registered group")
        if not args.quiet:
            show(f"{outbox.size()} event(s) in the outbox")
            for group in outbox.groups():
                show(f"{group}: {outbox.pending(group)} not acknowledged")
    return OK
