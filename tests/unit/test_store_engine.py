"""The local store's engine: SQLite set up once, sessions, write transactions."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory

from gulou_desk.db import SQLITE_BUSY_TIMEOUT_MS
from gulou_desk.store import cipher, schema_snapshot
from gulou_desk.store.engine import (
    BEGIN_IMMEDIATE,
    PAGE_CACHE_KIB,
    WAL_AUTOCHECKPOINT_PAGES,
    Store,
    alembic_config,
    create_at_head,
    current_revision,
    head_revision,
    migrate,
    open_store,
    store_engine,
)
from gulou_desk.store.schema import SyncState
from gulou_desk.store.sync_state import SyncKey, get_state, set_state


def _pragmas(connection: sa.Connection) -> tuple[str, int, int]:
    journal = connection.exec_driver_sql("PRAGMA journal_mode").scalar_one()
    foreign_keys = connection.exec_driver_sql("PRAGMA foreign_keys").scalar_one()
    busy = connection.exec_driver_sql("PRAGMA busy_timeout").scalar_one()
    return journal, foreign_keys, busy


def test_open_store_creates_the_folder_and_migrates_to_head(store_path: Path) -> None:
    assert not store_path.parent.exists()
    store = open_store(store_path)
    try:
        assert store_path.is_file()
        head = ScriptDirectory.from_config(alembic_config()).get_current_head()
        assert current_revision(store.engine) == head
    finally:
        store.close()


def test_the_head_and_a_store_s_revision_are_alembic_s(store_path: Path) -> None:
    """The app reads them without Alembic (its import is a fifth of a second of every
    start); Alembic's own answers are the reference."""
    from alembic.migration import MigrationContext

    assert head_revision() == ScriptDirectory.from_config(alembic_config()).get_current_head()
    store_path.parent.mkdir(parents=True)
    engine = store_engine(store_path)
    try:
        assert current_revision(engine) is None  # a new file: nothing migrated yet
        migrate(engine, "0005")
        with engine.connect() as connection:
            assert MigrationContext.configure(connection).get_current_revision() == "0005"
        assert current_revision(engine) == "0005"
    finally:
        engine.dispose()


@pytest.mark.parametrize("new", [False, True], ids=["up to date", "new"])
def test_opening_a_store_does_not_import_alembic(store_path: Path, new: bool) -> None:
    """Neither the usual start (a store up to date) nor a first sign-in (a new store,
    made from the snapshot) imports Alembic and runs migrations."""
    if not new:
        open_store(store_path).close()
    code = ("import sys; from pathlib import Path; "
            "from gulou_desk.store.engine import current_revision, head_revision, open_store; "
            f"store = open_store(Path({str(store_path)!r})); "
            "assert current_revision(store.engine) == head_revision(); store.close(); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'alembic'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).resolve().parents[2])
    assert out.stdout.strip() == "[]"


def _snapshot_script() -> Any:
    script = Path(__file__).resolve().parents[2] / "scripts" / "store_snapshot.py"
    spec = importlib.util.spec_from_file_location("store_snapshot_script", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _everything(path: Path) -> dict[str, Any]:
    """A store's schema (every ``sqlite_master`` row), settings and rows of every table
    that can be read row by row (FTS5's own tables among them)."""
    connection = cipher.dbapi().connect(str(path))
    try:
        master = sorted(connection.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall(), key=repr)
        pragmas = {name: connection.execute(f"PRAGMA {name}").fetchall() for name in (
            "user_version", "application_id", "auto_vacuum", "page_size", "encoding")}
        rows = {name: sorted(connection.execute(f'SELECT * FROM "{name}"').fetchall(),
                             key=repr)
                for (name,) in connection.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' "
                    "AND sql NOT LIKE 'CREATE VIRTUAL TABLE%'")}
        return {"sqlite_master": master, "pragmas": pragmas, "rows": rows}
    finally:
        connection.close()


def test_a_new_store_from_the_snapshot_is_the_one_the_migrations_make(tmp_path: Path) -> None:
    """``sqlite_master`` row for row (tables, indexes, triggers, FTS5 tables and theirs,
    the SQL text of each), the same settings and the same rows (FTS5's configuration,
    the revision stamped)."""
    migrated = _snapshot_script().migrated_store(tmp_path)
    made = tmp_path / "made" / "desk.sqlite"
    open_store(made).close()
    assert _everything(made) == _everything(migrated)
    assert _everything(made)["rows"]["alembic_version"] == [(head_revision(),)]


def test_the_snapshot_is_of_the_migrations_as_they_are() -> None:
    """A migration added or changed: ``scripts/store_snapshot.py`` makes the snapshot
    again (until it does, new stores are migrated as before: the next test)."""
    script = _snapshot_script()
    assert script.TARGET.read_text(encoding="utf-8") == script.snapshot(), (
        "the store's snapshot is not of its migrations: run scripts/store_snapshot.py")


def test_a_new_store_is_made_without_waiting_for_the_disk(store_path: Path) -> None:
    """Its commit can be lost to a power cut (the next open makes it again): NORMAL; the
    store's next transactions on that connection are FULL again."""
    levels: list[int] = []
    store_path.parent.mkdir(parents=True)
    engine = store_engine(store_path)

    @sa.event.listens_for(engine, "commit")
    def _committing(conn: sa.Connection) -> None:
        levels.append(conn.exec_driver_sql("PRAGMA synchronous").scalar_one())

    try:
        assert create_at_head(engine)
        assert levels == [1]
        with engine.execution_options(**BEGIN_IMMEDIATE).begin() as connection:
            connection.exec_driver_sql("INSERT INTO sync_state (key, value) VALUES ('a', '1')")
        assert levels == [1, 2]
    finally:
        engine.dispose()


def test_a_snapshot_of_another_revision_is_not_used(store_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """A snapshot left behind by a new migration makes nothing: the migrations do."""
    monkeypatch.setattr(schema_snapshot, "REVISION", "0019")
    store_path.parent.mkdir(parents=True)
    engine = store_engine(store_path)
    try:
        assert not create_at_head(engine)
        migrate(engine)
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()


def test_a_store_that_holds_anything_is_not_made_again(store_path: Path) -> None:
    store_path.parent.mkdir(parents=True)
    engine = store_engine(store_path)
    try:
        migrate(engine, "0005")
        assert not create_at_head(engine)
        assert current_revision(engine) == "0005"
        migrate(engine)
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()


def test_every_connection_has_wal_foreign_keys_and_busy_timeout(local_store: Store) -> None:
    expected = ("wal", 1, SQLITE_BUSY_TIMEOUT_MS)
    with local_store.session() as session:
        assert _pragmas(session.connection()) == expected
    with local_store.write() as session:
        assert _pragmas(session.connection()) == expected


def test_a_refetchable_write_alone_commits_without_syncing(local_store: Store) -> None:
    """``synchronous`` is the connection's: the FULL of every other transaction is set
    again after a refetchable one used the same pooled connection."""
    def level(session: sa.orm.Session) -> int:
        return int(session.connection().exec_driver_sql("PRAGMA synchronous").scalar_one())

    with local_store.write() as session:
        assert level(session) == 2
    with local_store.write(refetchable=True) as session:
        assert level(session) == 1
        set_state(session, SyncKey.CURSOR, "c1")
    with local_store.session() as session:
        assert level(session) == 2
    with local_store.write(refetchable=True) as session:
        assert level(session) == 1
    with local_store.write() as session:
        assert level(session) == 2
        assert get_state(session, SyncKey.CURSOR) == "c1"


def test_write_takes_the_write_lock_up_front(local_store: Store, store_path: Path) -> None:
    # The same SQLite library as the store's: two copies of SQLite in one process do not
    # see each other's POSIX locks (https://sqlite.org/howtocorrupt.html, 2.2.1).
    sqlcipher = cipher.dbapi()
    other = sqlcipher.connect(store_path, timeout=0, isolation_level=None)
    try:
        with local_store.write() as session:
            session.execute(sa.select(1))  # a read only: BEGIN IMMEDIATE locked already
            with pytest.raises(sqlcipher.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        other.execute("BEGIN IMMEDIATE")  # released at commit
        other.execute("ROLLBACK")
    finally:
        other.close()


def test_write_commits_on_success_and_rolls_back_on_error(local_store: Store) -> None:
    with local_store.write() as session:
        set_state(session, SyncKey.CURSOR, "c1")
    with pytest.raises(RuntimeError), local_store.write() as session:
        set_state(session, SyncKey.CURSOR, "c2")
        session.flush()
        raise RuntimeError("boom")
    with local_store.session() as session:
        assert get_state(session, SyncKey.CURSOR) == "c1"


def test_reopening_keeps_data_and_does_not_migrate_again(store_path: Path) -> None:
    with open_store(store_path) as store, store.write() as session:
        set_state(session, SyncKey.SERVER_URL, "https://gulou.example")
    with open_store(store_path) as store, store.session() as session:
        assert session.get(SyncState, "server_url") is not None
        assert get_state(session, "server_url") == "https://gulou.example"
        assert get_state(session, "missing", 7) == 7


def test_sync_state_none_removes_the_key(local_store: Store) -> None:
    with local_store.write() as session:
        set_state(session, SyncKey.USER, {"id": "u1", "role": "clerk"})
    with local_store.write() as session:
        assert get_state(session, SyncKey.USER) == {"id": "u1", "role": "clerk"}
        set_state(session, SyncKey.USER, None)
    with local_store.session() as session:
        assert get_state(session, SyncKey.USER) is None


def test_an_encrypted_store_keeps_a_large_page_cache(store_path: Path) -> None:
    """Every connection, set up after its key: SQLCipher decrypts each page it reads from
    the file, so a register sorted by name re-read the same pages on every keystroke with
    SQLite's 2 MB default (bench/initial_sync.py: client CPU of a supervisor's first sync
    −27 % with it)."""
    with open_store(store_path, key=cipher.new_key()) as store:
        with store.session() as session:
            size = session.connection().exec_driver_sql("PRAGMA cache_size").scalar_one()
        with store.write() as session:
            written = session.connection().exec_driver_sql("PRAGMA cache_size").scalar_one()
    assert size == written == -PAGE_CACHE_KIB
    assert PAGE_CACHE_KIB >= 16_384


def test_reads_one_after_another_reuse_the_connection_given_back_last(
        local_store: Store) -> None:
    """Each connection keeps its own page cache (32 MB in a district store): reads in turn
    keep to the warm one instead of filling every connection's cache."""
    import threading

    barrier = threading.Barrier(3)
    seen: list[int] = []

    def overlapping() -> None:
        with local_store.session() as session:
            seen.append(id(session.connection().connection.dbapi_connection))
            barrier.wait(timeout=10)

    threads = [threading.Thread(target=overlapping) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(seen)) == 3  # three connections in the pool now
    used = set()
    for _ in range(6):
        with local_store.session() as session:
            session.execute(sa.text("SELECT 1"))
            used.add(id(session.connection().connection.dbapi_connection))
    assert len(used) == 1


def test_a_commit_may_leave_the_wal_to_a_checkpoint_made_on_a_thread(
        local_store: Store, store_path: Path) -> None:
    """``defer_checkpoint``: the commit copies nothing into the store file (the end of a
    first sync does not wait for it); ``checkpoint_soon`` copies it on a thread of its
    own; the connection's next transactions checkpoint by themselves again."""

    def write_a_lot(defer: bool) -> None:
        with local_store.write() as session:
            if defer:
                local_store.defer_checkpoint(session)
            for n in range(1500):  # 6 MB: past the 1,000 pages of WAL that checkpoint
                set_state(session, f"probe {defer} {n}", "x" * 4000)

    size = store_path.stat().st_size
    write_a_lot(defer=True)
    assert store_path.stat().st_size == size
    local_store.checkpoint_soon()
    local_store.wait_for_checkpoint()
    folded = store_path.stat().st_size
    assert folded > size + 5_000_000
    with local_store.write() as session:
        assert session.connection().exec_driver_sql(
            "PRAGMA wal_autocheckpoint").scalar_one() == WAL_AUTOCHECKPOINT_PAGES
    write_a_lot(defer=False)  # written again: the commit checkpoints by itself
    assert store_path.stat().st_size > folded + 5_000_000


def test_a_checkpoint_asked_for_after_the_store_closed_opens_nothing(
        local_store: Store) -> None:
    """The app quitting as a first sync ends: close() on the GUI thread, then the sync's
    thread asks for its checkpoint. It is left to the next open; no connection is opened
    on the closed store (it would stay open, and the file in use)."""
    with local_store.write() as session:
        local_store.defer_checkpoint(session)
        for n in range(1500):
            set_state(session, f"probe {n}", "x" * 4000)
    opened: list[object] = []
    sa.event.listen(local_store.engine, "connect", lambda *args: opened.append(args))
    local_store.close()
    local_store.checkpoint_soon()
    local_store.wait_for_checkpoint()
    assert opened == []


def test_closing_interrupts_a_checkpoint_and_loses_nothing(
        local_store: Store, store_path: Path) -> None:
    """close() runs on the GUI thread (signing out, quitting) and used to wait for the
    checkpoint that a first sync's end left on a thread: the window froze while a
    district's hundreds of MB of WAL were copied. It interrupts the checkpoint now; the
    WAL keeps every commit, and the store opened again has them all."""
    with local_store.write() as session:
        local_store.defer_checkpoint(session)
        for n in range(15_000):  # 60 MB of WAL
            set_state(session, f"probe {n}", "x" * 4000)
    size = store_path.stat().st_size
    started = threading.Event()

    def checkpoint_begins(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if "wal_checkpoint" in statement:
            started.set()

    sa.event.listen(local_store.engine, "before_cursor_execute", checkpoint_begins)
    local_store.checkpoint_soon()
    assert started.wait(10)
    local_store.close()
    copied = store_path.stat().st_size - size
    assert copied < 30_000_000, f"close() let the checkpoint copy {copied:,} bytes"
    again = open_store(store_path)
    try:
        with again.session() as session:
            assert get_state(session, "probe 14999") == "x" * 4000
            assert session.scalar(sa.select(sa.func.count()).select_from(SyncState)
                                  .where(SyncState.key.like("probe %"))) == 15_000
    finally:
        again.close()
