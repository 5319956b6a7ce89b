"""What the journey service's webhooks keep in the store's database: subscriptions, deliveries
and attempts (the tables are in `.webhook_tables`; revision `0003`).

```python
records = WebhookRecords(store.engine, store.tables.prefix)
subscription = records.subscribe("hull-city-council", "https://cms.example/hooks", ("handoff",),
                                 secret, at=now)
delivery = records.open_delivery(ident, subscription.id, "HU-1", 2, "handoff", payload, at=now)
records.record(delivery.id, status=200, error=None, ms=31, at=now, state="delivered")
```

Kept in the database rather than a file so that every worker process, the dispatcher and an
operator's `pathways serve webhooks` command see the same subscriptions, and so that each
attempt is recorded durably beside the journeys it reports. Every method runs in its own
transaction; `record` numbers attempts under the delivery's row lock, so two consumers that
attempt the same delivery never lose an attempt. Database errors come out as `StoreError`s.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, case, insert, select, update

from pathways.errors import ConcurrentUpdate, InvalidRequest
from pathways.store.connection import WRITE, reading, writing
from pathways.store.failures import guarded
from pathways.store.webhook_tables import webhook_tables

__all__ = ["Attempt", "Delivery", "Subscription", "Tried", "WebhookRecords"]

#: What a subscription or a delivery can be.
SUBSCRIPTION_STATES = ("active", "removed", "gone")
DELIVERY_STATES = ("pending", "delivered", "dead")


@dataclass(frozen=True, slots=True)
class Subscription:
    """An agency's endpoint and the kinds of event it wants (none named: every kind)."""

    id: str
    agency: str
    url: str
    events: tuple[str, ...]
    secret: str
    state: str
    created_at: datetime

    def wants(self, kind: str) -> bool:
        return self.state == "active" and (not self.events or kind in self.events)


@dataclass(frozen=True, slots=True)
class Delivery:
    """One event for one subscription; `id` is its `webhook-id`."""

    id: str
    subscription_id: str
    case_ref: str
    seq: int
    kind: str
    payload: dict[str, Any]
    state: str
    attempts: int
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class Attempt:
    """One attempt at a delivery: the HTTP status (None: no answer) or a short error code."""

    delivery_id: str
    number: int
    at: datetime
    status: int | None
    error: str | None
    ms: int


@dataclass(frozen=True, slots=True)
class Tried:
    """One attempt to record: its delivery, the answer (or none), and the state it leaves."""

    delivery_id: str
    status: int | None
    error: str | None
    ms: int
    at: datetime
    state: str


def _values(delivery: Delivery) -> dict[str, Any]:
    return {
        "id": delivery.id,
        "subscription_id": delivery.subscription_id,
        "case_ref": delivery.case_ref,
        "seq": delivery.seq,
        "kind": delivery.kind,
        "payload": delivery.payload,
        "state": "pending",
        "attempts": 0,
        "created_at": delivery.created_at,
        "updated_at": delivery.updated_at,
    }


def _subscription(row: Any) -> Subscription:
    return Subscription(
        row.id, row.agency, row.url, tuple(row.events), row.secret, row.state, row.created_at
    )


def _delivery(row: Any) -> Delivery:
    return Delivery(
        row.id,
        row.subscription_id,
        row.case_ref,
        row.seq,
        row.kind,
        dict(row.payload),
        row.state,
        row.attempts,
        row.created_at,
        row.updated_at,
    )


class WebhookRecords:
    """The webhook tables of one store (its engine and table prefix)."""

    def __init__(self, engine: Engine, prefix: str) -> None:
        self.engine = engine
        self.writer = engine.execution_options(**{WRITE: True})
        self.tables = webhook_tables(prefix)

    @guarded("add a webhook subscription")
    def subscribe(
        self,
        ident: str,
        agency: str,
        url: str,
        events: Sequence[str],
        secret: str,
        *,
        at: datetime,
    ) -> Subscription:
        kinds = sorted(set(events))
        values = {
            "id": ident,
            "agency": agency,
            "url": url,
            "events": kinds,
            "secret": secret,
            "state": "active",
            "created_at": at,
        }
        with writing(self.writer) as conn:
            conn.execute(insert(self.tables.subscriptions).values(values))
        return Subscription(ident, agency, url, tuple(kinds), secret, "active", at)

    @guarded("read webhook subscriptions")
    def subscriptions(
        self, agency: str | None = None, *, active: bool = True
    ) -> list[Subscription]:
        """The subscriptions (of `agency`, if given), only the active ones unless `active=False`."""
        table = self.tables.subscriptions
        query = select(table).order_by(table.c.created_at, table.c.id)
        if agency is not None:
            query = query.where(table.c.agency == agency)
        if active:
            query = query.where(table.c.state == "active")
        with reading(self.engine) as conn:
            return [_subscription(r) for r in conn.execute(query)]

    @guarded("read a webhook subscription")
    def subscription(self, ident: str) -> Subscription:
        table = self.tables.subscriptions
        with reading(self.engine) as conn:
            row = conn.execute(select(table).where(table.c.id == ident)).first()
        if row is None:
            raise InvalidRequest(f"no webhook subscription '{ident}'", operation="find it")
        return _subscription(row)

    @guarded("change a webhook subscription")
    def set_state(self, ident: str, state: str) -> Subscription:
        """Mark a subscription `removed` (by an operator) or `gone` (its receiver said 410)."""
        if state not in SUBSCRIPTION_STATES:
            raise InvalidRequest(f"'{state}' is not a subscription state", operation="change it")
        table = self.tables.subscriptions
        with writing(self.writer) as conn:
            done = conn.execute(update(table).where(table.c.id == ident).values(state=state))
        if done.rowcount == 0:
            raise InvalidRequest(f"no webhook subscription '{ident}'", operation="change it")
        return self.subscription(ident)

    def open_delivery(
        self,
        ident: str,
        subscription_id: str,
        case_ref: str,
        seq: int,
        kind: str,
        payload: dict[str, Any],
        *,
        at: datetime,
    ) -> Delivery:
        """The delivery `ident`, recorded now as pending with `payload` if it is new."""
        wanted = Delivery(
            ident, subscription_id, case_ref, seq, kind, payload, "pending", 0, at, at
        )
        return self.open_deliveries([wanted])[0]

    @guarded("record webhook deliveries")
    def open_deliveries(self, wanted: Sequence[Delivery]) -> list[Delivery]:
        """Each of `wanted` as recorded, in one transaction: those not yet recorded are
        recorded as given (pending, no attempt), the others are as they are."""
        if not wanted:
            return []
        table = self.tables.deliveries
        for _ in range(3):  # another consumer may record the same delivery at the same time
            try:
                with writing(self.writer) as conn:
                    ids = [w.id for w in wanted]
                    found = conn.execute(select(table).where(table.c.id.in_(ids)))
                    known = {row.id: _delivery(row) for row in found}
                    new = [_values(w) for w in wanted if w.id not in known]
                    if new:
                        conn.execute(insert(table), new)
                return [known.get(w.id, w) for w in wanted]
            except ConcurrentUpdate:
                continue
        raise ConcurrentUpdate("webhook deliveries: recorded by another consumer meanwhile")

    def record(
        self,
        ident: str,
        *,
        status: int | None,
        error: str | None,
        ms: int,
        at: datetime,
        state: str,
    ) -> Delivery:
        """Record the next attempt at delivery `ident` and leave it in `state`."""
        return self.record_all([Tried(ident, status, error, ms, at, state)])[0]

    @guarded("record webhook attempts")
    def record_all(self, tried: Sequence[Tried]) -> list[Delivery]:
        """Record each attempt (numbered after the delivery's last, under its row lock) and
        leave its delivery in the state given, in one transaction; a delivery once delivered
        stays delivered."""
        for attempt in tried:
            if attempt.state not in DELIVERY_STATES:
                raise InvalidRequest(
                    f"'{attempt.state}' is not a delivery state", operation="record"
                )
        table = self.tables.deliveries
        done: dict[int, Delivery] = {}
        with writing(self.writer) as conn:
            for place, attempt in sorted(enumerate(tried), key=lambda p: p[1].delivery_id):
                state = case((table.c.state == "delivered", "delivered"), else_=attempt.state)
                row = conn.execute(
                    update(table)
                    .where(table.c.id == attempt.delivery_id)
                    .values(state=state, attempts=table.c.attempts + 1, updated_at=attempt.at)
                    .returning(*table.c)
                ).first()
                if row is None:
                    raise InvalidRequest(
                        f"no webhook delivery '{attempt.delivery_id}'", operation="record it"
                    )
                conn.execute(
                    insert(self.tables.attempts).values(
                        delivery_id=attempt.delivery_id,
                        number=row.attempts,
                        at=attempt.at,
                        status=attempt.status,
                        error=attempt.error[:100] if attempt.error else None,
                        ms=attempt.ms,
                    )
                )
                done[place] = _delivery(row)
        return [done[place] for place in range(len(tried))]

    @guarded("read webhook deliveries")
    def deliveries(
        self,
        *,
        state: str | None = None,
        case_ref: str | None = None,
        subscription_id: str | None = None,
        ids: Sequence[str] = (),
        limit: int = 1000,
    ) -> list[Delivery]:
        """Deliveries, oldest first, filtered by any of the arguments given."""
        table = self.tables.deliveries
        query = select(table).order_by(table.c.created_at, table.c.case_ref, table.c.seq)
        for column, value in (
            (table.c.state, state),
            (table.c.case_ref, case_ref),
            (table.c.subscription_id, subscription_id),
        ):
            if value is not None:
                query = query.where(column == value)
        if ids:
            query = query.where(table.c.id.in_(list(ids)))
        with reading(self.engine) as conn:
            return [_delivery(r) for r in conn.execute(query.limit(max(1, min(limit, 100_000))))]

    @guarded("read webhook attempts")
    def attempts(self, delivery_id: str) -> list[Attempt]:
        table = self.tables.attempts
        query = select(table).where(table.c.delivery_id == delivery_id).order_by(table.c.number)
        with reading(self.engine) as conn:
            return [
                Attempt(r.delivery_id, r.number, r.at, r.status, r.error, r.ms)
                for r in conn.execute(query)
            ]
