"""Alembic environment of the client's local store.

Run programmatically by :func:`gulou_desk.store.engine.migrate`, which hands over an open
connection in ``config.attributes["connection"]``; with a ``sqlalchemy.url`` option instead
(the Alembic command line, for writing a new revision) it opens its own engine.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from gulou_desk.db import sqlite_engine
from gulou_desk.store.schema import METADATA


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=METADATA,
        render_as_batch=True,  # SQLite alters tables by copying them
        compare_type=True,
        user_module_prefix="gulou_desk.db.",
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = sqlite_engine(context.config.get_main_option("sqlalchemy.url") or "")
    try:
        with engine.begin() as own_connection:
            _run(own_connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("the local store is migrated online only")
run_migrations_online()
