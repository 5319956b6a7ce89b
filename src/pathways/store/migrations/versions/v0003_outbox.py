"""The transactional outbox: one row per event written, consumer groups and their progress.

Revision ID: 0003_outbox
Revises: 0003 (worklists; the lead squashes the 0003 revisions into one)
Create Date: 2026-12-03

`outbox` holds one row per event a change writes, in the change's own transaction: an
increasing `id`, the case reference and event number (unique together) and the fingerprint of
the pathway version the journey was on after the change. What the event says is read from the
`events` table when a consumer claims the row, so nothing about a person is stored twice.
`outbox_groups` names the consumer groups (purging keeps what any of them has not
acknowledged); `outbox_cursors` holds each group's progress per journey: the last event
acknowledged and the lease of the events handed out and not yet acknowledged.

Events written before this revision are not put in the outbox (other systems are told what
happens from the upgrade on, not the whole history again), so the upgrade changes no existing
row.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context, op

revision = "0003_outbox"
down_revision: str | None = "0003"
branch_labels = None
depends_on = None

_TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    p: str = context.config.attributes["prefix"]
    op.create_table(
        f"{p}outbox",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True),
        sa.Column("case_ref", sa.String(128), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.UniqueConstraint("case_ref", "seq", name=f"uq_{p}outbox_case_ref_seq"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        f"{p}outbox_groups",
        sa.Column("consumer", sa.String(64), primary_key=True),
        sa.Column("since", _TS, nullable=False),
    )
    op.create_table(
        f"{p}outbox_cursors",
        sa.Column("consumer", sa.String(64), nullable=False),
        sa.Column("case_ref", sa.String(128), nullable=False),
        sa.Column("acked", sa.Integer(), nullable=False),
        sa.Column("leased_to", sa.Integer(), nullable=True),
        sa.Column("lease", sa.String(32), nullable=True),
        sa.Column("lease_until", _TS, nullable=True),
        sa.Column("not_before", _TS, nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("consumer", "case_ref", name=f"pk_{p}outbox_cursors"),
    )


def downgrade() -> None:
    p: str = context.config.attributes["prefix"]
    op.drop_table(f"{p}outbox_cursors")
    op.drop_table(f"{p}outbox_groups")
    op.drop_table(f"{p}outbox")
