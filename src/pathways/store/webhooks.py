"""What the journey service's webhooks keep in the store's database: subscriptions, deliveries
and attempts (the tables are in `.webhook_tables`; revision `0003_webhooks`).

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

from sqlalchemy import Engine, insert, select, update

from pathways.errors import InvalidRequest
from pathways.store.connection import WRITE, reading, writing
from pathways.store.failures import guarded
from pathways.store.webhook_tables import webhook_tables

__all__ = ["Attempt", "Delivery", "Subscription", "WebhookRecords"]

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

    @guarded("record a webhook delivery")
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
        table = self.tables.deliveries
        with writing(self.writer) as conn:
            row = conn.execute(select(table).where(table.c.id == ident)).first()
            if row is not None:
                return _delivery(row)
            values = {
                "id": ident,
                "subscription_id": subscription_id,
                "case_ref": case_ref,
                "seq": seq,
                "kind": kind,
                "payload": payload,
                "state": "pending",
                "attempts": 0,
                "created_at": at,
                "updated_at": at,
            }
            conn.execute(insert(table).values(values))
        return Delivery(ident, subscription_id, case_ref, seq, kind, payload, "pending", 0, at, at)

    @guarded("record a webhook attempt")
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
        if state not in DELIVERY_STATES:
            raise InvalidRequest(f"'{state}' is not a delivery state", operation="record it")
        table = self.tables.deliveries
        with writing(self.writer) as conn:
            row = conn.execute(select(table).where(table.c.id == ident).with_for_update()).first()
            if row is None:
                raise InvalidRequest(f"no webhook delivery '{ident}'", operation="record it")
            number = row.attempts + 1
            conn.execute(
                insert(self.tables.attempts).values(
                    delivery_id=ident,
                    number=number,
                    at=at,
                    status=status,
                    error=error[:100] if error else None,
                    ms=ms,
                )
            )
            final = "delivered" if row.state == "delivered" else state
            conn.execute(
                update(table)
                .where(table.c.id == ident)
                .values(state=final, attempts=number, updated_at=at)
            )
            row = conn.execute(select(table).where(table.c.id == ident)).one()
        return _delivery(row)

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
