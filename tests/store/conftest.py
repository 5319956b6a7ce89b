"""The journey store tests' fixtures: a database on each backend, the test pathway, a store.

Every store test that asks for `store` (or `database`) runs on SQLite (a file in `tmp_path`) and
on PostgreSQL, whose URL comes from `PATHWAYS_TEST_DATABASE_URL` (`.ci/run` sets it). Without that
variable only the PostgreSQL cases skip, saying so. On PostgreSQL each test gets its own table
prefix, and its tables are dropped afterwards.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from pathways.runtime.compiler import CompiledPathway
from pathways.store import JourneyStore
from store.helpers import Database, compiled_v1, drop_prefix, postgres_url

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
]


@pytest.fixture(params=BACKENDS)
def database(request: pytest.FixtureRequest, tmp_path: object) -> Iterator[Database]:
    if request.param == "sqlite":
        yield Database(f"sqlite:///{tmp_path}/store.sqlite3", "pathways_", "sqlite")
        return
    url = postgres_url()
    prefix = f"t{uuid.uuid4().hex[:12]}_"
    try:
        yield Database(url, prefix, "postgresql")
    finally:
        drop_prefix(url, prefix)


@pytest.fixture(scope="session")
def compiled() -> CompiledPathway:
    return compiled_v1()


@pytest.fixture
def store(database: Database, compiled: CompiledPathway) -> Iterator[JourneyStore]:
    with JourneyStore(database.url, pathways=[compiled], prefix=database.prefix) as opened:
        yield opened
