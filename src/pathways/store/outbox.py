"""The transactional outbox: other systems told of every committed change, at least once, in
order per journey.

```python
batch = store.outbox.claim("webhooks", limit=100, lease=timedelta(seconds=30))
for item in batch.items:
    send(item.case_ref, item.seq, item.event)         # the consumer's own delivery
store.outbox.ack(batch)                               # or retry(batch, after=...) on failure
```

Every change writes one outbox row per event in the change's own transaction, on every write
path (`.sqlite`, `.postgres`, `.locked`, `.inserts`), so an event is in the outbox if and only
if it was committed. A consumer group (a name such as `"webhooks"`) claims a batch: the next
events of journeys nobody in the group holds, leased for `lease`. It acknowledges what it
delivered (`ack`) or gives the batch back (`retry`, claimable again after `after`); a lease
that runs out (a consumer killed mid-batch) makes its events claimable again. So each group
is handed every event at least once; items of one journey come in event order, and a
journey's later events are never handed out while an earlier one is leased or unacknowledged
in that group. Several processes claiming for one group share the work (`FOR UPDATE SKIP
LOCKED` on PostgreSQL; one writer at a time on SQLite). Each group receives every event.

A group's progress is a cursor per journey (`outbox_cursors`: the last event acknowledged, and
the lease of those handed out), so journeys never wait for one another. `purge` deletes the
rows every registered group has acknowledged, once their events are older than a limit, so
the outbox stays bounded. Lease times are the consumer's clock (the store's `clock`).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property
from typing import Any

from sqlalchemy import Engine, bindparam, delete, func, select, update

from pathways.errors import InvalidRequest, ReadOnlyStore
from pathways.store import connection
from pathways.store.arguments import check_limit
from pathways.store.clock import ClockCheck
from pathways.store.failures import guarded
from pathways.store.outbox_sql import Statements, add_cursors, add_group
from pathways.store.rows import entry_from_event_row
from pathways.store.tables import GROUP, Tables

__all__ = ["Outbox", "OutboxBatch", "OutboxItem", "Telling"]

_GROUP = re.compile(rf"[A-Za-z0-9][A-Za-z0-9._:-]{{0,{GROUP - 1}}}")


@dataclass(frozen=True, slots=True)
class OutboxItem:
    """One event to tell: where it is in the outbox (`id`, increasing), whose it is, what it
    says (`event`, the event's canonical dictionary, as `Event.to_dict()` gives it) and how
    many times in a row this group has been handed the journey's next events (1 the first
    time; more after a retry or a lease that ran out)."""

    id: int
    case_ref: str
    seq: int
    kind: str
    at: datetime
    agency: str | None
    pathway_id: str
    version: str
    event: dict[str, Any]
    attempts: int


@dataclass(frozen=True, slots=True)
class OutboxBatch:
    """What one claim handed out: its items in outbox order, leased until `lease_until`."""

    group: str
    items: tuple[OutboxItem, ...]
    lease: str
    lease_until: datetime

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[OutboxItem]:
        return iter(self.items)


class Outbox:
    """The outbox of one store: claim, acknowledge and retry batches for consumer groups."""

    def __init__(
        self,
        engine: Engine,
        tables: Tables,
        *,
        clock: Callable[[], datetime],
        read_only: bool = False,
    ) -> None:
        self.engine = engine
        self.writer = engine.execution_options(**{connection.WRITE: True})
        self.tables = tables
        self.clock = clock
        self.read_only = read_only
        self.sql = Statements(tables)

    @guarded("outbox register")
    def register(self, group: str) -> None:
        """Register `group`, so that `purge` keeps what it has not acknowledged (a group is
        registered by its first claim too)."""
        self._writable(_check_group(group, "register"), "register")
        with connection.writing(self.writer) as conn:
            add_group(conn, self.tables, group, self.clock())

    @guarded("outbox groups")
    def groups(self) -> tuple[str, ...]:
        """The registered groups, by name."""
        g = self.tables.outbox_groups
        with connection.reading(self.engine) as conn:
            return tuple(conn.execute(select(g.c.consumer).order_by(g.c.consumer)).scalars())

    @guarded("outbox forget")
    def forget(self, group: str) -> None:
        """Forget `group` and its progress: `purge` no longer keeps anything for it."""
        self._writable(_check_group(group, "forget"), "forget")
        t = self.tables
        with connection.writing(self.writer) as conn:
            conn.execute(delete(t.outbox_cursors).where(t.outbox_cursors.c.consumer == group))
            conn.execute(delete(t.outbox_groups).where(t.outbox_groups.c.consumer == group))

    @guarded("outbox claim")
    def claim(
        self, group: str, *, limit: int = 100, lease: timedelta = timedelta(seconds=30)
    ) -> OutboxBatch:
        """Lease up to `limit` events for `group`: the next events of journeys that nobody in
        the group holds, oldest first, each journey's in event order (an empty batch when
        there is nothing to hand out)."""
        self._writable(_check_group(group, "claim"), "claim")
        check_limit(limit, operation="outbox claim")
        _check_period(lease, "lease", "claim", zero=False)
        token = uuid.uuid4().hex
        with connection.writing(self.writer) as conn:
            now = self.clock()
            add_group(conn, self.tables, group, now)
            where = {"group": group, "now": now}
            found = conn.execute(self.sql.claimable, {**where, "limit": limit}).all()
            refs = [r.case_ref for r in found]
            add_cursors(conn, self.tables, group, refs)
            locked = list(conn.execute(self.sql.lock, {**where, "refs": refs}).scalars())
            rows = conn.execute(self.sql.items, {**where, "refs": locked, "limit": limit}).all()
            items = tuple(_item(row) for row in rows)
            until = now + lease
            last: dict[str, int] = {}
            for item in items:
                last[item.case_ref] = item.seq
            if last:
                c = self.tables.outbox_cursors
                conn.execute(
                    update(c)
                    .where(c.c.consumer == group, c.c.case_ref == bindparam("ref"))
                    .values(
                        lease=token,
                        lease_until=until,
                        leased_to=bindparam("to"),
                        attempts=c.c.attempts + 1,
                        not_before=None,
                    ),
                    [{"ref": ref, "to": seq} for ref, seq in last.items()],
                )
        return OutboxBatch(group, items, token, until)

    @guarded("outbox ack")
    def ack(self, batch: OutboxBatch, items: Iterable[OutboxItem] | None = None) -> int:
        """Acknowledge the batch's items (or those of `items`): delivered, not to be handed
        out again. For each journey they must follow on from what it acknowledged before
        (`InvalidRequest` otherwise, and nothing is acknowledged). How many were new."""
        self._writable(batch.group, "ack")
        chosen = _chosen(batch, items)
        done = 0
        with connection.writing(self.writer) as conn:
            for row in self._cursors(conn, batch, chosen):
                seqs = chosen[row.case_ref]
                for item in batch.items:
                    ours = item.case_ref == row.case_ref and row.acked < item.seq < max(seqs)
                    if ours and item.seq not in seqs:
                        raise InvalidRequest(
                            f"outbox ack: Case {row.case_ref}: event {max(seqs)} cannot be "
                            f"acknowledged before event {item.seq}; acknowledge a journey's "
                            "events in order",
                            operation="outbox ack",
                        )
                acked = max(row.acked, *seqs)
                done += sum(1 for s in seqs if s > row.acked)
                mine = row.lease == batch.lease and acked >= (row.leased_to or 0)
                values: dict[str, Any] = {"acked": acked}
                if mine:
                    values.update(lease=None, lease_until=None, leased_to=None, attempts=0)
                self._update(conn, batch.group, row.case_ref, values)
        return done

    @guarded("outbox retry")
    def retry(self, batch: OutboxBatch, *, after: timedelta = timedelta(0)) -> int:
        """Give back the batch's unacknowledged items: claimable again `after` from now (unless
        the lease ran out and another consumer holds them now). How many were given back."""
        self._writable(batch.group, "retry")
        _check_period(after, "after", "retry", zero=True)
        given = 0
        with connection.writing(self.writer) as conn:
            now = self.clock()
            for row in self._cursors(conn, batch, _chosen(batch, None)):
                if row.lease != batch.lease:
                    continue
                left = [i for i in batch.items if i.case_ref == row.case_ref and i.seq > row.acked]
                given += len(left)
                values = {"lease": None, "lease_until": None, "leased_to": None}
                self._update(conn, batch.group, row.case_ref, {**values, "not_before": now + after})
        return given

    @guarded("outbox pending")
    def pending(self, group: str) -> int:
        """How many items `group` has not acknowledged (handed out or not)."""
        _check_group(group, "pending")
        with connection.reading(self.engine) as conn:
            return int(conn.execute(self.sql.pending, {"group": group}).scalar_one())

    @guarded("outbox purge")
    def purge(self, *, older_than: timedelta) -> int:
        """Delete the items every registered group has acknowledged whose events are dated
        more than `older_than` before now (with no group registered, every such item); how
        many. Cursors left with nothing to follow go too."""
        self._writable("purge", "purge")
        _check_period(older_than, "older_than", "purge", zero=True)
        with connection.writing(self.writer) as conn:
            before = self.clock() - older_than
            gone = conn.execute(self.sql.purgeable, {"before": before}).rowcount
            conn.execute(self.sql.unused)
        return int(gone)

    @guarded("outbox size")
    def size(self) -> int:
        """How many items the outbox holds."""
        with connection.reading(self.engine) as conn:
            query = select(func.count()).select_from(self.tables.outbox)
            return int(conn.execute(query).scalar_one())

    def _cursors(self, conn: Any, batch: OutboxBatch, chosen: dict[str, list[int]]) -> list[Any]:
        refs = sorted(chosen)
        return list(conn.execute(self.sql.cursors, {"group": batch.group, "refs": refs}))

    def _update(self, conn: Any, group: str, case_ref: str, values: dict[str, Any]) -> None:
        c = self.tables.outbox_cursors
        conn.execute(
            update(c).where(c.c.consumer == group, c.c.case_ref == case_ref).values(**values)
        )

    def _writable(self, group: str, operation: str) -> None:
        if self.read_only:
            raise ReadOnlyStore(
                f"outbox {operation}: this journey store was opened read-only, so nothing can "
                "be claimed, acknowledged or purged; open it without read_only=True"
            )


class Telling:
    """`JourneyStore.outbox`: the outbox of the store's database and prefix."""

    engine: Engine
    tables: Tables
    clock: ClockCheck
    read_only: bool

    @cached_property
    def outbox(self) -> Outbox:
        """The outbox (`pathways.store.outbox`), on the store's engine and clock."""
        return Outbox(self.engine, self.tables, clock=self.clock.clock, read_only=self.read_only)


def _item(row: Any) -> OutboxItem:
    entry = entry_from_event_row(row)
    return OutboxItem(
        id=int(row.id),
        case_ref=row.case_ref,
        seq=row.seq,
        kind=row.kind,
        at=row.at,
        agency=row.agency,
        pathway_id=row.pathway_id,
        version=row.version,
        event=dict(entry.data),
        attempts=row.attempts + 1,
    )


def _chosen(batch: OutboxBatch, items: Iterable[OutboxItem] | None) -> dict[str, list[int]]:
    """The items to act on, by journey: each must be one of the batch's."""
    known = {item.id for item in batch.items}
    chosen: dict[str, list[int]] = {}
    for item in batch.items if items is None else items:
        if item.id not in known:
            raise InvalidRequest(
                f"outbox: item {item.id} (case {item.case_ref}, event {item.seq}) is not in "
                "this batch",
                operation="outbox ack",
            )
        chosen.setdefault(item.case_ref, []).append(item.seq)
    return chosen


def _check_group(group: object, operation: str) -> str:
    if not isinstance(group, str) or not _GROUP.fullmatch(group):
        raise InvalidRequest(
            f"outbox {operation}: consumer group {group!r} is not allowed: expected a letter or "
            f"digit, then at most {GROUP - 1} letters, digits or '.', '_', ':', '-'",
            operation=f"outbox {operation}",
        )
    return group


def _check_period(value: object, what: str, operation: str, *, zero: bool) -> None:
    if not isinstance(value, timedelta) or value < timedelta(0) or (not zero and not value):
        least = "zero or more" if zero else "more than zero"
        raise InvalidRequest(
            f"outbox {operation}: {what} must be a timedelta of {least}, not {value!r}",
            operation=f"outbox {operation}",
        )
