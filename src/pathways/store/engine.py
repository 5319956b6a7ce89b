"""Connecting to the store's database: one URL, SQLite by default, PostgreSQL in production.

`create_engine(url)` returns a SQLAlchemy engine (made by `sqlmodel.create_engine`) set up for
durable, serialised writes:

- **SQLite** (`sqlite:///path/to/file.sqlite3`): every connection uses write-ahead logging and
  `synchronous=FULL` (a commit is on disk when it returns), enforces foreign keys and waits up
  to 30 seconds for a lock. Transactions begin explicitly; a transaction that will write begins
  with `BEGIN IMMEDIATE`, so two writers queue instead of failing half-way.
- **PostgreSQL** (`postgresql://...` or `postgresql+psycopg://...`): psycopg 3, with a
  pool of connections. Writers lock the journey row they change.

Any other database is refused with `StoreError`.
"""

from __future__ import annotations

import sqlite3
from typing import Any

import sqlmodel
from sqlalchemy import URL, Connection, Engine, event, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.pool import ConnectionPoolEntry

from pathways.errors import StoreError

__all__ = ["DEFAULT_URL", "WRITE", "create_engine", "dialect_of"]

#: The database used when no URL is given: a file in the working directory.
DEFAULT_URL = "sqlite:///pathways.sqlite3"
#: The execution option that marks a connection whose transaction will write.
WRITE = "pathways_write"


def create_engine(url: str | URL = DEFAULT_URL, **options: Any) -> Engine:
    """An engine for `url`, configured as described above; `options` go to SQLAlchemy."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StoreError(f"{url!r} is not a database URL: {exc}") from None
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        engine = sqlmodel.create_engine(parsed, **options)
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if backend == "postgresql":
        if parsed.get_driver_name() != "psycopg":
            parsed = parsed.set(drivername="postgresql+psycopg")
        return sqlmodel.create_engine(parsed, **options)
    raise StoreError(
        f"the journey store runs on SQLite or PostgreSQL, not {backend!r}; use a URL such as "
        "sqlite:///pathways.sqlite3 or postgresql+psycopg://user@host/database"
    )


def dialect_of(engine: Engine) -> str:
    """`sqlite` or `postgresql`."""
    return engine.dialect.name


def _sqlite_connect(dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
    """Turn off the driver's own transaction handling and make commits durable."""
    assert isinstance(dbapi_connection, sqlite3.Connection)
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA busy_timeout = 30000")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
    finally:
        cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    """Begin explicitly: `BEGIN IMMEDIATE` when the transaction will write."""
    write = connection.get_execution_options().get(WRITE, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")
