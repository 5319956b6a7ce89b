"""`rekey`: move every journey's chain to the store's current audit key, now.

A journey's chain takes a key change entry on its next change by a store with a new key
(`pathways.store.signing`); `rekey` does it at once for every journey whose last link was made
with another key or none (every journey written before revision 0003, or before a key was
introduced), so that each is protected from now on. Each journey's chain is verified first,
with the keys the store was given: a journey whose chain does not verify is not re-keyed
(re-keying it would sign whatever was done to it) and is reported instead.

```python
done, refused = rekey(store)     # store = JourneyStore(url, audit_key=audit_keys("keys"))
```

A key change protects what was recorded before it only from the moment it is written: an
unkeyed record edited before `rekey` verifies, and is signed, as it stands.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import or_, select

from pathways.errors import AuditFailure, AuditKeyError
from pathways.store.failures import guarded
from pathways.store.rebuild import PAGE, Finding
from pathways.store.recording import database_time
from pathways.store.signing import change_key

if TYPE_CHECKING:
    from pathways.store.journey_store import JourneyStore

__all__ = ["rekey"]


@guarded("rekey")
def rekey(store: JourneyStore, *, page: int = PAGE) -> tuple[int, list[Finding]]:
    """Key every journey not on the current key, a page at a time: how many, and the refused."""
    signer = store.signer
    if signer.current is None:
        raise AuditKeyError("rekey moves journeys to the current audit key: give the store one")
    j = store.tables.journeys
    query = (
        select(j)
        .where(or_(j.c.audit_key.is_(None), j.c.audit_key != signer.current))
        .order_by(j.c.case_ref)
        .limit(page)
        .with_for_update(of=j)
    )
    done, after = 0, ""
    refused: list[Finding] = []
    while True:
        with store.writing() as conn:
            rows = list(conn.execute(query.where(j.c.case_ref > after)))
            if not rows:
                return done, refused
            recorded = database_time(conn)
            for row in rows:
                try:
                    store.verified(row.case_ref, row, store.entries(conn, row.case_ref))
                except AuditFailure as exc:
                    refused.append(Finding(row.case_ref, exc.event, f"not re-keyed: {exc}"))
                    continue
                except AuditKeyError as exc:
                    refused.append(Finding(row.case_ref, None, f"not re-keyed: {exc}"))
                    continue
                change_key(conn, store.tables, signer, row, recorded)
                done += 1
        after = rows[-1].case_ref
