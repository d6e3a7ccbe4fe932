"""The server's migrations build exactly the schema the code declares."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from server.database import alembic_config, make_engine, migrate
from server.schema import metadata


def test_migrations_match_the_declared_schema(server_db_url: str) -> None:
    engine = make_engine(server_db_url)
    migrate(engine)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    engine.dispose()
    assert diff == []


def test_migrate_twice_is_harmless(server_db_url: str) -> None:
    engine = make_engine(server_db_url)
    migrate(engine)
    migrate(engine)
    with engine.connect() as conn:
        version = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    engine.dispose()
    assert version == ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
