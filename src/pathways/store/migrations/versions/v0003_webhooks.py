"""Webhooks (issue 17): subscriptions, deliveries and delivery attempts.

Revision ID: 0003_webhooks
Revises: 0003_outbox
Create Date: 2026-12-03

Three new tables (see the webhook block of `pathways.store.tables`); no existing table or row
changes, so a database written by an earlier release upgrades with nothing to backfill: it has
no subscriptions, and events recorded before the upgrade are not sent to anyone (only those the
outbox carries after it are).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context, op

revision = "0003_webhooks"
down_revision: str | tuple[str, ...] | None = "0003_outbox"
branch_labels = None
depends_on = None

_CASE_REF, _NAME = 128, 100


def _time() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    p: str = context.config.attributes["prefix"]
    op.create_table(
        f"{p}webhook_subscriptions",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("agency", sa.String(_NAME), nullable=False),
        sa.Column("url", sa.String(2000), nullable=False),
        sa.Column("events", sa.JSON(), nullable=False),
        sa.Column("secret", sa.String(100), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("created_at", _time(), nullable=False),
    )
    op.create_index(f"ix_{p}webhook_subscriptions_agency", f"{p}webhook_subscriptions", ["agency"])
    op.create_table(
        f"{p}webhook_deliveries",
        sa.Column("id", sa.String(120), primary_key=True),
        sa.Column(
            "subscription_id",
            sa.String(32),
            sa.ForeignKey(f"{p}webhook_subscriptions.id"),
            nullable=False,
        ),
        sa.Column("case_ref", sa.String(_CASE_REF), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", _time(), nullable=False),
        sa.Column("updated_at", _time(), nullable=False),
    )
    op.create_index(f"ix_{p}webhook_deliveries_state", f"{p}webhook_deliveries", ["state"])
    op.create_index(f"ix_{p}webhook_deliveries_case_ref", f"{p}webhook_deliveries", ["case_ref"])
    op.create_table(
        f"{p}webhook_attempts",
        sa.Column(
            "delivery_id",
            sa.String(120),
            sa.ForeignKey(f"{p}webhook_deliveries.id"),
            primary_key=True,
        ),
        sa.Column("number", sa.Integer(), primary_key=True),
        sa.Column("at", _time(), nullable=False),
        sa.Column("status", sa.Integer(), nullable=True),
        sa.Column("error", sa.String(_NAME), nullable=True),
        sa.Column("ms", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    p: str = context.config.attributes["prefix"]
    op.drop_table(f"{p}webhook_attempts")
    op.drop_index(f"ix_{p}webhook_deliveries_case_ref", f"{p}webhook_deliveries")
    op.drop_index(f"ix_{p}webhook_deliveries_state", f"{p}webhook_deliveries")
    op.drop_table(f"{p}webhook_deliveries")
    op.drop_index(f"ix_{p}webhook_subscriptions_agency", f"{p}webhook_subscriptions")
    op.drop_table(f"{p}webhook_subscriptions")
