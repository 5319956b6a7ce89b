"""Connecting to a database (`pathways.store.connection`): only SQLite and PostgreSQL URLs are
accepted, and PostgreSQL is reached through psycopg.
"""

from __future__ import annotations

import pytest

from pathways.errors import (
    StoreError,
)
from pathways.store import create_engine


def test_only_sqlite_and_postgresql_are_accepted() -> None:
    with pytest.raises(StoreError, match="SQLite or PostgreSQL"):
        create_engine("mysql://root@localhost/test")
    with pytest.raises(StoreError, match="not a database URL"):
        create_engine("not a url")
    engine = create_engine("postgresql://postgres@127.0.0.1/test")
    assert engine.dialect.driver == "psycopg"
    engine.dispose()
