"""Many whole journeys stored at once, in one transaction: all of them, or none.

```python
journeys = [start(compiled, "HU-1", profile, at, "hull-city-council"), ...]  # moved on
store_all(store, journeys)   # DuplicateJourney, and nothing stored, if one exists already
```

For journeys built outside a case system, from a spreadsheet (`pathways import`): each was
opened and moved by the runtime's own rules in memory, so here its events are only written,
hash-chained as `JourneyStore.create` and every change chain them, with its positions and its
journey row (revision 1: one transaction made it). If any case reference is stored already,
or the database refuses anything, the transaction is rolled back and nothing is stored.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import bindparam, select

from pathways.errors import DuplicateJourney
from pathways.runtime.journey import Journey
from pathways.store.arguments import check_case_ref
from pathways.store.failures import guarded
from pathways.store.inserts import insert_journey
from pathways.store.journey_store import JourneyStore

__all__ = ["store_all", "stored_already"]


@guarded("look up case references")
def stored_already(store: JourneyStore, case_refs: Sequence[str]) -> tuple[str, ...]:
    """Those of `case_refs` that the store already holds a journey for, in the order given."""
    j = store.tables.journeys
    query = select(j.c.case_ref).where(j.c.case_ref.in_(bindparam("refs", expanding=True)))
    found: set[str] = set()
    with store.reading() as conn:
        for start in range(0, len(case_refs), 500):
            chunk = list(case_refs[start : start + 500])
            found.update(r.case_ref for r in conn.execute(query, {"refs": chunk}))
    return tuple(ref for ref in case_refs if ref in found)


@guarded("import")
def store_all(store: JourneyStore, journeys: Sequence[Journey]) -> int:
    """Store every journey (with its whole history) in one transaction; how many were stored.

    `DuplicateJourney` names the first case reference already stored, and nothing is stored.
    """
    for journey in journeys:
        check_case_ref(journey.case_ref)
    for compiled in {id(j.compiled): j.compiled for j in journeys}.values():
        store.register(compiled)
    t = store.tables
    with store.writing() as conn:
        for journey in journeys:
            case_ref = journey.case_ref
            if store.row(conn, case_ref, missing_ok=True) is not None:
                raise DuplicateJourney(
                    f"Case {case_ref}: a journey with this case reference is already stored; "
                    "nothing was imported"
                )
            insert_journey(conn, t, journey)
    return len(journeys)
