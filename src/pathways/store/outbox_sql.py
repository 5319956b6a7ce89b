"""The outbox's statements, built once per table prefix with SQLAlchemy Core (any driver).

What `pathways.store.outbox` runs, in its own transactions:

- `claimable`: the journeys whose next events a group may be handed now, the oldest first: a
  journey with outbox rows after the group's cursor, whose cursor (if any) holds no lease that
  is still running and is not waiting out a retry delay.
- `lock`: those journeys' cursors, locked `FOR UPDATE SKIP LOCKED` on PostgreSQL, so that a
  consumer claiming at the same moment passes over them instead of waiting (SQLite has one
  writer at a time: the claim's `BEGIN IMMEDIATE` is the lock).
- `items`: the events after each locked cursor, joined with the event rows and the pathway
  version, in outbox order.
- `pending`, `purgeable` and `unused`: counts and retention.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    Connection,
    Delete,
    Select,
    Table,
    and_,
    bindparam,
    delete,
    exists,
    func,
    not_,
    or_,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite

from pathways.store.tables import Tables

__all__ = ["Statements", "add_cursors", "add_group"]


class Statements:
    """The outbox statements of one table prefix."""

    def __init__(self, tables: Tables) -> None:
        self.tables = tables
        o, c, g = tables.outbox, tables.outbox_cursors, tables.outbox_groups
        e, v = tables.events, tables.pathways
        group = bindparam("group", type_=c.c.consumer.type)
        now = bindparam("now", type_=c.c.lease_until.type)
        mine = and_(c.c.consumer == group, c.c.case_ref == o.c.case_ref)
        free = and_(
            or_(c.c.lease_until.is_(None), c.c.lease_until <= now),
            or_(c.c.not_before.is_(None), c.c.not_before <= now),
        )
        first = func.min(o.c.id).label("first")
        self.claimable: Select[Any] = (
            select(o.c.case_ref, first)
            .select_from(o.outerjoin(c, mine))
            .where(or_(c.c.case_ref.is_(None), and_(o.c.seq > c.c.acked, free)))
            .group_by(o.c.case_ref)
            .order_by(first)
            .limit(bindparam("limit"))
        )
        refs = bindparam("refs", type_=c.c.case_ref.type, expanding=True)
        self.lock: Select[Any] = (
            select(c.c.case_ref)
            .where(c.c.consumer == group, c.c.case_ref.in_(refs), free)
            .with_for_update(skip_locked=True)
        )
        self.items: Select[Any] = (
            select(o.c.id, c.c.attempts, v.c.pathway_id, v.c.version, e)
            .select_from(
                o.join(c, mine)
                .join(e, and_(e.c.case_ref == o.c.case_ref, e.c.seq == o.c.seq))
                .join(v, v.c.fingerprint == o.c.fingerprint)
            )
            .where(o.c.case_ref.in_(refs), o.c.seq > c.c.acked)
            .order_by(o.c.id)
            .limit(bindparam("limit"))
        )
        self.cursors: Select[Any] = (
            select(c).where(c.c.consumer == group, c.c.case_ref.in_(refs)).with_for_update()
        )
        self.pending: Select[Any] = (
            select(func.count())
            .select_from(o.outerjoin(c, mine))
            .where(or_(c.c.case_ref.is_(None), o.c.seq > c.c.acked))
        )
        acknowledged = (
            select(c.c.case_ref)
            .where(c.c.consumer == g.c.consumer, c.c.case_ref == o.c.case_ref)
            .where(c.c.acked >= o.c.seq)
            .correlate(g, o)
            .exists()
        )
        by_everyone = not_(select(g.c.consumer).where(not_(acknowledged)).correlate(o).exists())
        old = exists().where(
            e.c.case_ref == o.c.case_ref, e.c.seq == o.c.seq, e.c.at < bindparam("before")
        )
        self.purgeable: Delete = delete(o).where(by_everyone, old)
        self.unused: Delete = delete(c).where(
            c.c.lease.is_(None), not_(exists().where(o.c.case_ref == c.c.case_ref))
        )


def add_group(conn: Connection, tables: Tables, group: str, now: datetime) -> None:
    """Register `group` (since `now`) unless it is registered already."""
    _insert_new(conn, tables.outbox_groups, [{"consumer": group, "since": now}], ["consumer"])


def add_cursors(conn: Connection, tables: Tables, group: str, refs: list[str]) -> None:
    """Give each journey of `refs` that has no cursor in `group` one at its start (nothing
    acknowledged: events are numbered from 0; nothing leased); a cursor that exists is left
    as it is."""
    rows = [{"consumer": group, "case_ref": ref, "acked": -1, "attempts": 0} for ref in refs]
    _insert_new(conn, tables.outbox_cursors, rows, ["consumer", "case_ref"])


def _insert_new(
    conn: Connection, table: Table, rows: list[dict[str, Any]], keys: list[str]
) -> None:
    if rows:
        dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
        conn.execute(dialect.insert(table).on_conflict_do_nothing(index_elements=keys), rows)
