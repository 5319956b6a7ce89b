"""A record that can be trusted: when each entry was recorded, and the audit keys of the chain.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03

`events.recorded_at` and `rollouts.recorded_at` hold the time the database recorded the row,
from its own clock; rows written before this revision keep null there (the time they were
recorded is not known, and is not made up). `journeys.audit_key` names the audit key that made
the journey's last link (null: unkeyed, as every chain written before this revision is), and
`key_changes` holds each "from here on key <id>" entry of a chain. No existing row changes, so
every journey still verifies; an unkeyed journey takes a key change entry on its first change
by a store given an audit key, or at once with `pathways db rekey`.

The downgrade drops the recorded times and the key changes: the events and roll-outs written
under this revision then no longer verify (their links covered what was dropped), and `pathways
db verify` names them. Undo it only on a database that must go back, knowing that.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context, op

revision = "0003"
down_revision: str | None = "0002"
branch_labels = None
depends_on = None

_TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    p: str = context.config.attributes["prefix"]
    op.add_column(f"{p}journeys", sa.Column("audit_key", sa.String(32), nullable=True))
    op.add_column(f"{p}events", sa.Column("recorded_at", _TS, nullable=True))
    op.add_column(f"{p}rollouts", sa.Column("recorded_at", _TS, nullable=True))
    op.create_table(
        f"{p}key_changes",
        sa.Column(
            "case_ref", sa.String(128), sa.ForeignKey(f"{p}journeys.case_ref"), nullable=False
        ),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("from_key", sa.String(32), nullable=True),
        sa.Column("to_key", sa.String(32), nullable=False),
        sa.Column("recorded_at", _TS, nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("case_ref", "number", name=f"pk_{p}key_changes"),
    )


def downgrade() -> None:
    p: str = context.config.attributes["prefix"]
    op.drop_table(f"{p}key_changes")
    # ALTER TABLE ... DROP COLUMN (SQLite 3.35 and later), not a copy of each table: a copy of
    # the journeys table cannot replace it while the other tables refer to it.
    op.drop_column(f"{p}rollouts", "recorded_at")
    op.drop_column(f"{p}events", "recorded_at")
    op.drop_column(f"{p}journeys", "audit_key")
