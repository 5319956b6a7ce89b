"""The locked path of a change, for any driver: SQLAlchemy Core statements built once per prefix.

- **Read**: the journey row is locked for the rest of the transaction (`FOR UPDATE` on
  PostgreSQL; on SQLite the transaction began with `BEGIN IMMEDIATE`), then one query returns
  it joined with its positions. Lock first, then read: a locking read that waits for another
  writer sees that writer's journey row once it commits, but, on PostgreSQL, the joined
  positions as they were when the read began, so a writer that waited could have moved a track
  on from a stage it had already left.
- **Write**: what `pathways.store.changes.plan` worked out. The journey row is updated `WHERE
  revision = <the revision read>`; if no row matches, `ConcurrentUpdate` is raised and nothing
  is written. The new events are appended, hash-chained, with their outbox rows
  (`pathways.store.outbox`), and moved positions are updated. On PostgreSQL the usual change
  (one event, at most one track moved, none started) is a single statement: the journey
  `UPDATE ... RETURNING` feeds the event and outbox `INSERT`s and the position `UPDATE` in
  data-modifying CTEs, so the event is appended only if the revision matched.
  Anything else takes one statement per row.

`JourneyStore` makes a change here when no driver of its own made it (see
`pathways.store.changes`), and reads journeys with `LockedPath.load`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Select, Table, bindparam, func, insert, select, update

from pathways.errors import JourneyNotFound
from pathways.runtime.events import Event
from pathways.runtime.journey import Journey
from pathways.store.changes import (
    EVENT_COLUMNS,
    PLACE_COLUMNS,
    STATE_COLUMNS,
    Applied,
    Stored,
    conflict,
    plan,
)
from pathways.store.rows import outbox_rows
from pathways.store.signing import Signer
from pathways.store.tables import Tables

__all__ = ["LockedPath", "locked_path"]


class LockedPath:
    """The locked path of one table prefix: its statements, and the reads and writes they make."""

    def __init__(self, tables: Tables) -> None:
        self.tables = tables
        j, p, e = tables.journeys, tables.positions, tables.events
        joined = j.outerjoin(p, p.c.case_ref == j.c.case_ref)
        places = [p.c.track, *(p.c[name] for name in PLACE_COLUMNS)]
        read = select(j, *places).select_from(joined)
        self.read: Select[Any] = read.where(j.c.case_ref == bindparam("key_case_ref"))
        self.lock: Select[Any] = (
            select(j.c.revision).where(j.c.case_ref == bindparam("key_case_ref")).with_for_update()
        )
        state = {name: bindparam(f"new_{name}", type_=j.c[name].type) for name in STATE_COLUMNS}
        self.update_journey = (
            update(j)
            .where(j.c.case_ref == bindparam("key_case_ref"))
            .where(j.c.revision == bindparam("key_revision"))
            .values(revision=bindparam("new_revision"), head_hash=bindparam("new_head"), **state)
        )
        self.insert_event = insert(e)
        self.insert_outbox = insert(tables.outbox)
        self.insert_position = insert(p)
        self.update_position = (
            update(p)
            .where(p.c.case_ref == bindparam("key_case_ref"))
            .where(p.c.track == bindparam("key_track"))
            .values(**_new_place(p))
        )
        self.one_statement = {moved: self._one_statement(moved) for moved in (False, True)}

    def _one_statement(self, moved: bool) -> Select[Any]:
        """PostgreSQL: update the journey, append one event and move one track, in one go."""
        j, p, e = self.tables.journeys, self.tables.positions, self.tables.events
        changed = self.update_journey.returning(j.c.case_ref).cte("changed")
        values = [bindparam(f"event_{name}", type_=e.c[name].type) for name in EVENT_COLUMNS[1:]]
        appended = insert(e).from_select(
            list(EVENT_COLUMNS), select(changed.c.case_ref, *values)
        ).cte("appended")  # fmt: skip
        o = self.tables.outbox
        told = insert(o).from_select(
            ["case_ref", "seq", "fingerprint"],
            select(
                changed.c.case_ref,
                bindparam("outbox_seq", type_=o.c.seq.type),
                bindparam("outbox_fingerprint", type_=o.c.fingerprint.type),
            ),
        ).cte("told")  # fmt: skip
        query = select(func.count()).select_from(changed).add_cte(appended).add_cte(told)
        if moved:
            move = (
                update(p)
                .where(p.c.case_ref == changed.c.case_ref)
                .where(p.c.track == bindparam("key_track"))
                .values(**_new_place(p))
                .cte("moved")
            )
            query = query.add_cte(move)
        return query

    def load(self, conn: Connection, case_ref: str, *, lock: bool = False) -> Stored:
        """The journey row and its positions (the row locked first if asked: see the module
        docstring); `JourneyNotFound` if none."""
        key = {"key_case_ref": case_ref}
        if lock:
            conn.execute(self.lock, key)
        rows = conn.execute(self.read, key).all()
        if not rows:
            raise JourneyNotFound(f"Case {case_ref}: no journey with this case reference")
        return Stored(rows[0], tuple(r for r in rows if r.track is not None))

    def write(
        self,
        conn: Connection,
        stored: Stored,
        journey: Journey,
        new: Sequence[Event],
        recorded_at: datetime,
        signer: Signer,
        head: str,
    ) -> Applied:
        """Append `new` (what `journey` did since `stored`), chained from `head` under the
        store's key and recorded at `recorded_at`, and update its row and positions."""
        row = stored.row
        case_ref = row.case_ref
        if not new:
            return Applied(case_ref, (), row.revision)
        planned = plan(stored, journey, new, recorded_at, signer.secret, head)
        params = {f"new_{name}": planned.state[name] for name in STATE_COLUMNS}
        params.update(
            key_case_ref=case_ref,
            key_revision=row.revision,
            new_revision=row.revision + 1,
            new_head=planned.head,
        )
        if conn.dialect.name == "postgresql" and planned.usual:
            params.update({f"event_{name}": planned.events[0][name] for name in EVENT_COLUMNS[1:]})
            params.update(outbox_seq=new[0].seq, outbox_fingerprint=planned.state["fingerprint"])
            if planned.moved:
                params.update(self._move_params(planned.moved[0]))
            done = conn.execute(self.one_statement[bool(planned.moved)], params).scalar_one()
            if done != 1:
                raise conflict(case_ref, row.revision, None)
            return Applied(case_ref, tuple(new), row.revision + 1)
        if conn.execute(self.update_journey, params).rowcount != 1:
            raise conflict(case_ref, row.revision, None)
        conn.execute(self.insert_event, planned.events)
        told = outbox_rows(case_ref, (e.seq for e in new), planned.state["fingerprint"])
        conn.execute(self.insert_outbox, told)
        if planned.added:
            conn.execute(self.insert_position, planned.added)
        for place in planned.moved:
            conn.execute(self.update_position, self._move_params(place))
        return Applied(case_ref, tuple(new), row.revision + 1)

    @staticmethod
    def _move_params(place: Mapping[str, Any]) -> dict[str, Any]:
        found = {f"new_{name}": place[name] for name in PLACE_COLUMNS}
        return {"key_case_ref": place["case_ref"], "key_track": place["track"], **found}


def _new_place(p: Table) -> dict[str, Any]:
    """The positions columns a moved track writes, as bound parameters `new_<column>`."""
    return {name: bindparam(f"new_{name}", type_=p.c[name].type) for name in PLACE_COLUMNS}


_PATHS: dict[str, LockedPath] = {}


def locked_path(tables: Tables) -> LockedPath:
    """The statements of `tables`' prefix (built once, then shared)."""
    found = _PATHS.get(tables.prefix)
    if found is None:
        found = _PATHS[tables.prefix] = LockedPath(tables)
    return found
