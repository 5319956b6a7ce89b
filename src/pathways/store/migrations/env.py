"""Alembic's environment: run the migrations on the connection `upgrade` passes in."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from pathways.store.tables import PREFIX, build_tables

prefix: str = context.config.attributes.get("prefix", PREFIX)
connection = context.config.attributes.get("connection")
if not isinstance(connection, Connection):
    raise RuntimeError("run the migrations with pathways.store.migrations.upgrade()")

context.configure(
    connection=connection,
    target_metadata=build_tables(prefix).metadata,
    version_table=build_tables(prefix).version_table,
    transactional_ddl=True,
)
with context.begin_transaction():
    context.run_migrations()
