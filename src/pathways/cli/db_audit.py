"""`pathways db verify|anchor|rekey|late|new-key`: the audit trail and who recorded what when.

`verify` checks every journey's chain with the audit keys (`--audit-key-file FILE`, else the
file named by `PATHWAYS_AUDIT_KEY_FILE`, else the keys in `PATHWAYS_AUDIT_KEY`), and with
`--anchor FILE` also that no anchored journey was deleted, cut back or rewritten since the
anchor was made; with no key it says, on standard error and in its last line, that the record
is NOT protected against anyone with access to the database. `anchor` writes the signed heads
of every journey to keep somewhere else. `rekey` moves every journey's chain to the current
key (after adding a key, or for journeys written before keys were used). `late` lists the
events recorded (by the database's clock) more than `--hours` (24 by default) after the time
they were given. `new-key ID` prints a key file line for a new key, to append to the key file.
"""

from __future__ import annotations

import argparse
from datetime import timedelta
from typing import Any

from pathways.cli._common import (
    OK,
    PROBLEMS,
    USAGE,
    UsageError,
    add_quiet,
    opened_window,
    say,
    show,
)
from pathways.store import (
    JourneyStore,
    audit_keys,
    check_anchor,
    read_anchor,
    rekey,
    scan,
    write_anchor,
)
from pathways.store.keys import AuditKeys, new_key_line
from pathways.store.migrations import existing_revision, head

__all__ = ["ACTIONS", "add_key_option", "register", "run", "verify"]

#: The actions this module runs, with their help.
ACTIONS = (
    ("anchor", "write the signed head of every journey, to keep somewhere else"),
    ("rekey", "move every journey's audit chain to the current audit key"),
    ("late", "list the events recorded long after the time they were given"),
    ("new-key", "print a new audit key line to add to the key file"),
)

_NOT_PROTECTED = (
    "no audit key given: the chain was checked as plain SHA-256, so the record is NOT "
    "protected against anyone with access to the database (give --audit-key-file or "
    "PATHWAYS_AUDIT_KEY_FILE)"
)


def add_key_option(parser: argparse.ArgumentParser) -> None:
    """`--audit-key-file FILE` (else `PATHWAYS_AUDIT_KEY_FILE`, else `PATHWAYS_AUDIT_KEY`)."""
    parser.add_argument(
        "--audit-key-file",
        metavar="FILE",
        help="the audit key file (one '<key id> <secret>' a line, the current key last); "
        "default: the file PATHWAYS_AUDIT_KEY_FILE names, else the keys in PATHWAYS_AUDIT_KEY",
    )


def register(actions: Any, url_help: str, prefix_option: Any) -> None:
    """Add this module's actions to `pathways db`."""
    for name, text in ACTIONS:
        action = actions.add_parser(name, help=text, description=text)
        if name == "new-key":
            action.add_argument("key_id", metavar="ID", help="the new key's id, e.g. 2026-12")
            continue
        action.add_argument("url", metavar="URL", help=url_help)
        prefix_option(action)
        add_quiet(action, "print results and problems only")
        if name == "late":
            action.add_argument(
                "--hours", type=float, default=24.0,
                help="list events recorded more than this many hours after their time "
                "(default: 24)",
            )  # fmt: skip
            action.add_argument("--agency", help="only this agency's events")
            action.add_argument(
                "--from", dest="start", metavar="YYYY-MM-DD",
                help="only events recorded on or after this day",
            )  # fmt: skip
            action.add_argument(
                "--to", dest="end", metavar="YYYY-MM-DD",
                help="only events recorded before this day",
            )  # fmt: skip
            continue
        add_key_option(action)
        if name == "anchor":
            action.add_argument(
                "-o", "--output", metavar="FILE", required=True, help="the anchor file to write"
            )


def run(args: argparse.Namespace) -> int:
    """Run one of `ACTIONS`."""
    if args.action == "new-key":
        show(new_key_line(args.key_id))
        return OK
    if args.action == "late":
        return _late(args)
    keys = audit_keys(args.audit_key_file)
    if keys is None:
        raise UsageError(
            "this needs the audit key: give --audit-key-file, or set PATHWAYS_AUDIT_KEY_FILE"
        )
    if existing_revision(args.url, args.prefix) != head():
        raise UsageError(f"the schema is not at revision {head()}; run 'pathways db upgrade'")
    with JourneyStore(args.url, prefix=args.prefix, audit_key=keys, upgrade=False) as store:
        if args.action == "anchor":
            count = write_anchor(store, args.output)
            if not args.quiet:
                say(f"wrote {args.output}: {count} journey(s), signed with key {keys.current.id}")
            return OK
        done, refused = rekey(store)
    for finding in refused:
        show(str(finding))
    if not args.quiet:
        show(f"{done} journey(s) moved to audit key {keys.current.id}; {len(refused)} refused")
    return PROBLEMS if refused else OK


def verify(args: argparse.Namespace) -> int:
    """`pathways db verify URL [--audit-key-file F] [--anchor F]`."""
    url, prefix, quiet = args.url, args.prefix, args.quiet
    if existing_revision(url, prefix) != head():
        say(
            f"pathways db verify: the schema is not at revision {head()}; run 'pathways db upgrade'"
        )
        return USAGE
    keys = audit_keys(args.audit_key_file)
    if keys is None:
        say(f"pathways db verify: {_NOT_PROTECTED}")
    anchor = None if args.anchor is None else read_anchor(args.anchor, keys)
    checked, problems, cases = 0, 0, set()

    def progress(count: int) -> None:
        nonlocal checked
        checked = count
        if not quiet:
            say(f"pathways db verify: {count} journey(s) checked")

    with JourneyStore(url, prefix=prefix, read_only=True, audit_key=keys) as store:
        findings = list(scan(store, progress=progress))
        if anchor is not None:
            findings += check_anchor(store, anchor)
    stale: set[str] = set()
    for finding in sorted(findings):
        if finding.stale:  # a calendar change, not a problem of the record
            stale.add(finding.case_ref)
            continue
        show(str(finding))
        problems += 1
        cases.add(finding.case_ref)
    if stale:
        say(
            f"pathways db verify: the stored due dates of {len(stale)} journey(s) are out of "
            "date (the calendar changed since they were written): run `pathways db "
            "refresh-deadlines`"
        )
    if problems:
        show(f"{problems} problem(s) in {len(cases)} journey(s)")
        return PROBLEMS
    if not quiet:
        show(f"ok: {checked} journey(s) verified{_how(keys, anchor is not None)}")
    return OK


def _how(keys: AuditKeys | None, anchored: bool) -> str:
    if keys is None:
        return " WITHOUT an audit key: NOT protected against anyone with access to the database"
    against = " and against the anchor" if anchored else ""
    return f" with audit keys {', '.join(keys.ids)}{against}"


def _late(args: argparse.Namespace) -> int:
    window = opened_window(args.start, args.end)
    since, until = (None, None) if window is None else window
    if args.hours < 0:
        raise UsageError("--hours cannot be negative")
    with JourneyStore(args.url, prefix=args.prefix, read_only=True) as store:
        found = store.late(
            timedelta(hours=args.hours), agency=args.agency, since=since, until=until
        )
    if not found:
        if not args.quiet:
            show(f"no event recorded more than {args.hours:g} hours after its time")
        return OK
    show("case\tevent\twhat\tby\tstaff\tat\trecorded at\tlate by")
    for row in found:
        assert row.recorded_at is not None
        assert row.delay is not None
        show(
            f"{row.case_ref}\t{row.seq}\t{row.what}\t{row.by or '-'}\t{row.staff or '-'}\t"
            f"{row.at.isoformat()}\t{row.recorded_at.isoformat()}\t{_span(row.delay)}"
        )
    if not args.quiet:
        show(f"{len(found)} event(s) recorded more than {args.hours:g} hours after their time")
    return OK


def _span(delay: timedelta) -> str:
    hours, rest = divmod(int(delay.total_seconds()), 3600)
    days, hours = divmod(hours, 24)
    return f"{days}d {hours}h {rest // 60}m" if days else f"{hours}h {rest // 60}m"
