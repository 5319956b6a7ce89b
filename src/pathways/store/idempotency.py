"""Idempotency keys: a request is recorded with its result, so a retried request is done once.

A change made with `key=` stores, in the same transaction, the key, a SHA-256 fingerprint of
the request (`request_hash`) and which events it recorded. When the key comes again:

- with the same request, `replayed` returns the original `Applied` (with `replayed=True`) and
  the caller records nothing;
- with a different request, `replayed` raises `IdempotencyConflict` naming the key and journey.

A refused request records nothing, key included (its transaction is rolled back), so it can be
sent again. A key that is not a short opaque code is refused before any query
(`pathways.store.arguments.check_key`).

```python
>>> len(request_hash("tick", "HU-1", now="2025-03-03"))
64
```
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select

from pathways.errors import IdempotencyConflict
from pathways.runtime.events import Event, utc_text
from pathways.store.audit import canonical
from pathways.store.changes import Applied
from pathways.store.rows import entry_from_event_row
from pathways.store.tables import Tables

__all__ = ["record", "recorded", "replayed", "request_hash"]


def request_hash(operation: str, case_ref: str, **fields: Any) -> str:
    """A fingerprint of a request, to tell a retried request from a different one."""
    data = {"operation": operation, "case_ref": case_ref}
    for name, value in fields.items():
        data[name] = utc_text(value) if isinstance(value, datetime) else value
    return hashlib.sha256(canonical(data)).hexdigest()


def recorded(conn: Connection, tables: Tables, key: str) -> Any:
    """The row `key` recorded (case reference, first event, count, revision after), or None."""
    r = tables.requests
    return conn.execute(select(r).where(r.c.key == bindparam("key")), {"key": key}).first()


def replayed(conn: Connection, tables: Tables, key: str, request: str) -> Applied | None:
    """The result `key` recorded for this same request, or None if the key is new."""
    e = tables.events
    found = recorded(conn, tables, key)
    if found is None:
        return None
    if found.request_hash != request:
        raise IdempotencyConflict(
            f"Case {found.case_ref}: idempotency key {key!r} was already used for a "
            "different request; use a new key for a new request",
            journey=found.case_ref,
            key=key,
        )
    rows = conn.execute(
        select(e)
        .where(
            e.c.case_ref == found.case_ref,
            e.c.seq >= found.first_seq,
            e.c.seq < found.first_seq + found.count,
        )
        .order_by(e.c.seq)
    )
    events = tuple(Event.from_dict(entry_from_event_row(x).data) for x in rows)
    return Applied(found.case_ref, events, found.revision, replayed=True)


def record(
    conn: Connection,
    tables: Tables,
    key: str,
    request: str,
    applied: Applied,
    first: int,
) -> None:
    """Record that `key` made `request`, which recorded `applied` from event number `first`."""
    conn.execute(
        insert(tables.requests).values(
            key=key,
            request_hash=request,
            case_ref=applied.case_ref,
            first_seq=first,
            count=len(applied.events),
            revision=applied.revision,
        )
    )
