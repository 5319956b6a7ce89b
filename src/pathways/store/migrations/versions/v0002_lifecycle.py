"""The referral lifecycle (issue 15): what an event carries besides its core columns, and the
journey's lifecycle state.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03

`events.extra` holds an event's optional keys when it has any (the staff reference, a declared
reason, the number of the event a correction corrects, a transfer's or an amendment's detail),
null otherwise, so every event written before this revision keeps its canonical form and its
hash. `journeys.lifecycle` holds the journey's lifecycle state (referrals awaiting an answer,
paused clocks, how the journey ended, corrections), null when there is none. Both columns are
nullable and added without a default, so the upgrade changes no existing row.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context, op

revision = "0002"
down_revision: str | None = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    p: str = context.config.attributes["prefix"]
    op.add_column(f"{p}events", sa.Column("extra", sa.JSON(), nullable=True))
    op.add_column(f"{p}journeys", sa.Column("lifecycle", sa.JSON(), nullable=True))


def downgrade() -> None:
    p: str = context.config.attributes["prefix"]
    with op.batch_alter_table(f"{p}journeys") as batch:
        batch.drop_column("lifecycle")
    with op.batch_alter_table(f"{p}events") as batch:
        batch.drop_column("extra")
