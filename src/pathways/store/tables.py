"""The store's tables, built once per table-name prefix on a `MetaData` of their own.

SQLModel table classes are global (one class, one table name), so a case system that hosts the
tables under its own prefix gets SQLAlchemy Core `Table`s instead: `build_tables("cs_")` returns
a `Tables` whose tables are `cs_pathway_versions`, `cs_journeys`, `cs_positions`, `cs_events`,
`cs_rollouts`, `cs_requests` and `cs_stage_owners`. The same prefix always gives the same object.

What is stored is deliberately small (data minimisation): opaque case references, coarse profile
values, stage, track, handoff and agency names, information item names, times and hashes. There
is no column for a name, a note or any other free text; every text column is a bounded
`VARCHAR`. `pathway_versions.definition` holds the published pathway definition itself (what
the partnership agreed, not anything about a person), so a database can be checked on its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    TypeDecorator,
    UniqueConstraint,
    false,
    text,
    true,
)

from pathways.errors import InvalidRequest

__all__ = [
    "CASE_REF",
    "HASH",
    "KEY",
    "NAME",
    "PREFIX",
    "Tables",
    "UTCDateTime",
    "build_tables",
    "check_prefix",
]

#: Longest case reference (the runtime's own limit).
CASE_REF = 128
#: Longest stage, track, handoff, agency, attribute, value or item name the store keeps.
NAME = 100
#: A SHA-256 in hex.
HASH = 64
#: Longest idempotency key.
KEY = 128
#: Longest pathway id or area.
PATHWAY_ID = 200
#: Longest pathway version label.
VERSION = 64
#: The default table-name prefix.
PREFIX = "pathways_"

_PREFIX = re.compile(r"[a-z][a-z0-9_]{0,23}")


class UTCDateTime(TypeDecorator[datetime]):
    """A time with a time zone, stored in UTC on every database and read back in UTC.

    SQLite has no time zone type: there the UTC time is stored without its zone and given
    back its zone on reading, so times compare correctly as text.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"{value!r} has no time zone")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


@dataclass(frozen=True, slots=True, eq=False)
class Tables:
    """The store's tables for one prefix, and the `MetaData` they belong to."""

    prefix: str
    metadata: MetaData
    pathways: Table
    journeys: Table
    positions: Table
    events: Table
    rollouts: Table
    requests: Table
    owners: Table
    outbox: Table
    outbox_groups: Table
    outbox_cursors: Table

    @property
    def version_table(self) -> str:
        """The table in which Alembic records the schema revision for this prefix."""
        return f"{self.prefix}alembic_version"

    @property
    def all(self) -> tuple[Table, ...]:
        """Every table, parents before children."""
        return (
            self.pathways,
            self.journeys,
            self.positions,
            self.events,
            self.rollouts,
            self.requests,
            self.owners,
            self.outbox,
            self.outbox_groups,
            self.outbox_cursors,
        )


def check_prefix(prefix: str) -> str:
    """Refuse a prefix that is not lower-case letters, digits and `_` (at most 24)."""
    if not isinstance(prefix, str) or not _PREFIX.fullmatch(prefix):
        raise InvalidRequest(
            f"table-name prefix {prefix!r} is not allowed: expected a lower-case letter, then "
            "at most 23 lower-case letters, digits or '_' (for example 'pathways_')",
            operation="open the store",
        )
    return prefix


_BUILT: dict[str, Tables] = {}


def build_tables(prefix: str = PREFIX) -> Tables:
    """The tables for `prefix` (built once, then shared)."""
    tables = _BUILT.get(prefix)
    if tables is None:
        tables = _build(check_prefix(prefix))
        _BUILT[prefix] = tables
    return tables


def _build(p: str) -> Tables:
    metadata = MetaData()
    pathways = Table(
        f"{p}pathway_versions",
        metadata,
        Column("fingerprint", String(HASH), primary_key=True),
        Column("pathway_id", String(PATHWAY_ID), nullable=False),
        Column("version", String(VERSION), nullable=False),
        Column("area", String(PATHWAY_ID), nullable=False),
        Column("definition", JSON, nullable=False),
        UniqueConstraint("pathway_id", "version", name=f"uq_{p}pathway_versions_id_version"),
    )
    fingerprint_fk = f"{p}pathway_versions.fingerprint"
    journeys = Table(
        f"{p}journeys",
        metadata,
        Column("case_ref", String(CASE_REF), primary_key=True),
        Column("fingerprint", String(HASH), ForeignKey(fingerprint_fk), nullable=False),
        Column("profile", JSON, nullable=False),
        Column("event_count", Integer, nullable=False),
        Column("revision", Integer, nullable=False),
        Column("head_hash", String(HASH), nullable=False),
        Column("opened_at", UTCDateTime, nullable=False),
        Column("last_event_at", UTCDateTime, nullable=False),
        Column("closed", Boolean, nullable=False),
        Column("closed_at", UTCDateTime, nullable=True),
        Column("overdue_from", UTCDateTime, nullable=True),
        Column("timeout_at", UTCDateTime, nullable=True),
        Column("lifecycle", JSON, nullable=True),
        Index(f"ix_{p}journeys_fingerprint", "fingerprint"),
        Index(f"ix_{p}journeys_opened_at", "opened_at"),
        Index(f"ix_{p}journeys_closed_at", "closed_at"),
        Index(f"ix_{p}journeys_overdue_from", "overdue_from"),
        Index(f"ix_{p}journeys_timeout_at", "timeout_at"),
    )
    case_fk = f"{p}journeys.case_ref"
    positions = Table(
        f"{p}positions",
        metadata,
        Column("case_ref", String(CASE_REF), ForeignKey(case_fk), nullable=False),
        Column("track", String(NAME), nullable=False),
        Column("stage", String(NAME), nullable=False),
        Column("since", UTCDateTime, nullable=False),
        *_work_columns(p),
        PrimaryKeyConstraint("case_ref", "track", name=f"pk_{p}positions"),
        Index(f"ix_{p}positions_stage", "stage"),
    )
    events = Table(
        f"{p}events",
        metadata,
        Column("case_ref", String(CASE_REF), ForeignKey(case_fk), nullable=False),
        Column("seq", Integer, nullable=False),
        Column("kind", String(16), nullable=False),
        Column("at", UTCDateTime, nullable=False),
        Column("agency", String(NAME), nullable=True),
        Column("handoff", String(NAME), nullable=True),
        Column("from_stage", String(NAME), nullable=True),
        Column("to_stage", String(NAME), nullable=True),
        Column("shares", JSON, nullable=False),
        Column("started", JSON, nullable=False),
        Column("profile", JSON, nullable=True),
        Column("change", JSON, nullable=True),
        Column("hash", String(HASH), nullable=False),
        Column("extra", JSON, nullable=True),
        PrimaryKeyConstraint("case_ref", "seq", name=f"pk_{p}events"),
    )
    rollouts = Table(
        f"{p}rollouts",
        metadata,
        Column("case_ref", String(CASE_REF), ForeignKey(case_fk), nullable=False),
        Column("number", Integer, nullable=False),
        Column("seq", Integer, nullable=False),
        Column("at", UTCDateTime, nullable=False),
        Column("from_fingerprint", String(HASH), ForeignKey(fingerprint_fk), nullable=False),
        Column("to_fingerprint", String(HASH), ForeignKey(fingerprint_fk), nullable=False),
        Column("moves", JSON, nullable=False),
        Column("hash", String(HASH), nullable=False),
        PrimaryKeyConstraint("case_ref", "number", name=f"pk_{p}rollouts"),
    )
    requests = Table(
        f"{p}requests",
        metadata,
        Column("key", String(KEY), primary_key=True),
        Column("request_hash", String(HASH), nullable=False),
        Column("case_ref", String(CASE_REF), ForeignKey(case_fk), nullable=False),
        Column("first_seq", Integer, nullable=False),
        Column("count", Integer, nullable=False),
        Column("revision", Integer, nullable=False),
    )
    owners = _owners(p, metadata, fingerprint_fk)
    return Tables(
        p,
        metadata,
        pathways,
        journeys,
        positions,
        events,
        rollouts,
        requests,
        owners,
        *_outbox(p, metadata),
    )


# The transactional outbox (revision 0003, `pathways.store.outbox`): one row per event
# written, in the change's own transaction; consumer groups; each group's progress per journey.
#: Longest consumer group name.
GROUP = 64


def _outbox(p: str, metadata: MetaData) -> tuple[Table, Table, Table]:
    outbox = Table(
        f"{p}outbox",
        metadata,
        Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
        Column("case_ref", String(CASE_REF), nullable=False),
        Column("seq", Integer, nullable=False),
        Column("fingerprint", String(HASH), nullable=False),
        UniqueConstraint("case_ref", "seq", name=f"uq_{p}outbox_case_ref_seq"),
        sqlite_autoincrement=True,
    )
    groups = Table(
        f"{p}outbox_groups",
        metadata,
        Column("consumer", String(GROUP), primary_key=True),
        Column("since", UTCDateTime, nullable=False),
    )
    cursors = Table(
        f"{p}outbox_cursors",
        metadata,
        Column("consumer", String(GROUP), nullable=False),
        Column("case_ref", String(CASE_REF), nullable=False),
        Column("acked", Integer, nullable=False),
        Column("leased_to", Integer, nullable=True),
        Column("lease", String(32), nullable=True),
        Column("lease_until", UTCDateTime, nullable=True),
        Column("not_before", UTCDateTime, nullable=True),
        Column("attempts", Integer, nullable=False),
        PrimaryKeyConstraint("consumer", "case_ref", name=f"pk_{p}outbox_cursors"),
    )
    return outbox, groups, cursors


# Worklists (revision 0003, `pathways.store.worklists`): each position carries its own work state,
# as the runtime works it out for that track (`pathways.store.rows.position_rows`).


def _work_columns(p: str) -> tuple[Column[Any] | Index, ...]:
    """`due`: when the position becomes overdue (its earliest limit that is not a timeout; null
    when none runs, its clock is paused, or it is not work); `paused`: its clock is paused;
    `awaiting`: the handoff whose referral waits for the stage owner's answer; `active`: the
    position is work (the journey is open and the stage is not an outcome)."""
    return (
        Column("due", UTCDateTime, nullable=True),
        Column("paused", Boolean, nullable=False, server_default=false()),
        Column("awaiting", String(NAME), nullable=True),
        Column("active", Boolean, nullable=False, server_default=true()),
        Index(f"ix_{p}positions_work", "stage", "due", **_where("active")),
        Index(f"ix_{p}positions_awaiting", "stage", **_where("awaiting IS NOT NULL")),
    )


def _owners(p: str, metadata: MetaData, fingerprint_fk: str) -> Table:
    """`stage_owners`: the agencies that own each stage of each stored version (a stage owned by
    a role has one row per agency filling it), written when the version is registered."""
    return Table(
        f"{p}stage_owners",
        metadata,
        Column("agency", String(NAME), nullable=False),
        Column("fingerprint", String(HASH), ForeignKey(fingerprint_fk), nullable=False),
        Column("stage", String(NAME), nullable=False),
        PrimaryKeyConstraint("agency", "fingerprint", "stage", name=f"pk_{p}stage_owners"),
    )


def _where(condition: str) -> dict[str, Any]:
    """A partial index's condition, on both databases."""
    return {"postgresql_where": text(condition), "sqlite_where": text(condition)}
