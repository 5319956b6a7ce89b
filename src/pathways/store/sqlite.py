"""SQLite's fast path for a change: the same locked transaction, on a `sqlite3` connection.

SQLite runs in the application's own process, so a change costs no round trips: what it
costs is the work around each statement. On SQLite a change (`handoff`, `update_profile`,
`tick`, `save`) therefore runs its statements with the `sqlite3` module itself, with the
guarantees of the locked path (`pathways.store.locked`) unchanged. For a file database
opened with `pathways.store.create_engine` each thread keeps one `sqlite3` connection of its
own for these changes (opened on its first change, with the same settings as the engine's
connections: `pathways.store.sqlite_file.SQLITE_PRAGMAS`; closed by `JourneyStore.close`), so a
change does not check a connection out of SQLAlchemy's pool and reset it on return; any other
SQLite engine lends its pooled connection. Either way:

- `BEGIN IMMEDIATE` takes the database's write lock first (two writers queue);
- one query reads the journey row and its positions; the change is made in memory;
- the journey row is updated `WHERE revision = <the revision read> AND head_hash = <the head
  read>` (one row or `ConcurrentUpdate`), the new events are appended, hash-chained, with
  their outbox rows (`pathways.store.outbox`), positions are added or moved, and an
  idempotency key is recorded;
- `COMMIT` (write-ahead log, `synchronous=FULL`: on disk when it returns), or `ROLLBACK` of
  everything if anything failed;
- on a file, the change is reported as done only if the file at the path is still the file
  the store opened (`SqliteFile.check`): if it was deleted or replaced, `DatabaseFileLost`,
  and the connections to the lost file are closed.

What a change wrote is remembered (`pathways.store.remembered.Recent`: the row and positions
it left, for the last few thousand journeys changed), and the next change of the same journey
without an idempotency key starts from it instead of reading: the `UPDATE ... WHERE revision =
? AND head_hash = ?` is then the check that nothing changed since. Every change of a journey, here
or in another process, moves its revision and its head hash (the hash chains the journey's
whole history), so if that row matched, what was remembered is what is stored. If it did not
match, or the remembered journey refused the change, or the change recorded nothing, the
journey is read as above and the change made again in the same transaction: a remembered row
can cost a second try, never a wrong write or a wrong refusal.

Values are written as SQLAlchemy writes them (times as UTC text `YYYY-MM-DD HH:MM:SS.ffffff`,
JSON as text, booleans as 0 and 1), so both paths read and write the same rows. A key used
before is replayed (or refused) on the locked path.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Engine

from pathways.errors import ConcurrentUpdate, DatabaseFileLost, JourneyNotFound
from pathways.runtime.journey import Journey
from pathways.store.changes import Applied, Place, Row, Stored, conflict, plan
from pathways.store.connection import sqlite_file
from pathways.store.remembered import Recent, left_behind
from pathways.store.rows import json_text, profile_text
from pathways.store.tables import Tables

__all__ = ["SqlitePath", "text_time"]

_READ = (
    "SELECT j.fingerprint, j.profile, j.event_count, j.revision, j.head_hash, j.last_event_at, "
    "j.closed_at, p.track, p.stage, p.since, "
    "EXISTS (SELECT 1 FROM {p}requests r WHERE r.key = ?), j.lifecycle, "
    "p.due, p.paused, p.awaiting, p.active "
    "FROM {p}journeys j LEFT JOIN {p}positions p ON p.case_ref = j.case_ref "
    "WHERE j.case_ref = ?"
)
_JOURNEY = (
    "UPDATE {p}journeys SET profile = ?, event_count = ?, last_event_at = ?, closed = ?, "
    "closed_at = ?, overdue_from = ?, timeout_at = ?, fingerprint = ?, lifecycle = ?, "
    "revision = ?, head_hash = ? "
    "WHERE case_ref = ? AND revision = ? AND head_hash = ?"
)
_EVENT = (
    "INSERT INTO {p}events (case_ref, seq, kind, at, agency, handoff, from_stage, to_stage, "
    "shares, started, profile, change, hash, extra) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_TELL = "INSERT INTO {p}outbox (case_ref, seq, fingerprint) VALUES (?, ?, ?)"
_ADD = (
    "INSERT INTO {p}positions (stage, since, due, paused, awaiting, active, case_ref, track) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)
_MOVE = (
    "UPDATE {p}positions SET stage = ?, since = ?, due = ?, paused = ?, awaiting = ?, "
    "active = ? WHERE case_ref = ? AND track = ?"
)
_RECORD = (
    "INSERT INTO {p}requests (key, request_hash, case_ref, first_seq, count, revision) "
    "VALUES (?, ?, ?, ?, ?, ?)"
)


def text_time(at: datetime | None) -> str | None:
    """A time as the store keeps it on SQLite: UTC, `YYYY-MM-DD HH:MM:SS.ffffff`."""
    return None if at is None else _text_time(at, at.fold)


# A handoff writes the same few instants several times (the event's time, the journey's last
# event, a position's arrival) and reads back what it wrote before; both conversions depend
# only on the instant or on the text. Equal datetimes are the same instant, except the two
# readings of a wall time a clock goes back over (they differ only in `fold`): hence the key.
@lru_cache(maxsize=1024)
def _text_time(at: datetime, fold: int) -> str:
    return at.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


@lru_cache(maxsize=1024)
def _time(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def _event(case_ref: str, e: dict[str, Any]) -> tuple[Any, ...]:
    return (
        case_ref, e["seq"], e["kind"], text_time(e["at"]), e["agency"], e["handoff"],
        e["from_stage"], e["to_stage"], json_text(e["shares"]), json_text(e["started"]),
        json_text(e["profile"]), json_text(e["change"]), e["hash"], json_text(e["extra"]),
    )  # fmt: skip


def _place(r: Any) -> Place:
    """A positions row as `_READ` gives it (columns 7 to 9, then 12 to 15)."""
    due = None if r[12] is None else _time(r[12])
    return Place(r[7], r[8], _time(r[9]), due, bool(r[13]), r[14], bool(r[15]))


def _position(case_ref: str, place: dict[str, Any]) -> tuple[Any, ...]:
    """The parameters of `_ADD` and `_MOVE` for a position."""
    return (
        place["stage"], text_time(place["since"]), text_time(place["due"]), place["paused"],
        place["awaiting"], place["active"], case_ref, place["track"],
    )  # fmt: skip


class _Held(threading.local):
    """This thread's own connection, and the process and generation it was opened in."""

    conn: sqlite3.Connection | None = None
    token: tuple[int, int] = (0, 0)


class SqlitePath:
    """The locked change of one table prefix on a SQLite engine, with `sqlite3` itself."""

    def __init__(self, engine: Engine, tables: Tables) -> None:
        self.engine = engine
        p = tables.prefix
        self.read = _READ.format(p=p)
        self.journey = _JOURNEY.format(p=p)
        self.event = _EVENT.format(p=p)
        self.add = _ADD.format(p=p)
        self.tell = _TELL.format(p=p)
        self.move = _MOVE.format(p=p)
        self.record = _RECORD.format(p=p)
        self.file = sqlite_file(engine)
        self._held = _Held()
        self._lock = threading.Lock()
        self._opened: list[sqlite3.Connection] = []
        self._generation = 1
        self.recent = Recent()

    def close(self) -> None:
        """Close the connections the threads opened (a later change opens a new one)."""
        with self._lock:
            opened, self._opened = self._opened, []
            self._generation += 1
        self.recent.clear()
        for conn in opened:
            conn.close()

    def _connection(self) -> sqlite3.Connection:
        """This thread's connection, opened on first use (again after `close` or a fork)."""
        held = self._held
        token = (os.getpid(), self._generation)
        conn = held.conn
        if conn is None or held.token != token:
            assert self.file is not None
            conn = self.file.connect()
            with self._lock:
                self._opened.append(conn)
            held.conn, held.token = conn, token
        return conn

    def _drop(self, conn: sqlite3.Connection) -> None:
        """Forget a connection that could not be rolled back (the next change opens another)."""
        self._held.conn = None
        with self._lock:
            if conn in self._opened:
                self._opened.remove(conn)
        with contextlib.suppress(sqlite3.Error):
            conn.close()

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
        if self.file is None:
            fairy = self.engine.raw_connection()
            try:
                driver: sqlite3.Connection = fairy.driver_connection  # type: ignore[assignment]
                return self._transaction(driver, case_ref, request, key, change, saved)
            finally:
                fairy.close()
        conn = self._connection()
        try:
            applied = self._transaction(conn, case_ref, request, key, change, saved)
        finally:
            if conn.in_transaction:  # a failed COMMIT or ROLLBACK: never leave it open
                try:
                    conn.rollback()
                except sqlite3.Error:
                    self._drop(conn)
        if applied is not None:
            self._check(case_ref)
        return applied

    def _transaction(
        self,
        conn: sqlite3.Connection,
        case_ref: str,
        request: str | None,
        key: str | None,
        change: Callable[[Stored], Journey],
        saved: int | None,
    ) -> Applied | None:
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                done = self._change(conn, case_ref, request, key, change, saved)
            except BaseException:
                self.recent.forget(case_ref)
                conn.rollback()
                raise
            if done is None:
                conn.rollback()
                return None
            applied, left = done
            try:
                conn.commit()
            except BaseException:
                self.recent.forget(case_ref)
                raise
            self.recent.keep(left)
            return applied
        except sqlite3.IntegrityError as exc:
            raise ConcurrentUpdate(
                f"another writer stored the same thing first ({exc}); reload and retry"
            ) from exc
        except sqlite3.OperationalError as exc:
            if "lock" in str(exc).lower():
                raise ConcurrentUpdate(f"the database was busy: {exc}") from exc
            raise

    def _check(self, case_ref: str) -> None:
        """After a commit: `DatabaseFileLost` (every connection to the lost file closed) if
        the file at the path is no longer the store's."""
        assert self.file is not None
        try:
            self.file.check(f"the change of case {case_ref}")
        except DatabaseFileLost:
            self.close()
            self.engine.dispose()
            raise

    def _change(
        self,
        conn: sqlite3.Connection,
        case_ref: str,
        request: str | None,
        key: str | None,
        change: Callable[[Stored], Journey],
        saved: int | None,
    ) -> tuple[Applied, Stored] | None:
        """Make the change from what was remembered, else (or if that fails) from a read."""
        remembered = self.recent.get(case_ref) if key is None else None
        if remembered is not None:
            try:
                journey = change(remembered)
            except Exception:  # the remembered journey may be out of date: read it
                self.recent.forget(case_ref)
                journey = None
            if journey is not None:
                done = self._write(conn, remembered, request, key, journey, saved)
                if done is not None:
                    return done
        found = conn.execute(self.read, (key, case_ref)).fetchall()
        if not found:
            raise JourneyNotFound(f"Case {case_ref}: no journey with this case reference")
        first = found[0]
        if first[10]:  # the key was used before: replay it, or refuse it, on the locked path
            return None
        fingerprint, profile_text, count, revision, head, last, closed = first[:7]
        profile = json.loads(profile_text)
        life = None if first[11] is None else json.loads(first[11])
        row = Row(case_ref, fingerprint, profile, count, revision, head,
                  _time(last), None if closed is None else _time(closed), life)  # fmt: skip
        places = tuple(_place(r) for r in found if r[7] is not None)
        stored = Stored(row, places)
        journey = change(stored)
        done = self._write(conn, stored, request, key, journey, saved, read=True)
        if done is None:
            raise conflict(case_ref, row.revision, None)
        return done

    def _write(
        self,
        conn: sqlite3.Connection,
        stored: Stored,
        request: str | None,
        key: str | None,
        journey: Journey,
        saved: int | None,
        *,
        read: bool = False,
    ) -> tuple[Applied, Stored] | None:
        """Write what `journey` did since `stored`; None (having written nothing) if the stored
        row is no longer `stored`'s, or if a remembered journey recorded nothing."""
        row = stored.row
        case_ref = row.case_ref
        before = row.event_count if saved is None else saved
        new = journey.events_since(before)
        if not new:
            if not read:
                return None
            return Applied(case_ref, (), row.revision), stored
        planned = plan(stored, journey, new)
        state = planned.state
        updated = conn.execute(
            self.journey,
            (
                profile_text(state["profile"]), state["event_count"],
                text_time(state["last_event_at"]), state["closed"],
                text_time(state["closed_at"]), text_time(state["overdue_from"]),
                text_time(state["timeout_at"]), state["fingerprint"],
                json_text(state["lifecycle"]), row.revision + 1, planned.head, case_ref,
                row.revision, row.head_hash,
            ),
        )  # fmt: skip
        if updated.rowcount != 1:
            return None
        fingerprint = state["fingerprint"]
        if len(planned.events) == 1:
            conn.execute(self.event, _event(case_ref, planned.events[0]))
            conn.execute(self.tell, (case_ref, planned.events[0]["seq"], fingerprint))
        else:
            conn.executemany(self.event, [_event(case_ref, e) for e in planned.events])
            conn.executemany(self.tell, [(case_ref, e["seq"], fingerprint) for e in planned.events])
        for place in planned.added:
            conn.execute(self.add, _position(case_ref, place))
        for place in planned.moved:
            conn.execute(self.move, _position(case_ref, place))
        applied = Applied(case_ref, tuple(new), row.revision + 1)
        if key is not None:
            conn.execute(self.record, (key, request, case_ref, before, len(new), applied.revision))
        # Only a journey the store bound itself is kept: a saved draft's journey is the caller's,
        # who may go on changing it.
        mine = journey if saved is None else None
        return applied, left_behind(stored, planned, applied.revision, mine)
