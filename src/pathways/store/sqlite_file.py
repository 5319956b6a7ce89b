"""The SQLite file of a store: created private, opened read-write or read-only, watched.

`create_engine` makes one `SqliteFile` per engine on a SQLite file, and every connection the
store opens to it (SQLAlchemy's pool and the fast path's own) comes from `SqliteFile.connect`:

- **Private**: a file that does not exist yet is created with mode 0600 (read and write for
  its owner only) before SQLite opens it; SQLite gives the `-wal` and `-shm` files beside it
  the same mode. A file that exists keeps its mode.
- **Never created twice**: once the store has opened its file, a connection is opened only to
  that same file (`mode=rw`): if it was deleted, nothing is created in its place.
- **Watched**: `check` compares the file at the path with the file the store opened (device,
  inode and link count). SQLite keeps writing to a file that was deleted or replaced while it
  was open, and what it writes there is lost when the store closes; so a change is reported as
  done only after `check` has found the file where it was (`DatabaseFileLost` otherwise).
- **Read-only** (`read_only=True`): opened with `mode=ro`, so nothing can be written. A copy
  that cannot be written (mode 0444, or in a folder that cannot be written) and has no `-wal`
  file beside it is opened as `immutable`, so SQLite creates nothing beside it either.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import threading
from urllib.parse import quote

from pathways.errors import DatabaseFileLost, StoreError

__all__ = ["READ_ONLY_PRAGMAS", "SQLITE_PRAGMAS", "SqliteFile", "set_up_sqlite"]

#: What every SQLite connection of the store runs first: wait up to 30 seconds for a lock,
#: write-ahead logging, `synchronous=FULL` (a commit is on disk when it returns), foreign keys.
SQLITE_PRAGMAS = (
    "PRAGMA busy_timeout = 30000",
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = FULL",
    "PRAGMA foreign_keys = ON",
)
#: What a read-only connection runs first instead.
READ_ONLY_PRAGMAS = ("PRAGMA busy_timeout = 30000", "PRAGMA query_only = ON")


def set_up_sqlite(dbapi_connection: sqlite3.Connection, *, read_only: bool = False) -> None:
    """Turn off the driver's own transaction handling and make commits durable."""
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        for pragma in READ_ONLY_PRAGMAS if read_only else SQLITE_PRAGMAS:
            cursor.execute(pragma)
    finally:
        cursor.close()


class SqliteFile:
    """One store's SQLite file (an absolute `path`): its connections and its identity."""

    def __init__(self, path: str, *, read_only: bool = False) -> None:
        self.path = path
        self.read_only = read_only
        #: (device, inode) of the file the store opened first; None before that.
        self.identity: tuple[int, int] | None = None
        self._lock = threading.Lock()

    def connect(self) -> sqlite3.Connection:
        """A new connection to the store's file, set up as described above."""
        with self._lock:
            if self.identity is not None:
                self.check("connect")
            elif not self.read_only:
                self._create()
            elif not os.path.isfile(self.path):
                raise StoreError(f"no such database file ({self.path})")
            conn = sqlite3.connect(
                self._uri(), uri=True, isolation_level=None, check_same_thread=False
            )
            try:
                set_up_sqlite(conn, read_only=self.read_only)
                if self.identity is None:
                    found = os.stat(self.path)
                    self.identity = (found.st_dev, found.st_ino)
            except BaseException:
                conn.close()
                raise
            return conn

    def check(self, operation: str) -> None:
        """`DatabaseFileLost` unless the file at the path is the file the store opened."""
        if self.identity is None:
            return
        try:
            found = os.stat(self.path)
        except OSError:
            found = None
        if found is None or (found.st_dev, found.st_ino) != self.identity or found.st_nlink < 1:
            raise DatabaseFileLost(
                f"{operation}: the database file {self.path} was deleted or replaced while the "
                "store had it open, so what was written since is not in it and was not "
                "stored; close the store, put the file back (from a backup) and open it again",
                operation=operation,
            )

    def _create(self) -> None:
        """Create the file, empty and private (0600), unless it exists."""
        try:
            descriptor = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return
        except OSError as exc:
            raise StoreError(
                f"the database file {self.path} cannot be created ({exc.strerror})"
            ) from exc
        os.close(descriptor)

    def _uri(self) -> str:
        where = f"file:{quote(self.path)}"
        if not self.read_only:
            return f"{where}?mode=rw"
        if os.path.exists(f"{self.path}-wal") or _writable(self.path):
            return f"{where}?mode=ro"
        return f"{where}?mode=ro&immutable=1"


def _writable(path: str) -> bool:
    """True if the file, and the folder it is in, may be written (by its mode and by us)."""
    mode = os.stat(path).st_mode
    if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        return False
    return os.access(path, os.W_OK) and os.access(os.path.dirname(path) or ".", os.W_OK)
