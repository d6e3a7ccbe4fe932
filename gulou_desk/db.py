"""SQL building blocks shared by the client's store and the server's store.

Tables of synced records are built from :mod:`gulou_desk.records`, so the columns are
never typed a second time. Each store adds its own bookkeeping columns (the server its
per-field versions and scope, the client nothing but the server version).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Dialect, Engine
from sqlalchemy.types import TypeDecorator

from gulou_desk.records import ID_LENGTH, EntitySpec, FieldSpec, Kind, text_limit

SQLITE_BUSY_TIMEOUT_MS = 15_000


def json_text(value: Any) -> str:
    """The text of a JSON column (orjson's: compact UTF-8, several times quicker than
    the standard library's; the pull's bulk write makes the same text). Both stores'
    engines write their JSON columns with it (``json_serializer``)."""
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()


class AwareDateTime(TypeDecorator[dt.datetime]):
    """An aware datetime, kept with its zone on every backend.

    PostgreSQL stores ``timestamptz``. SQLite has no time type, so the value is stored as
    UTC ISO 8601 text (``2026-11-28T01:30:00.000000+00:00``), which sorts and compares
    correctly as text, and is read back as an aware UTC datetime.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> sa.types.TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(sa.String(32))
        return dialect.type_descriptor(sa.DateTime(timezone=True))

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        if isinstance(value, str):
            value = dt.datetime.fromisoformat(value)
        if value.tzinfo is None:
            raise ValueError("naive datetime: times are stored with their zone")
        if dialect.name == "sqlite":
            return value.astimezone(dt.UTC).isoformat(timespec="microseconds")
        return value

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if isinstance(value, str):
            value = dt.datetime.fromisoformat(value)
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return value  # type: ignore[no-any-return]


def utc_text(value: dt.datetime) -> str:
    """The SQLite text form of :class:`AwareDateTime`, for raw comparisons in SQL."""
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")


_SQL_TYPES: dict[Kind, Any] = {
    Kind.TEXT: sa.Text,
    Kind.INT: sa.Integer,
    Kind.FLOAT: sa.Float,
    Kind.BOOL: sa.Boolean,
    Kind.DATE: sa.Date,
    Kind.DATETIME: AwareDateTime,
    Kind.JSON_LIST: sa.JSON,
    Kind.JSON_OBJECT: sa.JSON,
}


def column_type(spec: FieldSpec) -> Any:
    if spec.kind in (Kind.STR, Kind.REF):
        return sa.String(text_limit(spec))  # the wire refuses longer text (records.py)
    return _SQL_TYPES[spec.kind]()


def record_columns(spec: EntitySpec) -> list[sa.Column[Any]]:
    """The ``id`` column and one column per field of an entity (no constraints on refs:
    a scoped copy may hold a record whose referenced record is out of scope)."""
    cols: list[sa.Column[Any]] = [sa.Column("id", sa.String(ID_LENGTH), primary_key=True)]
    for f in spec.fields:
        cols.append(sa.Column(f.name, column_type(f), nullable=True))
    return cols


def configure_sqlite(engine: Engine) -> None:
    """WAL, foreign keys, a busy timeout and ``synchronous=FULL`` on every SQLite
    connection of ``engine``.

    ``FULL``: every commit reaches the disk (the WAL is synced) before it returns, so an
    edit the user saw saved, an outbox mutation, a push result the server acknowledged,
    survive a power cut. Under ``NORMAL`` the last commits before a power cut can be
    lost (WAL mode only promises no corruption); ``bench/durability.py`` measures what
    ``FULL`` costs (one sync per commit: the pull writes a page per commit, the server a
    mutation per commit).

    A transaction whose writes can all be had again may ask for less (execution option
    ``sqlite_synchronous``: the store's pulled pages, ``Store.write(refetchable=True)``);
    every other transaction is set back to FULL before it begins.
    """
    if engine.dialect.name != "sqlite":
        return

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # pysqlite's own transaction handling would defer BEGIN; SQLAlchemy's docs
        # recommend taking it over so that BEGIN (IMMEDIATE where asked) is explicit.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA synchronous=FULL")
        cur.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        # A writer asks for BEGIN IMMEDIATE (execution option ``sqlite_begin``) so that it
        # waits for the write lock up front instead of failing when a read turns into a write.
        options = conn.get_execution_options()
        # A transaction whose writes can all be had again (execution option
        # ``sqlite_synchronous``: a pulled page, which the server sends again when its
        # cursor is lost with it) may commit without syncing the disk; every other one
        # runs FULL, set again before it begins (the setting stays on the connection).
        synchronous = options.get("sqlite_synchronous", "FULL")
        if conn.info.get("synchronous", "FULL") != synchronous:
            conn.exec_driver_sql(f"PRAGMA synchronous={synchronous}")
            conn.info["synchronous"] = synchronous
        conn.exec_driver_sql(options.get("sqlite_begin", "BEGIN"))


def sqlite_engine(url: str, **kw: Any) -> Engine:
    """A SQLite engine set up as the house rules say (one connection per thread)."""
    engine = sa.create_engine(url, **kw)
    configure_sqlite(engine)
    return engine
