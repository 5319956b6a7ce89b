"""The first schema: pathway versions, journeys, positions, events, roll-outs, requests.

Revision ID: 0001
Revises:
Create Date: 2026-11-01

Table names start with the prefix given to `upgrade` (`pathways_` by default). The columns are
written out here, not read from `tables.py`, so this revision creates the same schema for ever;
a test checks that it matches the tables the store uses.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context, op

revision = "0001"
down_revision: str | None = None
branch_labels = None
depends_on = None

_TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    p: str = context.config.attributes["prefix"]
    op.create_table(
        f"{p}pathway_versions",
        sa.Column("fingerprint", sa.String(64), primary_key=True),
        sa.Column("pathway_id", sa.String(200), nullable=False),
        sa.Column("version", sa.String(64), nullable=False),
        sa.Column("area", sa.String(200), nullable=False),
        sa.Column("definition", sa.JSON(), nullable=False),
        sa.UniqueConstraint("pathway_id", "version", name=f"uq_{p}pathway_versions_id_version"),
    )
    fingerprint_fk = f"{p}pathway_versions.fingerprint"
    op.create_table(
        f"{p}journeys",
        sa.Column("case_ref", sa.String(128), primary_key=True),
        sa.Column("fingerprint", sa.String(64), sa.ForeignKey(fingerprint_fk), nullable=False),
        sa.Column("profile", sa.JSON(), nullable=False),
        sa.Column("event_count", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("head_hash", sa.String(64), nullable=False),
        sa.Column("opened_at", _TS, nullable=False),
        sa.Column("last_event_at", _TS, nullable=False),
        sa.Column("closed", sa.Boolean(), nullable=False),
        sa.Column("closed_at", _TS, nullable=True),
        sa.Column("overdue_from", _TS, nullable=True),
        sa.Column("timeout_at", _TS, nullable=True),
    )
    for column in ("fingerprint", "opened_at", "closed_at", "overdue_from", "timeout_at"):
        op.create_index(f"ix_{p}journeys_{column}", f"{p}journeys", [column])
    case_fk = f"{p}journeys.case_ref"
    op.create_table(
        f"{p}positions",
        sa.Column("case_ref", sa.String(128), sa.ForeignKey(case_fk), nullable=False),
        sa.Column("track", sa.String(100), nullable=False),
        sa.Column("stage", sa.String(100), nullable=False),
        sa.Column("since", _TS, nullable=False),
        sa.PrimaryKeyConstraint("case_ref", "track", name=f"pk_{p}positions"),
    )
    op.create_index(f"ix_{p}positions_stage", f"{p}positions", ["stage"])
    op.create_table(
        f"{p}events",
        sa.Column("case_ref", sa.String(128), sa.ForeignKey(case_fk), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("at", _TS, nullable=False),
        sa.Column("agency", sa.String(100), nullable=True),
        sa.Column("handoff", sa.String(100), nullable=True),
        sa.Column("from_stage", sa.String(100), nullable=True),
        sa.Column("to_stage", sa.String(100), nullable=True),
        sa.Column("shares", sa.JSON(), nullable=False),
        sa.Column("started", sa.JSON(), nullable=False),
        sa.Column("profile", sa.JSON(), nullable=True),
        sa.Column("change", sa.JSON(), nullable=True),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("case_ref", "seq", name=f"pk_{p}events"),
    )
    op.create_table(
        f"{p}rollouts",
        sa.Column("case_ref", sa.String(128), sa.ForeignKey(case_fk), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("at", _TS, nullable=False),
        sa.Column("from_fingerprint", sa.String(64), sa.ForeignKey(fingerprint_fk), nullable=False),
        sa.Column("to_fingerprint", sa.String(64), sa.ForeignKey(fingerprint_fk), nullable=False),
        sa.Column("moves", sa.JSON(), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("case_ref", "number", name=f"pk_{p}rollouts"),
    )
    op.create_table(
        f"{p}requests",
        sa.Column("key", sa.String(128), primary_key=True),
        sa.Column("request_hash", sa.String(64), nullable=False),
        sa.Column("case_ref", sa.String(128), sa.ForeignKey(case_fk), nullable=False),
        sa.Column("first_seq", sa.Integer(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    p: str = context.config.attributes["prefix"]
    for name in ("requests", "rollouts", "events", "positions", "journeys", "pathway_versions"):
        op.drop_table(f"{p}{name}")
