"""A bulk load of the local store: the first pull into a store that holds nothing yet.

Writing a street's 200,000 records page by page while every secondary index and the
search index are kept in step costs most of the time of a first sync: each row updates
the record table's indexes, fires the search triggers (migration 0003), and each page
re-indexes the households it touched (a page of residents touches most households of the
page of households before it, again). So while a bulk load is under way:

- the secondary indexes of the record tables are dropped, and so are the search
  triggers: rows go into bare tables;
- the search index is left alone (nothing notes the households dirty: the triggers are
  gone);

and at its end (:func:`finish`) the indexes are created again, each in one sort, and the
search index is built once, in one pass (:func:`gulou_desk.store.search_index.rebuild`).
From then on everything is kept in step as usual (incremental pulls, local edits).

A bulk load's transactions (``Store.write(bulk=True)``) get a larger page cache
(:data:`CACHE_KIB`) while they run, and every other transaction the usual one: the
record tables keep their primary keys (random UUIDs) while the rows go in,
and once a district's keys outgrow the usual cache each insert reads and decrypts a page,
and writes back another (100,000 residents into a district's 1.8 million: 3.1 s of CPU
with 32 MB, 0.9 s with 256 MB).

What was dropped is noted in ``sync_state`` (:data:`STATE`) in the same transaction as
the drop (SQLite's DDL is transactional), with the SQL that makes it again, so a load cut
short by a crash is finished by the next :func:`finish`: the sync engine calls it when a
pull ends, however it ends, and :func:`gulou_desk.store.engine.open_store` when it finds
one under way (the app crashed during a first sync).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from gulou_desk.store import search_index
from gulou_desk.store.schema import RECORD_TABLES
from gulou_desk.store.sync_state import get_state, set_state

STATE = "bulk_load"
"""``sync_state`` key: ``{"dropped": [[type, name, sql], ...]}`` while a load is under
way."""

SEARCH_TRIGGER_PREFIX = "search_"

CACHE_KIB = 262_144
"""The page cache of a bulk load's transactions (256 MB: ``Store.write(bulk=True)``; the
store's other transactions have its usual :data:`~gulou_desk.store.engine.PAGE_CACHE_KIB`
set again, whichever pooled connection the load's ran on)."""


def under_way(session: Session) -> bool:
    return get_state(session, STATE) is not None


def nothing_synced(session: Session) -> bool:
    """Whether the store holds no synced record yet (a first sync is a bulk load)."""
    conn = session.connection()
    return not any(
        conn.exec_driver_sql(f'SELECT 1 FROM "{t.name}" LIMIT 1').first() is not None
        for t in RECORD_TABLES.values())


def begin(session: Session) -> None:
    """Drop the record tables' secondary indexes and the search triggers (in the caller's
    write transaction), noting how to make them again. Does nothing when a load is under
    way already."""
    if under_way(session):
        return
    conn = session.connection()
    tables = sorted(t.name for t in RECORD_TABLES.values())
    marks = ", ".join("?" * len(tables))
    dropped: list[list[Any]] = [
        [kind, name, sql] for kind, name, sql in conn.exec_driver_sql(
            "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND ("
            f"(type = 'index' AND tbl_name IN ({marks})) OR "
            "(type = 'trigger' AND name LIKE ?)) ORDER BY type, name",
            (*tables, f"{SEARCH_TRIGGER_PREFIX}%"))]
    for kind, name, _sql in dropped:
        conn.exec_driver_sql(f'DROP {kind.upper()} IF EXISTS "{name}"')
    set_state(session, STATE, {"dropped": dropped})


def finish(session: Session, helper: search_index.EntryHelper | None = None,
           ahead: search_index.NamesAhead | None = None) -> bool:
    """Make again what :func:`begin` dropped and build the search index (in the caller's
    write transaction; ``helper`` and ``ahead``: :func:`search_index.rebuild`'s). Returns
    whether a load was under way."""
    state = get_state(session, STATE)
    if state is None:
        return False
    conn = session.connection()
    for kind, name, sql in state.get("dropped", []):
        exists = conn.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE type = ? AND name = ?", (kind, name)).first()
        if exists is None:
            conn.exec_driver_sql(sql)
    search_index.rebuild(session, helper, ahead)
    set_state(session, STATE, None)
    return True
