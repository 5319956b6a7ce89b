"""The journey store: journeys, their hash-chained events and pathway versions in SQL.

```text
tables.py        the tables, built per table-name prefix (SQLAlchemy Core on SQLModel's engine)
connection.py    engines for SQLite (WAL, durable commits) and PostgreSQL (psycopg 3); transactions
sqlite_file.py   the SQLite file: created 0600, never twice, read-only if asked, checked per commit
failures.py      driver errors as StoreErrors naming the operation (guarded); passwords redacted
arguments.py     what is checked before any query: case references, keys, times, text, page sizes
audit.py         the per-journey SHA-256 hash chain and its verification
rows.py          runtime objects <-> rows; the columns derived for queries
versions.py      pathway versions: registered, compiled, found by fingerprint
journey_store.py JourneyStore: create, save, handoff, update_profile, tick (the changes)
reads.py         what JourneyStore reads: load, draft, revision, events, verify; rows for the store
changes.py       one change planned: the rows it writes, whatever the driver (knows no driver)
locked.py        the locked path: a change written with SQLAlchemy Core, for any driver
sqlite.py        the change on SQLite, with sqlite3 itself: the same lock, no SQLAlchemy per call
remembered.py    what the last changes left, so the next change of a journey need not read it
postgres.py      the change on PostgreSQL, with psycopg: one read, one statement, else locked
inserts.py       a whole new journey written: row, positions, chained events, outbox rows
outbox.py        the transactional outbox: consumer groups claim, acknowledge, retry (.outbox_sql)
idempotency.py   idempotency keys: requests recorded with their results, replayed once
queries.py       journeys at a stage, owned by an agency, overdue, by area, opened or closed
worklists.py     an agency's open work, overdue or awaiting its answer, position by position
worklists_postgres.py  the worklist on PostgreSQL, prepared, as it would be written by hand
deadlines.py     which stored due dates are stale; positions given their work state (0003)
refresh.py       stored due dates worked out again after the calendar changes
retry.py         retry a unit of work that lost a race (ConcurrentUpdate)
rebuild.py       rebuild journeys from their events and compare; scan a whole database
rollout.py       move in-flight journeys to a new pathway version by a stage mapping
migrations/      Alembic environment and revisions; upgrade(url, prefix), current, head
```
"""

from __future__ import annotations

from pathways.store.changes import Applied
from pathways.store.connection import DEFAULT_URL, create_engine
from pathways.store.journey_store import JourneyStore
from pathways.store.outbox import Outbox, OutboxBatch, OutboxItem
from pathways.store.queries import Page, Summary
from pathways.store.reads import Draft
from pathways.store.rebuild import Finding, check_database, rebuild, scan
from pathways.store.retry import retry
from pathways.store.rollout import Move, Plan, Unmapped, plan_rollout, rollout
from pathways.store.tables import PREFIX, Tables, build_tables
from pathways.store.worklists import WorkItem, WorkPage

__all__ = [
    "DEFAULT_URL",
    "PREFIX",
    "Applied",
    "Draft",
    "Finding",
    "JourneyStore",
    "Move",
    "Outbox",
    "OutboxBatch",
    "OutboxItem",
    "Page",
    "Plan",
    "Summary",
    "Tables",
    "Unmapped",
    "WorkItem",
    "WorkPage",
    "build_tables",
    "check_database",
    "create_engine",
    "plan_rollout",
    "rebuild",
    "retry",
    "rollout",
    "scan",
]
