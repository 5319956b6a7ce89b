"""Schema migrations (Alembic), shipped in the package: `upgrade(url, prefix)` brings a
database up to date, from nothing or from any earlier revision, and can run at every start.

```python
from pathways.store.migrations import upgrade
upgrade("postgresql+psycopg://cases@db/cases", prefix="pathways_")
```

The same is `pathways db upgrade URL [--prefix P]` on the command line. Each prefix has its own
Alembic version table (`<prefix>alembic_version`), so several stores can share a database. On
PostgreSQL the upgrade holds an advisory lock, so processes starting together upgrade once.

`current(url, prefix)` says which revision a database is at, `head()` the newest shipped and
`history()` every shipped revision; `downgrade(url, prefix, revision)` takes a store back;
`existing_revision(url, prefix)` is `current` for a database that must already exist, opened
read-only (a SQLite file is not created, and may be a read-only copy); `require_newest` refuses
a database that is not a journey store at the newest revision. Errors of the database or its
driver come out as `DatabaseFailure`, without the URL's password.

The stock `alembic` command works too, with the database's URL given as `-x url=...` or as
`sqlalchemy.url` in its `alembic.ini`, `script_location = pathways.store:migrations`, and the
prefix (if not the default) as `-x prefix=...` (see docs/store.md).
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import URL, Connection, Engine, make_url, text
from sqlalchemy.exc import ArgumentError

from pathways.errors import DatabaseFailure, StoreError
from pathways.store.connection import WRITE, create_engine
from pathways.store.failures import first_line
from pathways.store.tables import PREFIX, build_tables

__all__ = [
    "HERE",
    "Revision",
    "config",
    "current",
    "downgrade",
    "existing_revision",
    "head",
    "history",
    "lock",
    "require_newest",
    "upgrade",
]

HERE = Path(__file__).resolve().parent


def config(prefix: str = PREFIX) -> Config:
    """The Alembic configuration for the migrations shipped here, for `prefix`."""
    build_tables(prefix)  # refuses a bad prefix
    cfg = Config()
    cfg.set_main_option("script_location", str(HERE))
    cfg.attributes["prefix"] = prefix
    return cfg


class Revision(NamedTuple):
    """A shipped schema revision: its id, the one before it and what it does."""

    id: str
    down: str | None
    doc: str


def history() -> list[Revision]:
    """Every revision shipped, the newest first."""
    scripts = ScriptDirectory.from_config(config())
    return [
        Revision(r.revision, _down(r.down_revision), (r.doc or "").strip())
        for r in scripts.walk_revisions()
    ]


def _down(value: str | Sequence[str] | None) -> str | None:
    return value if value is None or isinstance(value, str) else ", ".join(value)


def head() -> str:
    """The newest revision shipped."""
    found = ScriptDirectory.from_config(config()).get_current_head()
    assert found is not None
    return found


def current(target: str | URL | Engine, prefix: str = PREFIX) -> str | None:
    """The revision a database is at for `prefix` (None before the first upgrade).

    `StoreError` if it cannot be read, naming the driver's error but not repeating its message
    (which can quote stored data).
    """
    engine = _engine(target)
    version_table = build_tables(prefix).version_table
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"version_table": version_table})
            return context.get_current_revision()
    except StoreError:
        raise
    except Exception as exc:  # the driver's own error: the server or file cannot be read
        raise DatabaseFailure(
            f"cannot be read ({type(exc).__name__})", operation="read the schema revision"
        ) from exc
    finally:
        if not isinstance(target, Engine):
            engine.dispose()


def existing_revision(url: str, prefix: str = PREFIX) -> str | None:
    """`current` for a database that must exist, opened read-only: `StoreError` for a URL that
    is not a database URL, or that names a SQLite file that does not exist (instead of
    creating it)."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        raise StoreError("what was given is not a database URL") from None
    database = parsed.database or ""
    sqlite = parsed.get_backend_name() == "sqlite" and database not in ("", ":memory:")
    if sqlite and not Path(database).is_file():
        raise StoreError(f"no such database file ({database})")
    engine = create_engine(parsed, read_only=True)
    try:
        return current(engine, prefix)
    finally:
        engine.dispose()


def require_newest(target: str | URL | Engine, prefix: str = PREFIX) -> None:
    """Refuse (`StoreError`) a database that holds no journey store under `prefix`, or one
    whose schema is not the newest (a store opened read-only cannot upgrade it)."""
    found = current(target, prefix)
    if found is None:
        raise StoreError(f"the database holds no journey store (with table prefix '{prefix}')")
    if found != head():
        raise StoreError(
            f"the journey store is at an older schema ({found}); upgrade it first with "
            "pathways db upgrade"
        )


def upgrade(target: str | URL | Engine, prefix: str = PREFIX, revision: str = "head") -> None:
    """Bring the store's tables for `prefix` up to `revision` (the newest by default)."""
    _run(target, prefix, "upgrade", lambda cfg: command.upgrade(cfg, revision))


def downgrade(target: str | URL | Engine, prefix: str = PREFIX, revision: str = "base") -> None:
    """Take the store's tables back to `revision` (`base`: drop them all, data included)."""
    _run(target, prefix, "downgrade", lambda cfg: command.downgrade(cfg, revision))


def lock(conn: Connection, prefix: str) -> None:
    """On PostgreSQL, hold the migration lock of `prefix` until the transaction ends, so
    processes that upgrade together take turns (nothing to do on SQLite, which locks the
    whole file for a writer)."""
    if conn.dialect.name == "postgresql":
        key = zlib.crc32(f"pathways-migrate:{prefix}".encode())
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": key})


def _engine(target: str | URL | Engine) -> Engine:
    return target if isinstance(target, Engine) else create_engine(target)


def _run(target: str | URL | Engine, prefix: str, action: str, do: object) -> None:
    engine = _engine(target)
    cfg = config(prefix)
    assert callable(do)
    try:
        with engine.connect() as conn:
            conn = conn.execution_options(**{WRITE: True})
            with conn.begin():
                lock(conn, prefix)
                cfg.attributes["connection"] = conn
                do(cfg)
    except StoreError:
        raise
    except Exception as exc:  # Alembic and the driver raise many kinds; say which step failed
        raise DatabaseFailure(
            f"the schema {action} for prefix {prefix!r} failed: {first_line(exc)}",
            operation=f"{action} the schema",
        ) from exc
    finally:
        if not isinstance(target, Engine):
            engine.dispose()
