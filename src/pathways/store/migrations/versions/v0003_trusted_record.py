"""Issue 16, a record that can be trusted, told to other systems and queried at scale: who
recorded each entry and when, the audit keys of the chain, the transactional outbox, and the
worklists' state of each position.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03

**Who and when, keyed audit.** `events.recorded_at` and `rollouts.recorded_at` hold the time the
database recorded the row, from its own clock; rows written before this revision keep null there
(the time they were recorded is not known, and is not made up). `journeys.audit_key` names the
audit key that made the journey's last link (null: unkeyed, as every chain written before this
revision is), and `key_changes` holds each "from here on key <id>" entry of a chain. No existing
row changes, so every journey still verifies; an unkeyed journey takes a key change entry on its
first change by a store given an audit key, or at once with `pathways db rekey`.

The downgrade drops the recorded times and the key changes: the events and roll-outs written
under this revision then no longer verify (their links covered what was dropped), and `pathways
db verify` names them. Undo it only on a database that must go back, knowing that.

**The outbox.** `outbox` holds one row per event a change writes, in the change's own
transaction: an increasing `id`, the case reference and event number (unique together) and the
fingerprint of the pathway version the journey was on after the change. What the event says is
read from the `events` table when a consumer claims the row, so nothing about a person is stored
twice. `outbox_groups` names the consumer groups (purging keeps what any of them has not
acknowledged); `outbox_cursors` holds each group's progress per journey: the last event
acknowledged and the lease of the events handed out and not yet acknowledged.

Events written before this revision are not put in the outbox (other systems are told what
happens from the upgrade on, not the whole history again), so the upgrade changes no existing
row.

**Worklists.** `positions` gains `due` (when the position becomes overdue), `paused`, `awaiting`
(the referral waiting for the stage owner's answer) and `active` (the position is work: the
journey is open and the stage is not an outcome), with partial indexes for worklists;
`stage_owners` lists the agencies owning each stage of each stored version. The upgrade fills
both for the journeys and versions already stored, working each position's state out from its
journey's stored state as the runtime does (`pathways.store.deadlines.backfill_positions`).

**Webhooks** (issue 17): `webhook_subscriptions`, `webhook_deliveries` and `webhook_attempts` (see
`pathways.store.webhook_tables`); no existing row changes, and events recorded before the
upgrade are sent to no one (only those the outbox carries after it are).
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

_TS = sa.DateTime(timezone=True)
_CASE_REF, _NAME = 128, 100


def upgrade() -> None:
    p: str = context.config.attributes["prefix"]
    _trusted_record_upgrade(p)
    _outbox_upgrade(p)
    _worklists_upgrade(p)
    _webhooks_upgrade(p)


def downgrade() -> None:
    p: str = context.config.attributes["prefix"]
    _webhooks_downgrade(p)
    _worklists_downgrade(p)
    _outbox_downgrade(p)
    _trusted_record_downgrade(p)


def _trusted_record_upgrade(p: str) -> None:
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


def _trusted_record_downgrade(p: str) -> None:
    op.drop_table(f"{p}key_changes")
    # ALTER TABLE ... DROP COLUMN (SQLite 3.35 and later), not a copy of each table: a copy of
    # the journeys table cannot replace it while the other tables refer to it.
    op.drop_column(f"{p}rollouts", "recorded_at")
    op.drop_column(f"{p}events", "recorded_at")
    op.drop_column(f"{p}journeys", "audit_key")


def _outbox_upgrade(p: str) -> None:
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


def _outbox_downgrade(p: str) -> None:
    op.drop_table(f"{p}outbox_cursors")
    op.drop_table(f"{p}outbox_groups")
    op.drop_table(f"{p}outbox")


def _worklists_upgrade(p: str) -> None:
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


def _worklists_downgrade(p: str) -> None:
    op.drop_table(f"{p}stage_owners")
    op.drop_index(f"ix_{p}positions_awaiting", table_name=f"{p}positions")
    op.drop_index(f"ix_{p}positions_work", table_name=f"{p}positions")
    with op.batch_alter_table(f"{p}positions") as batch:
        for name in ("active", "awaiting", "paused", "due"):
            batch.drop_column(name)


def _webhooks_upgrade(p: str) -> None:
    op.create_table(
        f"{p}webhook_subscriptions",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("agency", sa.String(_NAME), nullable=False),
        sa.Column("url", sa.String(2000), nullable=False),
        sa.Column("events", sa.JSON(), nullable=False),
        sa.Column("secret", sa.String(100), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
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
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("updated_at", _TS, nullable=False),
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
        sa.Column("at", _TS, nullable=False),
        sa.Column("status", sa.Integer(), nullable=True),
        sa.Column("error", sa.String(_NAME), nullable=True),
        sa.Column("ms", sa.Integer(), nullable=False),
    )


def _webhooks_downgrade(p: str) -> None:
    op.drop_table(f"{p}webhook_attempts")
    op.drop_index(f"ix_{p}webhook_deliveries_case_ref", f"{p}webhook_deliveries")
    op.drop_index(f"ix_{p}webhook_deliveries_state", f"{p}webhook_deliveries")
    op.drop_table(f"{p}webhook_deliveries")
    op.drop_index(f"ix_{p}webhook_subscriptions_agency", f"{p}webhook_subscriptions")
    op.drop_table(f"{p}webhook_subscriptions")
