"""Worklists on PostgreSQL: the query written as a case system would write it by hand.

`JourneyStore.worklist` on PostgreSQL with psycopg runs here, on the driver's own path
(`pathways.store.postgres.PostgresPath.fetch`), with statements prepared on the server. Two
round trips the first time an agency asks, one after that:

1. **Which stages**: from `stage_owners`, the stages `agency` owns on any stored version and,
   for each, whether it owns that stage on *every* version that has it (the usual case: a
   stage's owner changes only in a new version that reassigns it).
2. **The positions**: `p.stage = ANY($1)` with those stages as a parameter, so the statement
   is the one a person would write for a known list of stages, and PostgreSQL plans it as it
   plans that one (a per-row check of the version against `stage_owners` makes the planner
   expect too few rows and sort them all instead of reading in order). Only for a stage the
   agency owns on some versions but not others is the journey's version checked, as
   `fingerprint stage` pairs.

What the first query found is kept (per store, per agency) with the number of stored pathway
versions it was found at: versions are only ever added, each with its stage owners in the same
transaction, so while that number is unchanged so are the owners. The positions query carries
the number as a condition checked once (`(SELECT count(*) FROM pathway_versions) = $n`): when
another process has registered a version since, it returns no rows, and an empty answer is
always asked again from the first query. So a kept answer is never used once it is out of
date, and the usual request is one round trip, as the hand-written query is.

The rows are those of `pathways.store.worklists.worklist_query`, in the same order.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from functools import lru_cache
from typing import Any

__all__ = ["COLUMNS", "Owned", "fetch_worklist", "owners_statement", "positions_statement"]

#: The positions columns a worklist row starts with (then the pathway id and version).
COLUMNS = ("case_ref", "track", "stage", "since", "due", "paused", "awaiting")

Fetch = Callable[[str, Sequence[Any]], list[tuple[Any, ...]]]

#: What the first query found for each agency: the number of stored versions it was found at,
#: and its rows (stage, owned on every version, the versions on which it is owned).
Owned = dict[str, tuple[int, list[tuple[Any, ...]]]]


@lru_cache(maxsize=64)
def owners_statement(prefix: str) -> str:
    """Each stage `$1` owns on some version, whether on every version having it, and the
    versions on which it does."""
    p = prefix
    return (
        "SELECT o.stage::text, count(DISTINCT o.fingerprint) FILTER (WHERE o.agency = $1) = "
        "count(DISTINCT o.fingerprint), array_agg(DISTINCT o.fingerprint::text) FILTER (WHERE "
        f"o.agency = $1), (SELECT count(*) FROM {p}pathway_versions) FROM {p}stage_owners o "
        f"WHERE o.stage IN (SELECT m.stage FROM {p}stage_owners m WHERE m.agency = $1) "
        "GROUP BY o.stage ORDER BY o.stage"
    )


@lru_cache(maxsize=256)
def positions_statement(
    prefix: str, overdue: bool, awaiting: bool, mixed: bool, after: bool
) -> str:
    """The positions query. Parameters, in order: the stages; if `mixed`, the stages owned on
    every version and the `fingerprint stage` pairs of the others; `at` if `overdue`; the case
    reference and track of the cursor if `after`; the number of stored versions the stages were
    found at (no rows if it has changed since); the number of rows."""
    p = prefix
    where = ["p.active", "p.stage = ANY($1)"]
    number = 1
    if mixed:
        where.append("(p.stage = ANY($2) OR j.fingerprint || ' ' || p.stage = ANY($3))")
        number = 3
    if overdue:
        number += 1
        where.append(f"p.due <= ${number}")
    if awaiting:
        where.append("p.awaiting IS NOT NULL")
    if after:
        where.append(f"(p.case_ref, p.track) > (${number + 1}, ${number + 2})")
        number += 2
    number += 1
    where.append(f"(SELECT count(*) FROM {p}pathway_versions) = ${number}")
    columns = ", ".join(f"p.{name}" for name in COLUMNS)
    return (
        f"SELECT {columns}, v.pathway_id, v.version FROM {p}positions p "
        f"JOIN {p}journeys j ON j.case_ref = p.case_ref "
        f"JOIN {p}pathway_versions v ON v.fingerprint = j.fingerprint "
        f"WHERE {' AND '.join(where)} ORDER BY p.case_ref, p.track LIMIT ${number + 1}"
    )


def fetch_worklist(
    fetch: Fetch,
    prefix: str,
    agency: str,
    *,
    at: datetime,
    overdue: bool,
    awaiting: bool,
    stage: str | None,
    rows: int,
    after: tuple[str, str] | None,
    owned: Owned,
) -> list[tuple[Any, ...]]:
    """At most `rows` rows of `agency`'s worklist (see the module docstring); `owned` keeps what
    the first query found, between calls."""
    kept = owned.get(agency)
    if kept is not None:
        found = _positions(fetch, prefix, kept, at, overdue, awaiting, stage, rows, after)
        if found:
            return found
    found_owners = fetch(owners_statement(prefix), [agency])
    if not found_owners:
        owned.pop(agency, None)
        return []
    fresh = (int(found_owners[0][3]), [tuple(r[:3]) for r in found_owners])
    if kept is not None and fresh == kept:
        return []  # the kept answer was up to date: there is no such work
    owned[agency] = fresh
    return _positions(fetch, prefix, fresh, at, overdue, awaiting, stage, rows, after)


def _positions(
    fetch: Fetch,
    prefix: str,
    kept: tuple[int, list[tuple[Any, ...]]],
    at: datetime,
    overdue: bool,
    awaiting: bool,
    stage: str | None,
    rows: int,
    after: tuple[str, str] | None,
) -> list[tuple[Any, ...]]:
    """The positions query for the stages in `kept` (none if the versions changed since)."""
    versions, owners = kept
    stages: list[str] = []
    everywhere: list[str] = []
    pairs: list[str] = []
    for name, uniform, fingerprints in owners:
        if stage is not None and name != stage:
            continue
        stages.append(name)
        if uniform:
            everywhere.append(name)
        else:
            pairs += [f"{fingerprint} {name}" for fingerprint in fingerprints]
    if not stages:
        return []
    mixed = bool(pairs)
    params: list[Any] = [stages, everywhere, pairs] if mixed else [stages]
    params += [at] if overdue else []
    params += [*after] if after is not None else []
    statement = positions_statement(prefix, overdue, awaiting, mixed, after is not None)
    return fetch(statement, [*params, versions, rows])
