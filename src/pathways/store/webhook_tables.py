"""The webhook tables (issue 17, revision `0003`): subscriptions, deliveries and every
delivery attempt, under the store's table prefix, on a `MetaData` of their own (nothing in
them refers to the journey tables, and the journey store itself never reads them).

- `<p>webhook_subscriptions`: an agency's endpoint, the kinds of event it wants (`events`,
  empty for every kind), its signing secret, and `state`: `active`, `removed` or `gone` (the
  receiver answered 410 Gone).
- `<p>webhook_deliveries`: one event for one subscription; its id is the `webhook-id` header,
  the same on every attempt. The payload sent (what the service shows that agency over HTTP),
  `state` `pending`, `delivered` or `dead` (every attempt failed: the dead-letter list an
  operator replays), and the number of attempts made.
- `<p>webhook_attempts`: each attempt: when, the HTTP status (or none), a short error code such
  as `timeout` (never a receiver's words) and how long it took.
"""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import JSON, Column, ForeignKey, Index, Integer, MetaData, String, Table

from pathways.store.tables import CASE_REF, NAME, PREFIX, UTCDateTime, check_prefix

__all__ = ["WebhookTables", "webhook_tables"]

_URL = 2000  # the longest endpoint URL
_SECRET = 100  # the longest signing secret: `whsec_` and the base64 of at most 64 bytes


class WebhookTables(NamedTuple):
    """The webhook tables of one prefix, and their `MetaData`."""

    metadata: MetaData
    subscriptions: Table
    deliveries: Table
    attempts: Table


_BUILT: dict[str, WebhookTables] = {}


def webhook_tables(prefix: str = PREFIX) -> WebhookTables:
    """The webhook tables for `prefix` (built once, then shared)."""
    tables = _BUILT.get(prefix)
    if tables is None:
        tables = _BUILT[prefix] = _build(check_prefix(prefix))
    return tables


def _build(p: str) -> WebhookTables:
    metadata = MetaData()
    subscriptions = Table(
        f"{p}webhook_subscriptions",
        metadata,
        Column("id", String(32), primary_key=True),
        Column("agency", String(NAME), nullable=False),
        Column("url", String(_URL), nullable=False),
        Column("events", JSON, nullable=False),
        Column("secret", String(_SECRET), nullable=False),
        Column("state", String(16), nullable=False),
        Column("created_at", UTCDateTime, nullable=False),
        Index(f"ix_{p}webhook_subscriptions_agency", "agency"),
    )
    deliveries = Table(
        f"{p}webhook_deliveries",
        metadata,
        Column("id", String(120), primary_key=True),
        Column(
            "subscription_id",
            String(32),
            ForeignKey(f"{p}webhook_subscriptions.id"),
            nullable=False,
        ),
        Column("case_ref", String(CASE_REF), nullable=False),
        Column("seq", Integer, nullable=False),
        Column("kind", String(16), nullable=False),
        Column("payload", JSON, nullable=False),
        Column("state", String(16), nullable=False),
        Column("attempts", Integer, nullable=False),
        Column("created_at", UTCDateTime, nullable=False),
        Column("updated_at", UTCDateTime, nullable=False),
        Index(f"ix_{p}webhook_deliveries_state", "state"),
        Index(f"ix_{p}webhook_deliveries_case_ref", "case_ref"),
    )
    attempts = Table(
        f"{p}webhook_attempts",
        metadata,
        Column(
            "delivery_id",
            String(120),
            ForeignKey(f"{p}webhook_deliveries.id"),
            primary_key=True,
        ),
        Column("number", Integer, primary_key=True),
        Column("at", UTCDateTime, nullable=False),
        Column("status", Integer, nullable=True),
        Column("error", String(NAME), nullable=True),
        Column("ms", Integer, nullable=False),
    )
    return WebhookTables(metadata, subscriptions, deliveries, attempts)
