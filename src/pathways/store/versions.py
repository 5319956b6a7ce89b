"""Pathway versions in the store: registered once, compiled once, found by fingerprint.

Each journey records the fingerprint of the pathway version it runs on. Registering a version
stores its id, version label, area and definition, and which agencies own each of its stages
(`stage_owners`, for worklists); a version label can name one definition only. A journey on a
version this application did not pass in is compiled from the stored definition (and refused
with `CorruptRecord` if that no longer gives the same fingerprint).
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, insert, select

from pathways.definition.schema import Pathway
from pathways.errors import CorruptRecord, StoreError
from pathways.runtime.compiler import CompiledPathway, compile_pathway
from pathways.store.tables import NAME, PATHWAY_ID, VERSION, Tables

__all__ = ["VersionRow", "Versions", "check_names", "stage_owner_rows"]


@dataclass(frozen=True, slots=True)
class VersionRow:
    """What the store keeps about a pathway version besides its definition."""

    fingerprint: str
    pathway_id: str
    version: str
    area: str


def check_names(compiled: CompiledPathway) -> None:
    """Refuse a pathway whose names or values are longer than the store's columns."""
    pathway = compiled.pathway
    names: list[str] = [*pathway.stages, *pathway.handoffs, *compiled.tracks]
    names += [*pathway.agencies, *pathway.information, *pathway.profile]
    for attribute in pathway.profile.values():
        names += [str(v) for v in attribute.domain]
    long = sorted(n for n in names if len(n) > NAME)
    if long or len(pathway.id) > PATHWAY_ID or len(pathway.area) > PATHWAY_ID:
        raise StoreError(
            f"pathway {pathway.id}: names longer than {NAME} characters cannot be stored: "
            f"{', '.join(long) or pathway.id}"
        )
    if len(pathway.version) > VERSION:
        raise StoreError(f"pathway {pathway.id}: version label longer than {VERSION} characters")


def stage_owner_rows(compiled: CompiledPathway) -> list[dict[str, str]]:
    """The `stage_owners` rows of a version: one per stage and agency that owns it."""
    return [
        {"agency": agency, "fingerprint": compiled.fingerprint, "stage": name}
        for name, rule in compiled.stages.items()
        for agency in rule.owners
    ]


class Versions:
    """The store's pathway versions: registration, rows and compiled machines, cached."""

    def __init__(self, engine: Engine, tables: Tables) -> None:
        self._engine = engine
        self._tables = tables
        self._compiled: dict[str, CompiledPathway] = {}
        self._rows: dict[str, VersionRow] = {}
        self._current: dict[str, CompiledPathway] = {}
        self._lock = threading.Lock()

    def register(self, conn: Connection, pathway: Pathway | CompiledPathway) -> CompiledPathway:
        """Record `pathway` unless it is recorded; it becomes the current version of its id."""
        compiled = pathway if isinstance(pathway, CompiledPathway) else compile_pathway(pathway)
        key = compiled.fingerprint
        if key not in self._rows:
            check_names(compiled)
            if self._fetch(conn, key) is None:
                self._insert(conn, compiled)
        return compiled

    def known(self, compiled: CompiledPathway) -> bool:
        """True once `compiled` is known to be stored."""
        return compiled.fingerprint in self._rows

    def stored(self, conn: Connection, compiled: CompiledPathway) -> bool:
        """True if `compiled` is stored (looked up, for a store that cannot register it)."""
        return self.known(compiled) or self._fetch(conn, compiled.fingerprint) is not None

    def remember(self, compiled: CompiledPathway) -> None:
        """Note a stored version (after its transaction committed) as current for its id."""
        pathway = compiled.pathway
        self._rows[compiled.fingerprint] = VersionRow(
            compiled.fingerprint, pathway.id, pathway.version, pathway.area
        )
        self._compiled[compiled.fingerprint] = compiled
        self._current[pathway.id] = compiled

    def choose(self, pathway: str | Pathway | CompiledPathway | None) -> CompiledPathway:
        """The compiled version `create` should use for `pathway` (see `JourneyStore.create`)."""
        if isinstance(pathway, CompiledPathway):
            return pathway
        if isinstance(pathway, Pathway):
            return compile_pathway(pathway)
        if pathway is None:
            if len(self._current) != 1:
                known = ", ".join(sorted(self._current)) or "none"
                raise StoreError(
                    f"name the pathway to open the journey on; registered here: {known}"
                )
            return next(iter(self._current.values()))
        found = self._current.get(pathway)
        if found is None:
            known = ", ".join(sorted(self._current)) or "none"
            raise StoreError(
                f"pathway {pathway!r} is not registered with this store; registered: {known}"
            )
        return found

    def row(self, fingerprint: str, conn: Connection | None = None) -> VersionRow:
        """The stored row of a version (`CorruptRecord` if there is none)."""
        row = self._rows.get(fingerprint)
        if row is None:
            if conn is None:
                with self._engine.connect() as own:
                    self._fetch(own, fingerprint)
            else:
                self._fetch(conn, fingerprint)
            row = self._rows.get(fingerprint)
            if row is None:
                raise CorruptRecord(f"no pathway version with fingerprint {fingerprint} is stored")
        return row

    def compiled(self, fingerprint: str, conn: Connection | None = None) -> CompiledPathway:
        """The compiled version with this fingerprint, from memory or its stored definition."""
        compiled = self._compiled.get(fingerprint)
        if compiled is not None:
            return compiled
        with self._lock:
            if conn is None:
                with self._engine.connect() as own:
                    definition = self._definition(own, fingerprint)
            else:
                definition = self._definition(conn, fingerprint)
            try:
                pathway = Pathway.model_validate_json(json.dumps(definition))
            except ValueError as exc:
                raise CorruptRecord(
                    f"the stored definition of pathway version {fingerprint} cannot be read: {exc}"
                ) from None
            compiled = compile_pathway(pathway)
            if compiled.fingerprint != fingerprint:
                raise CorruptRecord(
                    f"the stored definition of pathway version {fingerprint} no longer gives "
                    f"that fingerprint (it gives {compiled.fingerprint})"
                )
            self._compiled[fingerprint] = compiled
            return compiled

    def all(self, conn: Connection) -> list[VersionRow]:
        """Every stored version, by pathway id and version."""
        v = self._tables.pathways
        query = select(v.c.fingerprint, v.c.pathway_id, v.c.version, v.c.area)
        rows = [VersionRow(*r) for r in conn.execute(query.order_by(v.c.pathway_id, v.c.version))]
        for row in rows:
            self._rows[row.fingerprint] = row
        return rows

    def _definition(self, conn: Connection, fingerprint: str) -> Any:
        v = self._tables.pathways
        found = conn.execute(select(v.c.definition).where(v.c.fingerprint == fingerprint)).first()
        if found is None:
            raise CorruptRecord(f"no pathway version with fingerprint {fingerprint} is stored")
        return found.definition

    def _fetch(self, conn: Connection, fingerprint: str) -> VersionRow | None:
        v = self._tables.pathways
        query = select(v.c.fingerprint, v.c.pathway_id, v.c.version, v.c.area)
        found = conn.execute(query.where(v.c.fingerprint == fingerprint)).first()
        if found is None:
            return None
        row = VersionRow(*found)
        self._rows[fingerprint] = row
        return row

    def _insert(self, conn: Connection, compiled: CompiledPathway) -> None:
        pathway = compiled.pathway
        v = self._tables.pathways
        query = select(v.c.fingerprint).where(
            v.c.pathway_id == pathway.id, v.c.version == pathway.version
        )
        other = conn.execute(query).first()
        if other is not None:
            raise StoreError(
                f"pathway {pathway.id} version {pathway.version} is already stored with a "
                f"different definition (fingerprint {other.fingerprint[:12]}...); give the "
                "changed definition a new version"
            )
        conn.execute(
            insert(v).values(
                fingerprint=compiled.fingerprint,
                pathway_id=pathway.id,
                version=pathway.version,
                area=pathway.area,
                definition=pathway.model_dump(mode="json", by_alias=True),
            )
        )
        owners = stage_owner_rows(compiled)
        if owners:
            conn.execute(insert(self._tables.owners), owners)
