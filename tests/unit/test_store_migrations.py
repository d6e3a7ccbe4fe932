"""Migrations of the local store: an upgrade path that keeps pending edits, and models that
match the migrations exactly."""

from __future__ import annotations

import json
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from gulou_desk.domain.workflows import Actor
from gulou_desk.store.engine import (
    BEGIN_IMMEDIATE,
    MIGRATIONS_DIR,
    Store,
    alembic_config,
    current_revision,
    open_store,
    store_engine,
    upgrade,
)
from gulou_desk.store.outbox import pending_count, pending_fields, pending_outbox
from gulou_desk.store.schema import METADATA, Draft, Outbox, RepullSeen
from gulou_desk.store.sync_state import SyncKey, get_state
from gulou_desk.store.usecases import update_record

FIRST = "0001"
HEAD = ScriptDirectory.from_config(alembic_config()).get_current_head()

OUTBOX_AT_0001 = [
    # seq, mutation_id, entity, record_id, op, base_version, fields, action, args
    (1, "m-1", "household", "h-1", "create", None,
     {"grid_id": "grid-1", "estate": "汇林绿洲", "head_name": "张三", "status": "active"},
     None, None),
    (2, "m-2", "household", "h-1", "update", None, {"phone": "13800000000"}, None, None),
    (3, "m-3", "ticket", "t-1", "action", 1041, None, "accept", {"event_id": "e-1"}),
]


def test_the_history_is_one_line_from_0001_to_head() -> None:
    script = ScriptDirectory.from_config(alembic_config())
    revisions = [r.revision for r in script.walk_revisions()]
    assert revisions[-1] == FIRST
    assert len(script.get_heads()) == 1
    assert (MIGRATIONS_DIR / "env.py").is_file()
    assert (MIGRATIONS_DIR / "script.py.mako").is_file()


def test_models_match_the_migrations(store_path: Path) -> None:
    """Of a store the migrations built (a new store is made from their snapshot, which
    ``tests/unit/test_store_engine.py`` holds to the same)."""
    store_path.parent.mkdir(parents=True)
    engine = store_engine(store_path)
    try:
        upgrade(engine, "head")
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            diff = compare_metadata(context, METADATA)
    finally:
        engine.dispose()
    assert diff == []


def test_upgrade_from_0001_keeps_the_outbox(store_path: Path, worker: Actor) -> None:
    store = open_store(store_path, revision=FIRST)
    assert current_revision(store.engine) == FIRST
    with store.engine.begin() as connection:
        assert "attempts" not in {c["name"] for c in sa.inspect(connection).get_columns("outbox")}
        for seq, mid, entity, rid, op, base, fields, action, args in OUTBOX_AT_0001:
            connection.execute(sa.text(
                "INSERT INTO outbox (seq, mutation_id, entity, record_id, op, base_version,"
                " fields, action, args, local_changes, created_at) VALUES (:seq, :mid, :entity,"
                " :rid, :op, :base, :fields, :action, :args, NULL,"
                " '2026-11-28T01:30:00.000000+00:00')"
            ), {"seq": seq, "mid": mid, "entity": entity, "rid": rid, "op": op, "base": base,
                "fields": json.dumps(fields) if fields else None, "action": action,
                "args": json.dumps(args) if args else None})
        connection.execute(sa.text(
            "INSERT INTO households (id, grid_id, estate, head_name, phone, status, tags)"
            " VALUES ('h-1', 'grid-1', '汇林绿洲', '张三', '13800000000', 'active', '[]')"
        ))
        connection.execute(sa.text(
            "INSERT INTO pending_bases (entity, record_id, version, data)"
            " VALUES ('household', 'h-1', NULL, NULL)"
        ))
    store.close()

    store = open_store(store_path)
    try:
        assert current_revision(store.engine) == HEAD
        with store.session() as session:
            rows = session.scalars(sa.select(Outbox).order_by(Outbox.seq)).all()
            got = [(m.seq, m.mutation_id, m.entity, m.record_id, m.op, m.base_version,
                    m.fields, m.action, m.args) for m in rows]
            assert got == OUTBOX_AT_0001
            assert all(m.attempts == 0 and m.last_error is None for m in rows)
            assert rows[0].created_at.isoformat() == "2026-11-28T01:30:00+00:00"
            assert pending_fields(session, "household", "h-1")["phone"] == "13800000000"
            assert session.scalars(sa.select(Draft)).all() == []
        # The upgraded store takes new edits after the old ones.
        update_record(store, "household", "h-1", {"head_name": "张四"}, actor=worker)
        with store.session() as session:
            assert [m.mutation_id for m in pending_outbox(session)] == ["m-1"]
            assert pending_count(session) == 4
            assert pending_fields(session, "household", "h-1")["head_name"] == "张四"
    finally:
        store.close()


def test_upgrade_from_0003_keeps_a_sync_under_way(store_path: Path, worker: Actor) -> None:
    store = open_store(store_path, revision="0003")
    with store.engine.begin() as connection:
        assert not sa.inspect(connection).has_table("repull_seen")
        connection.execute(sa.text(
            "INSERT INTO households (id, grid_id, estate, head_name, status, tags,"
            " sync_version) VALUES ('h-1', 'grid-1', '汇林绿洲', '张三', 'active', '[]', 7)"
        ))
        connection.execute(sa.text(
            "INSERT INTO outbox (seq, mutation_id, entity, record_id, op, base_version,"
            " fields, created_at, attempts) VALUES (1, 'm-1', 'household', 'h-1', 'update',"
            " 7, '{\"phone\": \"13800000000\"}', '2026-12-01T01:30:00.000000+00:00', 2)"
        ))
        connection.execute(sa.text(
            "INSERT INTO pending_bases (entity, record_id, version, data) VALUES"
            " ('household', 'h-1', 7, '{\"grid_id\": \"grid-1\", \"estate\": \"汇林绿洲\","
            " \"head_name\": \"张三\", \"status\": \"active\", \"tags\": []}')"
        ))
        connection.execute(sa.text(
            "INSERT INTO sync_state (key, value) VALUES ('cursor', '\"c-41\"')"))
        connection.execute(sa.text(
            "UPDATE households SET phone = '13800000000' WHERE id = 'h-1'"))
    store.close()

    store = open_store(store_path)
    try:
        assert current_revision(store.engine) == HEAD
        with store.session() as session:
            # The pull resumes where it was, with no re-pull under way …
            assert get_state(session, SyncKey.CURSOR) == "c-41"
            assert get_state(session, SyncKey.REPULL) is None
            assert session.scalars(sa.select(RepullSeen)).all() == []
            # … and the edit waiting to be pushed is still there.
            [waiting] = pending_outbox(session)
            assert (waiting.mutation_id, waiting.fields, waiting.attempts) == (
                "m-1", {"phone": "13800000000"}, 2)
            assert pending_fields(session, "household", "h-1")["phone"] == "13800000000"
        with store.write() as session:
            session.add(RepullSeen(entity="household", record_ids=["h-1"]))
        with store.session() as session:
            assert session.scalars(sa.select(RepullSeen.record_ids)).all() == [["h-1"]]
    finally:
        store.close()


def test_downgrade_to_nothing_and_back(local_store: Store) -> None:
    engine = local_store.engine
    for revision, step in (("base", command.downgrade), ("head", command.upgrade)):
        with engine.execution_options(**BEGIN_IMMEDIATE).begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            step(config, revision)
    assert current_revision(engine) == HEAD
    with engine.connect() as connection:
        tables = set(sa.inspect(connection).get_table_names())
    assert set(METADATA.tables) <= tables
