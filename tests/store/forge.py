"""A forger with access to the database but not the audit key, for the tamper tests.

`forge` does what someone who can write every table would do to make an edit look consistent:
it recomputes every link of the journey's chain from `start` on (the links before are left as
they are, still valid), with plain SHA-256 (`secret=None`) or a key of their own, and sets the
journey row's head to match. `strip=True` also removes the journey's key changes and marks it
unkeyed, as if it had been written before audit keys were used.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, update

from pathways.store import JourneyStore, audit


def forge(
    store: JourneyStore,
    case_ref: str,
    *,
    secret: bytes | None,
    start: int = 0,
    strip: bool = False,
) -> None:
    """Recompute `case_ref`'s chain links from event `start` on (see the module docstring)."""
    t = store.tables
    with store.engine.begin() as conn:
        row = store.row(conn, case_ref)
        entries = sorted(store.entries(conn, case_ref), key=audit.Entry.order)
        previous = audit.GENESIS
        for entry in entries:
            if entry.seq < start and not (strip and entry.kind == "key"):
                previous = entry.hash
                continue
            if entry.kind == "key":
                if strip:
                    conn.execute(delete(t.key_changes).where(_is(t.key_changes, entry, case_ref)))
                    continue
                found = audit.key_change_entry(case_ref, entry.data, entry.recorded or "")
                link = audit.chain_key_change(previous, found, secret, secret or b"x" * 32)
                table: Any = t.key_changes
            elif entry.kind == "rollout":
                found = audit.rollout_entry(case_ref, entry.data, entry.recorded)
                link, table = audit.chain(previous, found, secret), t.rollouts
            else:
                link = audit.chain_event(previous, case_ref, entry.data, entry.recorded, secret)
                table = t.events
            conn.execute(update(table).where(_is(table, entry, case_ref)).values(hash=link))
            previous = link
        values: dict[str, Any] = {"head_hash": previous}
        if strip:
            values["audit_key"] = None
        conn.execute(update(t.journeys).where(t.journeys.c.case_ref == row.case_ref).values(values))


def _is(table: Any, entry: audit.Entry, case_ref: str) -> Any:
    """The row of `table` that `entry` was read from."""
    if entry.kind == "event":
        return (table.c.case_ref == case_ref) & (table.c.seq == entry.seq)
    return (table.c.case_ref == case_ref) & (table.c.number == entry.number)
