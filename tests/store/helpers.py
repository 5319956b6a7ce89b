"""Helpers for the journey store tests: the test pathway, profiles, databases and worker processes.

Imported as `store.helpers` (`tests/` is on the path, and `tests/store` has no `__init__.py`);
the fixtures built on them (`database`, `compiled`, `store`) are in `tests/store/conftest.py`.
The worker processes are here, not in a test module, because multiprocessing's spawn method
imports them by module name.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, insert, select, text

from pathways.definition.loader import load_text
from pathways.runtime.compiler import CompiledPathway, compile_pathway
from pathways.store import JourneyStore, build_tables, create_engine
from pathways.store.migrations import upgrade
from pathways.store.webhook_tables import webhook_tables

PG_ENV = "PATHWAYS_TEST_DATABASE_URL"
LONDON = ZoneInfo("Europe/London")
MONDAY = datetime(2025, 3, 3, 9, 0, tzinfo=LONDON)

PATHWAY = """
id: test/store
title: Storeshire referral pathway
area: Storeshire
version: "1"
entry: identified
roles:
  first-responder: {title: First responder}
  police: {title: Police}
  support-provider: {title: Support provider}
agencies:
  council: {name: Storeshire Council, roles: [first-responder]}
  constabulary: {name: Storeshire Police, roles: [police, first-responder]}
  charity: {name: Storeshire Support, roles: [support-provider]}
profile:
  age_group:
    values: [child, adult]
    changes: [{from: child, to: adult, description: turns 18}]
  consent:
    values: [given, declined]
    changes: [{from: declined, to: given, description: gives consent later}]
information:
  account: {title: Account, sensitivity: special-category}
  address: {title: Address, sensitivity: personal}
tracks:
  police: {title: Police investigation, entry: crime-recorded}
stages:
  identified:
    {title: Identified, owner: first-responder, kind: identification, within: 2 working days}
  assessment: {title: Assessment, owner: council, kind: decision, within: 5 working days}
  nrm-referral:
    {title: NRM referral, owner: first-responder, kind: referral, within: 5 working days}
  notified: {title: Notified, owner: council, kind: outcome, outcome: referred-elsewhere}
  supported: {title: Supported, owner: charity, kind: outcome, outcome: supported}
  crime-recorded: {title: Crime recorded, owner: police, kind: investigation, track: police}
  no-further-action:
    {title: No further action, owner: police, kind: outcome, outcome: no-further-action,
     track: police}
handoffs:
  assess: {from: identified, to: assessment, by: [first-responder]}
  reconsider: {from: assessment, to: identified, by: [first-responder]}
  refer-to-nrm:
    from: [identified, assessment]
    to: nrm-referral
    by: [first-responder]
    when: age_group == 'child' or consent == 'given'
    shares: [account]
    starts: [police]
  notify:
    from: [identified, assessment]
    to: notified
    by: [first-responder]
    when: age_group == 'adult' and consent == 'declined'
  support:
    {from: nrm-referral, to: supported, by: [charity], shares: [address], waits_for: [police]}
  close-investigation:
    {from: crime-recorded, to: no-further-action, by: [police], within: 10 working days,
     timeout: true}
"""

#: Version 2 renames `assessment` to `triage`.
PATHWAY_V2 = (
    PATHWAY.replace('version: "1"', 'version: "2"')
    .replace("assessment:", "triage:")
    .replace("to: assessment", "to: triage")
    .replace("from: assessment", "from: triage")
    .replace("[identified, assessment]", "[identified, triage]")
)

CHILD = {"age_group": "child", "consent": "declined"}
ADULT = {"age_group": "adult", "consent": "declined"}


@dataclass(frozen=True)
class Database:
    """Where a test's store lives: a URL and a table prefix of its own."""

    url: str
    prefix: str
    backend: str


def compiled_v1() -> CompiledPathway:
    return compile_pathway(load_text(PATHWAY))


def compiled_v2() -> CompiledPathway:
    return compile_pathway(load_text(PATHWAY_V2))


def postgres_url() -> str:
    """The PostgreSQL URL for tests, or skip saying the variable is unset."""
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.skip(f"{PG_ENV} is unset: set it to a PostgreSQL URL to run this test there")
    return url


def drop_prefix(url: str, prefix: str) -> None:
    """Drop every table of `prefix` (whatever state the test left them in)."""
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            webhook_tables(prefix).metadata.drop_all(conn)
            build_tables(prefix).metadata.drop_all(conn)
            conn.execute(text(f'DROP TABLE IF EXISTS "{prefix}alembic_version"'))
    finally:
        engine.dispose()


def count(store: JourneyStore, table: str, case_ref: str | None = None) -> int:
    t = getattr(store.tables, table)
    query = select(func.count()).select_from(t)
    if case_ref is not None:
        query = query.where(t.c.case_ref == case_ref)
    with store.engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


# Worker processes (started with multiprocessing's spawn method, so they live in a module).


def flip(stage: str) -> str:
    """The handoff that moves a journey between `identified` and `assessment`."""
    return "assess" if stage == "identified" else "reconsider"


def handoff_worker(
    url: str, prefix: str, worker: int, count: int, cases: list[str], seed: int
) -> list[tuple[str, str, int]]:
    """Apply `count` handoffs to randomly chosen `cases` with draft/save and retries.

    Returns (key, case_ref, seq) for every handoff the store accepted.
    """
    import random

    from pathways.store import retry

    rng = random.Random(seed)
    accepted: list[tuple[str, str, int]] = []
    with JourneyStore(url, prefix=prefix, upgrade=False) as store:
        for number in range(count):
            case_ref = rng.choice(cases)
            key = f"w{worker}-{number}"

            def work(case_ref: str = case_ref, key: str = key) -> Any:
                draft = store.draft(case_ref)
                draft.journey.handoff(flip(draft.journey.stage), by="council", at=MONDAY)
                return store.save(draft, key=key)

            applied = retry(work, attempts=200, delay=0.001, rng=rng)
            accepted.append((key, case_ref, applied.events[0].seq))
    return accepted


def crash_writer(url: str, round_: int, cases: list[str], log: str) -> None:
    """Hand off forever; after each commit returns, note its key in `log` (until killed)."""
    import os

    with JourneyStore(url) as store:
        handle = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
        number = 0
        while True:
            case_ref = cases[number % len(cases)]
            key = f"r{round_}-{number}"
            stage = store.load(case_ref, history=False).stage
            store.handoff(case_ref, flip(stage), by="council", at=MONDAY, key=key)
            os.write(handle, f"{key} {case_ref}\n".encode())
            number += 1


#: The tables a release's rows are put back in, parents first.
_RELEASE_TABLES = ("pathway_versions", "journeys", "positions", "events", "rollouts", "requests")


def restore_release(database: Database, rows_file: Path, revision: str) -> None:
    """A store at schema `revision` holding every row a release wrote (`rows_file`, made by one
    of `data/make_release_*.py`; times are written as `{"time": ISO}`)."""
    upgrade(database.url, database.prefix, revision=revision)
    rows = json.loads(rows_file.read_text(encoding="utf-8"))
    tables = build_tables(database.prefix)
    engine = create_engine(database.url)
    try:
        with engine.begin() as conn:
            for name in _RELEASE_TABLES:
                table = getattr(tables, "pathways" if name == "pathway_versions" else name)
                for row in rows[name]:
                    conn.execute(insert(table).values({k: _time(v) for k, v in row.items()}))
    finally:
        engine.dispose()


def _time(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"time"}:
        return datetime.fromisoformat(value["time"])
    return value
