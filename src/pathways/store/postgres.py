"""PostgreSQL's fast path for a change: one read and one statement, on the driver connection.

On PostgreSQL a change (`handoff`, `update_profile`, `tick`, `save`) is first tried
optimistically, with no transaction of its own:

1. **Read** the journey row and its positions in one query (and whether the idempotency key,
   if any, was used before), without locking anything.
2. Make the change in memory and chain the new event's hash (`pathways.store.changes.plan`).
3. **Write** in one statement: the journey `UPDATE ... WHERE case_ref = ... AND revision =
   <the revision read> RETURNING` feeds, in data-modifying CTEs, the event `INSERT`, its
   outbox row's `INSERT` (`pathways.store.outbox`), the position `UPDATE` and the idempotency
   record's `INSERT`. A statement on its own is a transaction: all of it is written, durably,
   or none of it.

If the statement matched no row (another writer changed the journey after it was read), the
key was used before, the change is not the usual shape (one event, no track started, at most
one moved) or the database refused the statement, nothing was written and the change is made
again on the locked path (`pathways.store.locked`), exactly as a writer that had waited for
the lock would make it. A change the pathway refuses is refused at once: it was checked on a
state that was current when it was read.

The statements are plain SQL, built once per table prefix and run with psycopg, prepared on
the server on first use, on a connection each thread takes from SQLAlchemy's pool on its first
change and keeps (detached from the pool, in autocommit) until `JourneyStore.close`, or until
it is found broken. So a change pays neither SQLAlchemy's per-statement work, nor a pool
checkout and return, nor `BEGIN` and `COMMIT` round trips: two round trips in all. A lost
connection while writing is the one case where it is not known whether the change was stored:
`StoreError` says so (an idempotency key makes the request safe to send again).
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Sequence
from typing import Any

import psycopg
from sqlalchemy import Engine

from pathways.errors import JourneyNotFound, StoreError
from pathways.runtime.journey import Journey
from pathways.store.changes import Applied, Place, Row, Stored, plan
from pathways.store.rows import json_text, profile_text
from pathways.store.tables import Tables

__all__ = ["PostgresPath", "numbered"]

_READ = (
    "SELECT j.fingerprint, j.profile, j.event_count, j.revision, j.head_hash, j.last_event_at, "
    "j.closed_at, p.track, p.stage, p.since, "
    "EXISTS (SELECT 1 FROM {p}requests r WHERE r.key = %s::varchar), j.lifecycle, "
    "p.due, p.paused, p.awaiting, p.active "
    "FROM {p}journeys j LEFT JOIN {p}positions p ON p.case_ref = j.case_ref "
    "WHERE j.case_ref = %s::varchar"
)
_WRITE = (
    "WITH changed AS (UPDATE {p}journeys SET profile = %s::json, event_count = %s::integer, "
    "last_event_at = %s::timestamptz, closed = %s::boolean, closed_at = %s::timestamptz, "
    "overdue_from = %s::timestamptz, timeout_at = %s::timestamptz, fingerprint = %s::varchar, "
    "lifecycle = %s::json, revision = %s::integer, "
    "head_hash = %s::varchar WHERE case_ref = %s::varchar AND revision = %s::integer "
    "RETURNING case_ref), "
    "appended AS (INSERT INTO {p}events (case_ref, seq, kind, at, agency, handoff, from_stage, "
    "to_stage, shares, started, profile, change, hash, extra) SELECT case_ref, %s::integer, "
    "%s::varchar, %s::timestamptz, %s::varchar, %s::varchar, %s::varchar, %s::varchar, "
    "%s::json, %s::json, %s::json, %s::json, %s::varchar, %s::json FROM changed), "
    "told AS (INSERT INTO {p}outbox (case_ref, seq, fingerprint) SELECT case_ref, %s::integer, "
    "%s::varchar FROM changed)"
    "{moved}{recorded} SELECT count(*) FROM changed"
)
_MOVED = (
    ", moved AS (UPDATE {p}positions p SET stage = %s::varchar, since = %s::timestamptz, "
    "due = %s::timestamptz, paused = %s::boolean, awaiting = %s::varchar, active = %s::boolean "
    "FROM changed c WHERE p.case_ref = c.case_ref AND p.track = %s::varchar)"
)
_RECORDED = (
    ", recorded AS (INSERT INTO {p}requests (key, request_hash, case_ref, first_seq, count, "
    "revision) SELECT %s::varchar, %s::varchar, case_ref, %s::integer, %s::integer, "
    "%s::integer FROM changed)"
)


def numbered(query: str) -> str:
    """`query` with its `%s` placeholders numbered (`$1`, `$2`, ...), as the server takes them."""
    parts = query.split("%s")
    return parts[0] + "".join(f"${n}{part}" for n, part in enumerate(parts[1:], 1))


class _Held(threading.local):
    """This thread's own connection and cursor, and the process and generation it was taken in."""

    fairy: Any = None
    cursor: Any = None
    token: tuple[int, int] = (0, 0)


class PostgresPath:
    """The optimistic change of one table prefix on a PostgreSQL engine (psycopg 3)."""

    def __init__(self, engine: Engine, tables: Tables) -> None:
        self.engine = engine
        p = tables.prefix
        self.read = numbered(_READ.format(p=p))
        self.write = {
            (moved, keyed): numbered(
                _WRITE.format(
                    p=p,
                    moved=_MOVED.format(p=p) if moved else "",
                    recorded=_RECORDED.format(p=p) if keyed else "",
                )
            )
            for moved in (False, True)
            for keyed in (False, True)
        }
        self._held = _Held()
        self._lock = threading.Lock()
        self._taken: list[Any] = []
        self._generation = 1

    def close(self) -> None:
        """Close the connections the threads took (a later change takes a new one)."""
        with self._lock:
            taken, self._taken = self._taken, []
            self._generation += 1
        for fairy in taken:
            with contextlib.suppress(Exception):
                fairy.close()

    def _connection(self) -> tuple[Any, psycopg.RawCursor[Any]]:
        """This thread's connection (in autocommit) and cursor, taken on first use.

        The connection comes from the engine's pool, so it is made as the engine makes them,
        and is then detached from the pool: it is this path's until `close`, or until it is
        found broken, and a change does not check it out and return it each time.
        """
        held = self._held
        token = (os.getpid(), self._generation)
        if held.fairy is None or held.token != token:
            fairy = self.engine.raw_connection()
            conn: psycopg.Connection[Any] = fairy.driver_connection  # type: ignore[assignment]
            fairy.detach()  # closing it now closes the connection
            conn.autocommit = True
            with self._lock:
                self._taken.append(fairy)
            held.fairy, held.cursor, held.token = fairy, psycopg.RawCursor(conn), token
        return held.fairy, held.cursor

    def _drop(self, fairy: Any) -> None:
        """Forget a broken connection (the next change takes another)."""
        self._held.fairy = self._held.cursor = None
        with self._lock:
            if fairy in self._taken:
                self._taken.remove(fairy)
        with contextlib.suppress(Exception):
            fairy.close()

    def fetch(self, statement: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        """The rows of a query (placeholders `$1`, `$2`, ...) on this thread's connection,
        prepared on the server (`pathways.store.worklists` asks its worklists so)."""
        fairy, cursor = self._connection()
        try:
            return cursor.execute(statement, params, prepare=True).fetchall()
        finally:
            conn = cursor.connection
            if conn.closed or conn.broken:
                self._drop(fairy)

    def change(
        self,
        case_ref: str,
        request: str | None,
        key: str | None,
        change: Callable[[Stored], Journey],
        saved: int | None,
    ) -> Applied | None:
        """Make the change optimistically; None if it must be made on the locked path.

        `change`, `saved`, `key` and `request` are as for the locked path
        (`JourneyStore._change`); errors the pathway raises pass through.
        """
        fairy, cursor = self._connection()
        try:
            return self._change(cursor, case_ref, request, key, change, saved)
        finally:
            conn = cursor.connection
            if conn.closed or conn.broken:
                self._drop(fairy)

    def _change(
        self,
        cursor: psycopg.RawCursor[Any],
        case_ref: str,
        request: str | None,
        key: str | None,
        change: Callable[[Stored], Journey],
        saved: int | None,
    ) -> Applied | None:
        try:
            found = cursor.execute(self.read, (key, case_ref), prepare=True).fetchall()
        except psycopg.Error:
            return None  # the locked path reads again, on a sound connection
        if not found:
            raise JourneyNotFound(f"Case {case_ref}: no journey with this case reference")
        first = found[0]
        if first[10]:  # the key was used before: replay it, or refuse it, on the locked path
            return None
        row = Row(case_ref, *first[:7])._replace(lifecycle=first[11])
        stored = Stored(row, tuple(Place(*r[7:10], *r[12:16]) for r in found if r[7] is not None))
        journey = change(stored)
        new = journey.events_since(row.event_count if saved is None else saved)
        if not new:
            return Applied(case_ref, (), row.revision) if key is None else None
        planned = plan(stored, journey, new)
        if not planned.usual:
            return None
        state, event = planned.state, planned.events[0]
        params: list[Any] = [
            profile_text(state["profile"]), state["event_count"], state["last_event_at"],
            state["closed"], state["closed_at"], state["overdue_from"], state["timeout_at"],
            state["fingerprint"], json_text(state["lifecycle"]), row.revision + 1, planned.head,
            case_ref, row.revision,
            event["seq"], event["kind"], event["at"], event["agency"], event["handoff"],
            event["from_stage"], event["to_stage"], json_text(event["shares"]),
            json_text(event["started"]), json_text(event["profile"]), json_text(event["change"]),
            event["hash"], json_text(event["extra"]), event["seq"], state["fingerprint"],
        ]  # fmt: skip
        if planned.moved:
            place = planned.moved[0]
            params += [place["stage"], place["since"], place["due"], place["paused"]]
            params += [place["awaiting"], place["active"], place["track"]]
        if key is not None:
            params += [key, request, new[0].seq, len(new), row.revision + 1]
        statement = self.write[(bool(planned.moved), key is not None)]
        try:
            done = cursor.execute(statement, params, prepare=True).fetchone()
        except psycopg.Error as exc:
            if not cursor.connection.broken:
                return None  # refused as a whole: nothing was written
            raise StoreError(
                f"Case {case_ref}: the connection to the database failed while the change was "
                f"being stored ({str(exc).strip() or type(exc).__name__}); it may or may not "
                "have been stored: load the journey, or send the request again with the same "
                "idempotency key"
            ) from exc
        if done is None or done[0] != 1:
            return None  # the journey changed since it was read
        return Applied(case_ref, tuple(new), row.revision + 1)
