"""Connecting to the store's database: one URL, SQLite by default, PostgreSQL in production.

`create_engine(url)` returns a SQLAlchemy engine (made by `sqlmodel.create_engine`) set up for
durable, serialised writes:

- **SQLite** (`sqlite:///path/to/file.sqlite3`): every connection uses write-ahead logging and
  `synchronous=FULL` (a commit is on disk when it returns), enforces foreign keys and waits up
  to 30 seconds for a lock. Transactions begin explicitly; a transaction that will write begins
  with `BEGIN IMMEDIATE`, so two writers queue instead of failing half-way. A file is created
  0600, never twice, and watched (`pathways.store.sqlite_file`).
- **PostgreSQL** (`postgresql://...` or `postgresql+psycopg://...`): psycopg 3, with a
  pool of connections. Writers lock the journey row they change.

Any other database is refused with `StoreError`. With `read_only=True` nothing can be written:
a SQLite file is opened read-only (`mode=ro`), a PostgreSQL session with
`default_transaction_read_only`.

`reading(engine)` and `writing(engine)` give a connection in a transaction; `writing` marks it
as one that writes and turns a lost race (a unique key taken, a lock timeout or deadlock) into
`ConcurrentUpdate`, and on a SQLite file reports the change as done only if the file is still
the one the store opened (`DatabaseFileLost` otherwise). Other errors of the database pass
through, for the store's `guarded` methods to name (`pathways.store.failures`).
"""

from __future__ import annotations

import os
import sqlite3
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlmodel
from sqlalchemy import URL, Connection, Dialect, Engine, event, make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, OperationalError
from sqlalchemy.pool import ConnectionPoolEntry

from pathways.errors import ConcurrentUpdate, DatabaseFileLost, StoreError
from pathways.store.failures import first_line, redact, remember_password
from pathways.store.sqlite_file import SqliteFile, set_up_sqlite

__all__ = [
    "DEFAULT_URL",
    "WRITE",
    "create_engine",
    "reading",
    "safe_url",
    "sqlite_file",
    "writing",
]

#: The database used when no URL is given: a file in the working directory.
DEFAULT_URL = "sqlite:///pathways.sqlite3"
#: The execution option that marks a connection whose transaction will write.
WRITE = "pathways_write"

#: The SQLite file of each engine made by `create_engine`, by the engine's dialect (which the
#: engine's `execution_options` copies share).
_FILES: weakref.WeakKeyDictionary[Dialect, SqliteFile] = weakref.WeakKeyDictionary()


def create_engine(
    url: str | URL = DEFAULT_URL, *, read_only: bool = False, **options: Any
) -> Engine:
    """An engine for `url`, configured as described above; `options` go to SQLAlchemy."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):  # its message can quote the URL, password and all
        raise StoreError(
            "what was given is not a database URL: use one such as sqlite:///pathways.sqlite3 "
            "or postgresql+psycopg://user@host/database"
        ) from None
    remember_password(parsed.password if isinstance(parsed.password, str) else None)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return _sqlite_engine(parsed, read_only, options)
    if backend == "postgresql":
        if parsed.get_driver_name() != "psycopg":
            parsed = parsed.set(drivername="postgresql+psycopg")
        if read_only:
            arguments = dict(options.pop("connect_args", {}))
            given = arguments.get("options", "")
            arguments["options"] = f"{given} -c default_transaction_read_only=on".strip()
            options["connect_args"] = arguments
        return sqlmodel.create_engine(parsed, **options)
    raise StoreError(
        f"the journey store runs on SQLite or PostgreSQL, not {backend!r}; use a URL such as "
        "sqlite:///pathways.sqlite3 or postgresql+psycopg://user@host/database"
    )


def _sqlite_engine(parsed: URL, read_only: bool, options: dict[str, Any]) -> Engine:
    database = parsed.database
    if not database or database == ":memory:" or database.startswith("file:") or parsed.query:
        engine = sqlmodel.create_engine(parsed, **options)
        event.listen(engine, "connect", _read_only if read_only else _sqlite_connect)
    else:
        file = SqliteFile(os.path.abspath(database), read_only=read_only)
        engine = sqlmodel.create_engine(parsed, creator=file.connect, **options)
        _FILES[engine.dialect] = file
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def safe_url(url: str | URL) -> str:
    """`url` as it may be printed: its password hidden (or the whole URL, if it is no URL)."""
    if isinstance(url, URL):
        return url.render_as_string(hide_password=True)
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return redact(url) if "://" in url else "(not a database URL)"


@contextmanager
def reading(engine: Engine) -> Iterator[Connection]:
    """A connection in a read transaction."""
    with engine.connect() as conn, conn.begin():
        yield conn


@contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    """A connection in a write transaction; a lost race becomes `ConcurrentUpdate`.

    Pass an engine made with `engine.execution_options(pathways_write=True)` (as the store
    does, once) or any engine: the option is added here if it is missing. On a SQLite file,
    `DatabaseFileLost` after the commit if the file was deleted or replaced meanwhile.
    """
    if not engine.get_execution_options().get(WRITE, False):
        engine = engine.execution_options(**{WRITE: True})
    try:
        with engine.connect() as conn, conn.begin():
            yield conn
    except IntegrityError as exc:
        raise ConcurrentUpdate(
            f"another writer stored the same thing first ({first_line(exc)}); reload and retry"
        ) from exc
    except OperationalError as exc:
        if "lock" in str(exc).lower() or "deadlock" in str(exc).lower():
            raise ConcurrentUpdate(f"the database was busy: {first_line(exc)}") from exc
        raise
    file = sqlite_file(engine)
    if file is not None:
        try:
            file.check("change")
        except DatabaseFileLost:
            engine.dispose()  # its connections read the lost file: close them
            raise


def sqlite_file(engine: Engine) -> SqliteFile | None:
    """The SQLite file an engine made by `create_engine` opens (`pathways.store.sqlite_file`).

    None for anything else: an in-memory or URI database (another connection would not see
    the same data), query options in the URL, or an engine set up by someone else (whose
    connections may not be durable as described above).
    """
    return _FILES.get(engine.dialect)


def _sqlite_connect(dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
    assert isinstance(dbapi_connection, sqlite3.Connection)
    set_up_sqlite(dbapi_connection)


def _read_only(dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
    assert isinstance(dbapi_connection, sqlite3.Connection)
    set_up_sqlite(dbapi_connection, read_only=True)


def _sqlite_begin(connection: Connection) -> None:
    """Begin explicitly: `BEGIN IMMEDIATE` when the transaction will write."""
    write = connection.get_execution_options().get(WRITE, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")
