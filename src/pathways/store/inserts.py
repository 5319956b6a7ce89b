"""A whole journey written as new: its row, its positions, its hash-chained events and the
outbox rows that tell other systems of them.

`JourneyStore.create` writes a journey opened a moment ago (one event); `store_all`
(`pathways.store.imports`) writes journeys built outside the store with their whole history.
Both call `insert_journey` inside their own transaction, so nothing is written unless all of
it is.
"""

from __future__ import annotations

from sqlalchemy import Connection, insert

from pathways.runtime.journey import Journey
from pathways.store import audit
from pathways.store.rows import derived, event_row, outbox_rows, position_rows
from pathways.store.tables import Tables

__all__ = ["insert_journey"]


def insert_journey(conn: Connection, tables: Tables, journey: Journey) -> None:
    """Insert `journey` (revision 1) with every event of its history, chained from genesis."""
    case_ref = journey.case_ref
    history = journey.history
    head = audit.GENESIS
    events = []
    for event in history:
        data = event.to_dict()
        head = audit.chain_event(head, case_ref, data)
        events.append(event_row(case_ref, data, event.at, head))
    values = derived(journey, history[-1])
    conn.execute(
        insert(tables.journeys).values(
            case_ref=case_ref, revision=1, head_hash=head, opened_at=history[0].at, **values
        )
    )
    conn.execute(insert(tables.positions), position_rows(journey))
    conn.execute(insert(tables.events), events)
    told = outbox_rows(case_ref, (e.seq for e in history), values["fingerprint"])
    conn.execute(insert(tables.outbox), told)
