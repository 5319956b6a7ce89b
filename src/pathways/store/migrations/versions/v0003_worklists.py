"""Worklists (issue 16): each position's own due date, pause and referral state, and who owns
each stage of each version.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03

`positions` gains `due` (when the position becomes overdue), `paused`, `awaiting` (the referral
waiting for the stage owner's answer) and `active` (the position is work: the journey is open
and the stage is not an outcome), with partial indexes for worklists; `stage_owners` lists the
agencies owning each stage of each stored version. The upgrade fills both for the journeys and
versions already stored, working each position's state out from its journey's stored state as
the runtime does (`pathways.store.deadlines.backfill_positions`).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context, op

from pathways.store.deadlines import backfill_positions
from pathways.store.tables import build_tables
from pathways.store.versions import Versions, stage_owner_rows

revision = "0003"
down_revision: str | None = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    p: str = context.config.attributes["prefix"]
    tables = build_tables(p)
    op.add_column(f"{p}positions", sa.Column("due", tables.positions.c.due.type, nullable=True))
    op.add_column(
        f"{p}positions",
        sa.Column("paused", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column(f"{p}positions", sa.Column("awaiting", sa.String(100), nullable=True))
    op.add_column(
        f"{p}positions",
        sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true()),
    )
    for name, columns, where in (
        ("work", ["stage", "due"], "active"),
        ("awaiting", ["stage"], "awaiting IS NOT NULL"),
    ):
        condition = sa.text(where)
        op.create_index(
            f"ix_{p}positions_{name}",
            f"{p}positions",
            columns,
            postgresql_where=condition,
            sqlite_where=condition,
        )
    op.create_table(
        f"{p}stage_owners",
        sa.Column("agency", sa.String(100), nullable=False),
        sa.Column(
            "fingerprint",
            sa.String(64),
            sa.ForeignKey(f"{p}pathway_versions.fingerprint"),
            nullable=False,
        ),
        sa.Column("stage", sa.String(100), nullable=False),
        sa.PrimaryKeyConstraint("agency", "fingerprint", "stage", name=f"pk_{p}stage_owners"),
    )
    conn = op.get_bind()
    versions = Versions(conn.engine, tables)
    for row in versions.all(conn):
        owners = stage_owner_rows(versions.compiled(row.fingerprint, conn))
        if owners:
            conn.execute(sa.insert(tables.owners), owners)
    backfill_positions(conn, tables)


def downgrade() -> None:
    p: str = context.config.attributes["prefix"]
    op.drop_table(f"{p}stage_owners")
    op.drop_index(f"ix_{p}positions_awaiting", table_name=f"{p}positions")
    op.drop_index(f"ix_{p}positions_work", table_name=f"{p}positions")
    with op.batch_alter_table(f"{p}positions") as batch:
        for name in ("active", "awaiting", "paused", "due"):
            batch.drop_column(name)
