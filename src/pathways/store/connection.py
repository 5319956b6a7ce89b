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

`reading(engine)` and `writing(engine)` give a connection in a transaction; `writing` marks it
as one that writes and turns a lost race (a unique key taken, a lock timeout or deadlock) into
`ConcurrentUpdate`, and any other refusal into `StoreError`.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlmodel
from sqlalchemy import URL, Connection, Engine, event, make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, OperationalError
from sqlalchemy.pool import ConnectionPoolEntry

from pathways.errors import ConcurrentUpdate, StoreError

__all__ = [
    "DEFAULT_URL",
    "SQLITE_PRAGMAS",
    "WRITE",
    "create_engine",
    "reading",
    "set_up_sqlite",
    "sqlite_file",
    "writing",
]

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


@contextmanager
def reading(engine: Engine) -> Iterator[Connection]:
    """A connection in a read transaction."""
    with engine.connect() as conn, conn.begin():
        yield conn


@contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    """A connection in a write transaction; a lost race becomes `ConcurrentUpdate`.

    Pass an engine made with `engine.execution_options(pathways_write=True)` (as the store
    does, once) or any engine: the option is added here if it is missing.
    """
    if not engine.get_execution_options().get(WRITE, False):
        engine = engine.execution_options(**{WRITE: True})
    try:
        with engine.connect() as conn, conn.begin():
            yield conn
    except IntegrityError as exc:
        raise ConcurrentUpdate(
            f"another writer stored the same thing first ({_first_line(exc)}); reload and retry"
        ) from exc
    except OperationalError as exc:
        if "lock" in str(exc).lower() or "deadlock" in str(exc).lower():
            raise ConcurrentUpdate(f"the database was busy: {_first_line(exc)}") from exc
        raise StoreError(f"the database refused the change: {_first_line(exc)}") from exc


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


#: What every SQLite connection of the store runs first (see the module's docstring).
SQLITE_PRAGMAS = (
    "PRAGMA busy_timeout = 30000",
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = FULL",
    "PRAGMA foreign_keys = ON",
)


def set_up_sqlite(dbapi_connection: sqlite3.Connection) -> None:
    """Turn off the driver's own transaction handling and make commits durable."""
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
    finally:
        cursor.close()


def sqlite_file(engine: Engine) -> str | None:
    """The absolute path of the SQLite file an engine made by `create_engine` opens.

    None for anything else: an in-memory or URI database (another connection would not see
    the same data), query options in the URL, or an engine set up by someone else (whose
    connections may not be durable as described above).
    """
    url = engine.url
    database = url.database
    if (
        url.get_backend_name() != "sqlite"
        or not database
        or database == ":memory:"
        or database.startswith("file:")
        or url.query
        or not event.contains(engine, "connect", _sqlite_connect)
    ):
        return None
    return os.path.abspath(database)


def _sqlite_connect(dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
    assert isinstance(dbapi_connection, sqlite3.Connection)
    set_up_sqlite(dbapi_connection)


def _sqlite_begin(connection: Connection) -> None:
    """Begin explicitly: `BEGIN IMMEDIATE` when the transaction will write."""
    write = connection.get_execution_options().get(WRITE, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")
