"""The server's migrations build exactly the schema the code declares."""

from __future__ import annotations

import datetime as dt
import json

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from server import audit
from server.database import alembic_config, make_engine, migrate
from server.schema import RECORD_TABLES, audit_log, change_log, metadata
from server.scope import Principal


def test_migrations_match_the_declared_schema(empty_db_url: str) -> None:
    engine = make_engine(empty_db_url)
    migrate(engine)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    engine.dispose()
    assert diff == []


def test_migrate_twice_is_harmless(empty_db_url: str) -> None:
    engine = make_engine(empty_db_url)
    migrate(engine)
    migrate(engine)
    with engine.connect() as conn:
        version = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    engine.dispose()
    assert version == ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def test_households_held_get_their_first_write_as_registration(empty_db_url: str) -> None:
    """0012: a household the audit log knows gets its first write's time as
    ``created_at`` (column and stored wire data); one it does not know keeps none."""
    engine = make_engine(empty_db_url)
    migrate(engine, "0011")
    known, unknown = "h-known", "h-unknown"
    wire = '{"estate": "新村", "head_name": "老户"}'
    with engine.begin() as conn:
        for hid in (known, unknown):
            conn.execute(sa.text(
                "INSERT INTO households (id, estate, head_name, sync_version, field_versions, "
                "wire) VALUES (:id, '新村', '老户', 1, '{}', :wire)"), {"id": hid, "wire": wire})
        for at in ("2025-03-02T01:00:00+00:00", "2024-07-01T02:30:00+00:00"):
            conn.execute(sa.insert(audit_log).values(
                at=dt.datetime.fromisoformat(at), entity="household", record_id=known,
                op="update", fields=[], changes={}, keys=[]))
    migrate(engine)
    with engine.connect() as conn:
        rows = {r.id: r for r in conn.execute(sa.select(RECORD_TABLES["household"]))}
    engine.dispose()
    first = dt.datetime(2024, 7, 1, 2, 30, tzinfo=dt.UTC)
    assert rows[known].created_at == first
    assert dt.datetime.fromisoformat(json.loads(rows[known].wire)["created_at"]) == first
    assert json.loads(rows[known].wire)["head_name"] == "老户"
    assert rows[unknown].created_at is None
    assert "created_at" not in json.loads(rows[unknown].wire)


def test_announcements_for_every_grid_get_their_social_workers_key(empty_db_url: str) -> None:
    """0017: a live announcement with no targets gets ``cg:<community>`` at its version;
    a targeted one, or one no longer keyed (deleted), gets none."""
    engine = make_engine(empty_db_url)
    migrate(engine, "0016")
    with engine.begin() as conn:
        for aid, grids, version in (("a-every", "[]", 7), ("a-none", None, 8),
                                    ("a-grid", '["g1"]', 9), ("a-gone", "[]", None)):
            conn.execute(sa.text(
                "INSERT INTO announcements (id, community_id, grid_ids, sync_version, "
                "field_versions, wire) VALUES (:id, 'c1', :grids, 1, '{}', '{}')"),
                {"id": aid, "grids": grids})
            if version is not None:
                conn.execute(sa.text(
                    "INSERT INTO record_key (key, entity, record_id, version) "
                    "VALUES ('c:c1', 'announcement', :id, :v)"), {"id": aid, "v": version})
    migrate(engine, "0017")
    with engine.connect() as conn:
        keys = set(conn.execute(sa.text(
            "SELECT key, record_id, version FROM record_key WHERE key LIKE 'cg:%'")).all())
    engine.dispose()
    assert keys == {("cg:c1", "a-every", 7), ("cg:c1", "a-none", 8)}


def test_announcements_for_every_grid_reach_social_workers_only_once_published(
        empty_db_url: str) -> None:
    """0018: 0017 keyed drafts too. A draft's and a cancelled one's ``cg:`` key goes, with
    a change-log entry under it (a worker who pulled it is told to drop it); a scheduled
    one keeps its key, and the history of one written before 0017 (its entries keyed
    ``c:`` only) is read by the workers who see it now."""
    engine = make_engine(empty_db_url)
    migrate(engine, "0016")
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO sync_counter (name, value) VALUES ('version', 20)"))
        conn.execute(sa.text(
            "INSERT INTO grids (id, community_id, worker_ids, sync_version, field_versions, "
            "wire) VALUES ('g1', 'c1', '[\"w1\"]', 1, '{}', '{}')"))
        for aid, status, version in (("a-sent", "sent", 7), ("a-draft", "draft", 8),
                                     ("a-gone", "cancelled", 9)):
            conn.execute(sa.text(
                "INSERT INTO announcements (id, community_id, grid_ids, status, sync_version, "
                "field_versions, wire) VALUES (:id, 'c1', '[]', :status, :v, '{}', '{}')"),
                {"id": aid, "status": status, "v": version})
            conn.execute(sa.text(
                "INSERT INTO record_key (key, entity, record_id, version) "
                "VALUES ('c:c1', 'announcement', :id, :v)"), {"id": aid, "v": version})
            conn.execute(sa.insert(audit_log).values(
                at=dt.datetime(2026, 12, 1, tzinfo=dt.UTC), entity="announcement",
                record_id=aid, op="create", version=version, fields=["status"],
                changes={"status": [None, status]}, keys=["c:c1"]))
    migrate(engine)
    worker = Principal("w1", "worker1", "社工", "social_worker", None, None)
    with engine.begin() as conn:
        keys = set(conn.execute(sa.text(
            "SELECT key, record_id FROM record_key WHERE key LIKE 'cg:%'")).all())
        log = {r.record_id: r for r in conn.execute(sa.select(change_log))}
        seen = {aid: audit.history(conn, worker, "announcement", aid)
                for aid in ("a-sent", "a-draft")}
    engine.dispose()
    assert keys == {("cg:c1", "a-sent")}
    assert set(log) == {"a-draft", "a-gone"}
    assert sorted(log["a-draft"].old_keys) == ["c:c1", "cg:c1"]
    assert log["a-draft"].new_keys == ["c:c1"] and log["a-draft"].version > 20
    assert [e["op"] for e in seen["a-sent"] or []] == ["create"]
    assert seen["a-draft"] is None
