"""The server's engine and migrations (SQLite by default, PostgreSQL by URL)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import orjson
import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from gulou_desk.db import configure_sqlite, json_text
from server.store import ensure_counter

MIGRATIONS = Path(__file__).with_name("migrations")


def normalize_url(url: str) -> str:
    """``postgresql://`` means psycopg 3 here (SQLAlchemy's default would be psycopg2)."""
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url[len("postgresql://"):]
    if url.startswith("postgres://"):
        return "postgresql+psycopg://" + url[len("postgres://"):]
    return url


def make_engine(url: str) -> sa.Engine:
    """The server's engine. ``hide_parameters``: a database error's text never carries the
    statement's values (names, ID numbers, phones), whoever logs it."""
    url = normalize_url(url)
    # JSON columns (per-field versions, the change log's keys, audit values, remembered
    # push results) through orjson, as the client's store does: the standard library's
    # json.dumps of eight of them a row was a tenth of a push's time.
    json = {"json_serializer": json_text, "json_deserializer": orjson.loads}
    if url.startswith("sqlite"):
        engine = sa.create_engine(url, connect_args={"check_same_thread": False},
                                  pool_size=8, max_overflow=8, hide_parameters=True, **json)
        configure_sqlite(engine)
        return engine
    return sa.create_engine(url, pool_size=10, max_overflow=10, pool_pre_ping=True,
                            hide_parameters=True, **json)


def writer(engine: sa.Engine) -> sa.Engine:
    """The engine for transactions that write: on SQLite they take the write lock at BEGIN
    (BEGIN IMMEDIATE), so a read that turns into a write never fails on a busy database."""
    return engine.execution_options(sqlite_begin="BEGIN IMMEDIATE")


T = TypeVar("T")


def again_on_conflict(work: Callable[[], T]) -> T:
    """``work()``, run a second time if a unique key it wrote was taken meanwhile by
    another request (the same bot event at once, which committed first): the second run
    sees what that one wrote."""
    try:
        return work()
    except sa.exc.IntegrityError:
        return work()


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", normalize_url(url).replace("%", "%%"))
    return cfg


MIGRATION_LOCK = 0x67756C6F75  # "gulou": the advisory lock of migrations (PostgreSQL)


class SchemaNotCurrent(RuntimeError):
    """The database is not at the migrations' head: run ``gulou-server migrate``."""


def migrate(engine: sa.Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` and make sure the version counter exists.
    Processes that start at once on PostgreSQL migrate one after the other (an advisory
    lock held by the migrating transaction): the later ones find nothing left to do.
    A database at the head already is left to itself (alembic would find nothing to do,
    after loading every migration's module: most of a test server's start-up)."""
    if revision != "head" or schema_revision(engine) != head_revision():
        cfg = alembic_config(engine.url.render_as_string(hide_password=False))
        with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"),
                             {"key": MIGRATION_LOCK})
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
    if revision == "head":
        with writer(engine).begin() as conn:
            ensure_counter(conn)


def schema_revision(engine: sa.Engine) -> str | None:
    """The database's migration revision (None: never migrated)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


@functools.cache
def head_revision() -> str | None:
    """The migrations' head (read once per process: the migrations ship with the code)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def check_schema_current(engine: sa.Engine) -> None:
    """Raise :class:`SchemaNotCurrent` unless the database is at the migrations' head."""
    current, head = schema_revision(engine), head_revision()
    if current != head:
        raise SchemaNotCurrent(
            f"the database is at migration {current or 'none'}, this server needs {head}: "
            "run `gulou-server migrate` first")
