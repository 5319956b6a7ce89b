"""Alembic's environment, for `pathways db` and for the stock `alembic` command alike.

`pathways.store.migrations.upgrade` (and `pathways db`) pass in an open connection and the
table prefix. The stock command names the database instead: `alembic -x url=URL upgrade head`,
or `sqlalchemy.url` in its `alembic.ini`; `-x prefix=P` (or `pathways.prefix` in the ini) for a
prefix other than the default. With `--sql` the migration is written out as SQL instead.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from pathways.store.connection import WRITE, create_engine
from pathways.store.migrations import lock
from pathways.store.tables import PREFIX, build_tables

config = context.config
given = context.get_x_argument(as_dictionary=True)
prefix: str = (
    config.attributes.get("prefix")
    or given.get("prefix")
    or config.get_main_option("pathways.prefix")
    or PREFIX
)
config.attributes["prefix"] = prefix  # the revisions read it
tables = build_tables(prefix)  # refuses a bad prefix


def _migrate(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=tables.metadata,
        version_table=tables.version_table,
        transactional_ddl=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _url() -> str:
    url = given.get("url") or config.get_main_option("sqlalchemy.url")
    if not url:
        raise SystemExit(
            "pathways migrations: give the database URL, as alembic -x url=URL ... or as "
            "sqlalchemy.url in alembic.ini"
        )
    return url


connection = config.attributes.get("connection")
if isinstance(connection, Connection):
    _migrate(connection)
elif context.is_offline_mode():
    context.configure(
        url=_url(),
        target_metadata=tables.metadata,
        version_table=tables.version_table,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()
else:
    engine = create_engine(_url())
    try:
        with engine.connect() as opened:
            writer = opened.execution_options(**{WRITE: True})
            with writer.begin():
                lock(writer, prefix)
                _migrate(writer)
    finally:
        engine.dispose()
