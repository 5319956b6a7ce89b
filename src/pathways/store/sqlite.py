"""SQLite's fast path for a change: the same locked transaction, on the driver connection.

SQLite runs in the application's own process, so a change costs no round trips: what it
costs is the work around each statement. On SQLite a change (`handoff`, `update_profile`,
`tick`, `save`) therefore runs its statements with the `sqlite3` module itself, on the
connection SQLAlchemy's pool hands out, with the guarantees of the locked path
(`pathways.store.changes`) unchanged:

- `BEGIN IMMEDIATE` takes the database's write lock first (two writers queue);
- one query reads the journey row and its positions; the change is made in memory;
- the journey row is updated `WHERE revision = <the revision read>` (one row or
  `ConcurrentUpdate`), the new events are appended, hash-chained, positions are added or
  moved, and an idempotency key is recorded;
- `COMMIT` (write-ahead log, `synchronous=FULL`: on disk when it returns), or `ROLLBACK` of
  everything if anything failed.

Values are written as SQLAlchemy writes them (times as UTC text `YYYY-MM-DD HH:MM:SS.ffffff`,
JSON as text, booleans as 0 and 1), so both paths read and write the same rows. A key used
before is replayed (or refused) on the locked path.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine

from pathways.errors import ConcurrentUpdate, JourneyNotFound, StoreError
from pathways.journey import Journey
from pathways.store.changes import Applied, Place, Row, Stored, conflict, plan
from pathways.store.idempotency import check_key
from pathways.store.rows import json_text
from pathways.store.tables import Tables

__all__ = ["SqlitePath", "text_time"]

_READ = (
    "SELECT j.fingerprint, j.profile, j.event_count, j.revision, j.head_hash, j.last_event_at, "
    "j.closed_at, p.track, p.stage, p.since, "
    "EXISTS (SELECT 1 FROM {p}requests r WHERE r.key = ?) "
    "FROM {p}journeys j LEFT JOIN {p}positions p ON p.case_ref = j.case_ref "
    "WHERE j.case_ref = ?"
)
_JOURNEY = (
    "UPDATE {p}journeys SET profile = ?, event_count = ?, last_event_at = ?, closed = ?, "
    "closed_at = ?, overdue_from = ?, timeout_at = ?, revision = ?, head_hash = ? "
    "WHERE case_ref = ? AND revision = ?"
)
_EVENT = (
    "INSERT INTO {p}events (case_ref, seq, kind, at, agency, handoff, from_stage, to_stage, "
    "shares, started, profile, change, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_ADD = "INSERT INTO {p}positions (case_ref, track, stage, since) VALUES (?, ?, ?, ?)"
_MOVE = "UPDATE {p}positions SET stage = ?, since = ? WHERE case_ref = ? AND track = ?"
_RECORD = (
    "INSERT INTO {p}requests (key, request_hash, case_ref, first_seq, count, revision) "
    "VALUES (?, ?, ?, ?, ?, ?)"
)


def text_time(at: datetime | None) -> str | None:
    """A time as the store keeps it on SQLite: UTC, `YYYY-MM-DD HH:MM:SS.ffffff`."""
    if at is None:
        return None
    return at.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def _event(case_ref: str, e: dict[str, Any]) -> tuple[Any, ...]:
    return (
        case_ref, e["seq"], e["kind"], text_time(e["at"]), e["agency"], e["handoff"],
        e["from_stage"], e["to_stage"], json_text(e["shares"]), json_text(e["started"]),
        json_text(e["profile"]), json_text(e["change"]), e["hash"],
    )  # fmt: skip


class SqlitePath:
    """The locked change of one table prefix on a SQLite engine, with `sqlite3` itself."""

    def __init__(self, engine: Engine, tables: Tables) -> None:
        self.engine = engine
        p = tables.prefix
        self.read = _READ.format(p=p)
        self.journey = _JOURNEY.format(p=p)
        self.event = _EVENT.format(p=p)
        self.add = _ADD.format(p=p)
        self.move = _MOVE.format(p=p)
        self.record = _RECORD.format(p=p)

    def change(
        self,
        case_ref: str,
        request: str | None,
        key: str | None,
        change: Callable[[Stored], Journey],
        saved: int | None,
    ) -> Applied | None:
        """Make the change in one transaction; None if a used key must be replayed instead.

        `change`, `saved`, `key` and `request` are as for the locked path
        (`JourneyStore._change`); errors the pathway raises pass through, and nothing is
        written.
        """
        fairy = self.engine.raw_connection()
        try:
            conn: sqlite3.Connection = fairy.driver_connection  # type: ignore[assignment]
            conn.execute("BEGIN IMMEDIATE")
            try:
                applied = self._change(conn, case_ref, request, key, change, saved)
            except BaseException:
                conn.rollback()
                raise
            if applied is None:
                conn.rollback()
            else:
                conn.commit()
            return applied
        except sqlite3.IntegrityError as exc:
            raise ConcurrentUpdate(
                f"another writer stored the same thing first ({exc}); reload and retry"
            ) from exc
        except sqlite3.OperationalError as exc:
            if "lock" in str(exc).lower():
                raise ConcurrentUpdate(f"the database was busy: {exc}") from exc
            raise StoreError(f"the database refused the change: {exc}") from exc
        except sqlite3.Error as exc:
            raise StoreError(f"the database refused the change: {exc}") from exc
        finally:
            fairy.close()

    def _change(
        self,
        conn: sqlite3.Connection,
        case_ref: str,
        request: str | None,
        key: str | None,
        change: Callable[[Stored], Journey],
        saved: int | None,
    ) -> Applied | None:
        found = conn.execute(self.read, (key, case_ref)).fetchall()
        if not found:
            raise JourneyNotFound(f"Case {case_ref}: no journey with this case reference")
        first = found[0]
        if first[10]:  # the key was used before: replay it, or refuse it, on the locked path
            return None
        fingerprint, profile, count, revision, head, last, closed = first[:7]
        row = Row(case_ref, fingerprint, json.loads(profile), count, revision, head,
                  _time(last), None if closed is None else _time(closed))  # fmt: skip
        places = tuple(Place(r[7], r[8], _time(r[9])) for r in found if r[7] is not None)
        stored = Stored(row, places)
        journey = change(stored)
        before = row.event_count if saved is None else saved
        new = journey.events_since(before)
        if not new:
            return Applied(case_ref, (), row.revision) if key is None else None
        rows = plan(stored, journey, new)
        if key is not None:
            check_key(key, case_ref)
        state = rows.state
        updated = conn.execute(
            self.journey,
            (
                json_text(state["profile"]), state["event_count"],
                text_time(state["last_event_at"]), state["closed"],
                text_time(state["closed_at"]), text_time(state["overdue_from"]),
                text_time(state["timeout_at"]), row.revision + 1, rows.head, case_ref,
                row.revision,
            ),
        )  # fmt: skip
        if updated.rowcount != 1:
            raise conflict(case_ref, row.revision, None)
        conn.executemany(self.event, [_event(case_ref, e) for e in rows.events])
        for place in rows.added:
            conn.execute(
                self.add, (case_ref, place["track"], place["stage"], text_time(place["since"]))
            )
        for place in rows.moved:
            conn.execute(
                self.move, (place["stage"], text_time(place["since"]), case_ref, place["track"])
            )
        applied = Applied(case_ref, tuple(new), row.revision + 1)
        if key is not None:
            conn.execute(self.record, (key, request, case_ref, before, len(new), applied.revision))
        return applied
