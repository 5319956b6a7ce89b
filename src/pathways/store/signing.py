"""Writing the keyed chain: which key signs a journey's next link, key changes, new journeys.

Every write path asks `Signer` which key signs (the store's current audit key, or none). A
journey whose last link was made with another key (or none: every chain written before
revision 0003) first takes a *key change* entry, "from here on key <id>", MACed with the old key
and the new (`change_key`), in the same transaction as the change. A store with no key refuses
to extend a keyed journey (`AuditKeyError`): that would quietly drop its protection.

`insert_journey` writes a whole new journey (`JourneyStore.create`, `pathways.store.imports`):
its key change entry first when the store has a key, then its events, each recorded at the
time read from the database's clock in the same transaction, and their outbox rows
(`pathways.store.outbox`).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from pathways.errors import AuditKeyError, ConcurrentUpdate
from pathways.runtime.events import Event, utc_text
from pathways.runtime.journey import Journey
from pathways.store import audit
from pathways.store.keys import AuditKey, AuditKeys
from pathways.store.rows import derived, event_row, outbox_rows, position_rows
from pathways.store.tables import Tables

__all__ = ["Signer", "change_key", "insert_journey"]

_LOG = logging.getLogger("pathways.store")

#: What the store says, once, when it is opened to write with no audit key.
UNKEYED = (
    "this journey store has no audit key: new links of the hash chain are plain SHA-256, which "
    "shows accidental damage but NOT a rewrite by anyone with access to the database; give "
    "the store a key (audit_key=, --audit-key-file, PATHWAYS_AUDIT_KEY_FILE)"
)


class Signer:
    """The store's audit keys as its writers use them: the current key, and the old ones."""

    def __init__(self, keys: AuditKeys | AuditKey | None, *, writing: bool = True) -> None:
        if isinstance(keys, AuditKey):
            keys = AuditKeys([keys])
        self.keys: AuditKeys | None = keys
        self.current: str | None = None if keys is None else keys.current.id
        self.secret: bytes | None = None if keys is None else keys.current.secret
        if keys is None and writing:
            _LOG.warning(UNKEYED)

    def fits(self, key_id: str | None) -> bool:
        """True when a journey whose last link `key_id` made can be extended as it is."""
        return key_id == self.current

    def old_secret(self, case_ref: str, key_id: str | None) -> bytes | None:
        """The secret of the key that made a journey's last link (to sign a key change)."""
        if key_id is not None and self.keys is None:
            raise AuditKeyError(
                f"Case {case_ref}: its record is signed with audit key {key_id}, and this store "
                "was given no audit key; nothing was written: open the store with its keys"
            )
        return None if self.keys is None else self.keys.secret(key_id)


def change_key(
    conn: Connection, tables: Tables, signer: Signer, row: Any, recorded_at: datetime
) -> str:
    """Record "from here on the store's key" in the journey's chain (if it is not already);
    the link to chain the next entry from.

    `row` is the journey row as read, locked, in this transaction. The journey row's head and
    key are updated; its revision is not (a key change is not a change of the journey).
    """
    if signer.fits(row.audit_key):
        return str(row.head_hash)
    case_ref = row.case_ref
    old = signer.old_secret(case_ref, row.audit_key)
    assert signer.current is not None
    assert signer.secret is not None
    k, j = tables.key_changes, tables.journeys
    number = conn.execute(select(func.count()).where(k.c.case_ref == case_ref)).scalar_one()
    record = {"seq": row.event_count, "from": row.audit_key, "to": signer.current}
    entry = audit.key_change_entry(case_ref, record, utc_text(recorded_at))
    head = audit.chain_key_change(row.head_hash, entry, old, signer.secret)
    conn.execute(
        insert(k).values(
            case_ref=case_ref, number=number, seq=row.event_count, from_key=row.audit_key,
            to_key=signer.current, recorded_at=recorded_at, hash=head,
        )
    )  # fmt: skip
    done = conn.execute(
        update(j)
        .where(j.c.case_ref == case_ref, j.c.head_hash == row.head_hash)
        .values(head_hash=head, audit_key=signer.current)
    )
    if done.rowcount != 1:
        raise ConcurrentUpdate(f"Case {case_ref}: the journey changed while its key was changed")
    return head


def insert_journey(
    conn: Connection,
    tables: Tables,
    signer: Signer,
    journey: Journey,
    events: Sequence[Event],
    recorded_at: datetime,
) -> str:
    """Write a new journey whose history is `events` (its key change first, if keyed); its head."""
    case_ref = journey.case_ref
    recorded = utc_text(recorded_at)
    head = audit.GENESIS
    if signer.current is not None:
        assert signer.secret is not None
        record = {"seq": 0, "from": None, "to": signer.current}
        entry = audit.key_change_entry(case_ref, record, recorded)
        head = audit.chain_key_change(head, entry, None, signer.secret)
        key_row = {"case_ref": case_ref, "number": 0, "seq": 0, "from_key": None,
                   "to_key": signer.current, "recorded_at": recorded_at, "hash": head}  # fmt: skip
    rows = []
    for event in events:
        data = event.to_dict()
        head = audit.chain_event(head, case_ref, data, recorded, signer.secret)
        rows.append(event_row(case_ref, data, event.at, head, recorded_at))
    t = tables
    conn.execute(
        insert(t.journeys).values(
            case_ref=case_ref, revision=1, head_hash=head, audit_key=signer.current,
            opened_at=events[0].at, **derived(journey, events[-1]),
        )
    )  # fmt: skip
    conn.execute(insert(t.positions), position_rows(journey))
    if signer.current is not None:
        conn.execute(insert(t.key_changes).values(key_row))
    conn.execute(insert(t.events), rows)
    told = outbox_rows(case_ref, (e.seq for e in events), journey.compiled.fingerprint)
    conn.execute(insert(t.outbox), told)
    return head
