"""A pull from no cursor is a bulk load (gulou_desk/store/bulk_load.py): indexes and the
search triggers go while it runs, and come back, with the search index built once, at
its end — however it ends (done, failed, cut short by a crash)."""

from __future__ import annotations

import multiprocessing
import threading
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import sqlalchemy as sa

from gulou_desk.store import bulk_load
from gulou_desk.store.engine import PAGE_CACHE_KIB, Store, open_store
from gulou_desk.store.schema import RECORD_TABLES
from gulou_desk.store.search import search_households
from gulou_desk.store.sync_state import set_state
from gulou_desk.store.usecases import update_record
from sync.engine import BULK_GROUP_PAGES
from tests.conftest import LiveServer
from tests.proxy import FaultyProxy
from tests.sync.conftest import make_device
from tests.world import World


def _schema(store: Store) -> set[tuple[str, str, str]]:
    """The store's indexes and triggers (what a bulk load takes away for a while)."""
    with store.session() as s:
        return {tuple(r) for r in s.connection().exec_driver_sql(
            "SELECT type, name, sql FROM sqlite_master "
            "WHERE type IN ('index', 'trigger') AND sql IS NOT NULL")}


def _found(store: Store, text: str) -> list[str]:
    with store.session() as s:
        return [h.head_name for h in search_households(s, text)]


def _under_way(store: Store) -> bool:
    with store.session() as s:
        return bulk_load.under_way(s)


def test_a_first_sync_leaves_every_index_trigger_and_search_entry(
        devices: Any, world: World) -> None:
    w1 = devices("worker1")
    before = _schema(w1.store)
    assert any(kind == "trigger" for kind, _, _ in before)
    w1.sync()
    assert _schema(w1.store) == before
    assert not _under_way(w1.store)
    assert _found(w1.store, "zhangsan") == ["张三"]
    # and from then on the index is kept in step, edit by edit
    update_record(w1.store, "household", world["hA1"], {"head_name": "张三丰"},
                  actor=w1.actor())
    assert _found(w1.store, "zhangsanfeng") == ["张三丰"]


def _cache_kib(session: Any) -> int:
    return -int(session.connection().exec_driver_sql("PRAGMA cache_size").scalar())


def test_a_bulk_loads_transactions_alone_have_the_larger_page_cache(tmp_path: Path) -> None:
    """A bulk load's transactions get CACHE_KIB. The setting stays on the connection: a
    register read while a first sync ran took the connection the load had written on
    (the pool hands out the one given back last) and kept 256 MB for the rest of the
    session, while the load's end set the usual cache on another. Every transaction
    now sets its own."""
    store = open_store(tmp_path / "store.sqlite")
    try:
        with store.session() as reader:  # holds one connection while the load writes
            usual = _cache_kib(reader)
            with store.write(bulk=True) as session:
                assert _cache_kib(session) == bulk_load.CACHE_KIB > usual
        with store.session() as first, store.session() as second:  # both connections
            assert _cache_kib(first) == _cache_kib(second) == usual
        with store.write(bulk=True) as session:
            assert _cache_kib(session) == bulk_load.CACHE_KIB
        with store.write() as session:
            assert _cache_kib(session) == usual
    finally:
        store.close()


def test_a_pull_that_fails_half_way_still_makes_what_it_brought_searchable(
        devices: Any, world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    import sync.engine as engine_module

    w1 = devices("worker1", page_size=2)
    before = _schema(w1.store)
    real_apply = engine_module.apply_page
    households = {"seen": False}

    def fail_after_the_first_households(session: Any, changes: Any, cursor: str) -> Any:
        if households["seen"]:
            raise RuntimeError("disk full")
        households["seen"] = any(c.entity == "household" for c in changes)
        return real_apply(session, changes, cursor)

    monkeypatch.setattr(engine_module, "apply_page", fail_after_the_first_households)
    with pytest.raises(RuntimeError, match="disk full"):
        w1.sync()
    assert not _under_way(w1.store)
    assert _schema(w1.store) == before
    with w1.store.session() as s:
        held = s.scalar(sa.text("SELECT count(*) FROM households"))
        indexed = s.scalar(sa.text("SELECT count(*) FROM search_docs"))
    assert held and indexed == held
    monkeypatch.setattr(engine_module, "apply_page", real_apply)
    w1.sync()  # goes on from its cursor, as an ordinary pull
    assert _found(w1.store, "zhangsan") == ["张三"]


def test_a_bulk_load_cut_short_by_a_crash_is_finished_when_the_store_opens(
        devices: Any, world: World) -> None:
    w1 = devices("worker1")
    before = _schema(w1.store)
    w1.sync()
    with w1.store.write() as s:  # as if the app died in the middle of a first sync
        bulk_load.begin(s)
    assert not any(kind == "trigger" for kind, _, _ in _schema(w1.store))
    path = w1.store.path
    w1.store.close()
    again = open_store(path)
    try:
        assert not _under_way(again)
        assert _schema(again) == before
        assert _found(again, "zhangsan") == ["张三"]
    finally:
        again.close()


def test_an_edit_made_during_a_bulk_load_is_searchable_after_it(
        devices: Any, world: World) -> None:
    w1 = devices("worker1")
    w1.sync()
    with w1.store.write() as s:
        bulk_load.begin(s)
    update_record(w1.store, "household", world["hA1"], {"head_name": "张三丰"},
                  actor=w1.actor())
    w1.engine._finish_bulk_load()
    assert _found(w1.store, "zhangsanfeng") == ["张三丰"]
    assert _found(w1.store, "zhangsan") == ["张三丰"]


def test_a_re_pull_into_a_full_store_is_no_bulk_load(
        devices: Any, world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """A re-pull sends mostly the rows held: written again unchanged they leave the search
    index as it is, which is cheaper than building it again."""
    from gulou_desk.store.sync_state import SyncKey, get_state, set_state

    w1 = devices("worker1")
    w1.sync()
    begun: list[bool] = []
    real_begin = bulk_load.begin
    monkeypatch.setattr(bulk_load, "begin", lambda s: begun.append(True) or real_begin(s))
    with w1.store.write() as s:  # a cursor the server refuses (its secret changed)
        cursor = get_state(s, SyncKey.CURSOR)
        set_state(s, SyncKey.CURSOR, cursor[:-4] + ("AAAA" if cursor[-4:] != "AAAA"
                                                      else "BBBB"))
    w1.sync()
    assert begun == []
    assert _found(w1.store, "zhangsan") == ["张三"]


def test_the_garbage_collector_hears_of_a_bulk_load_while_it_runs_and_only_then(
        devices: Any, world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """gulou_desk.bulk_work: the app's collector freezes instead of collecting while a
    first sync runs (ui/gc_tuning.py), so the engine must say when one runs, and say
    when it ends however it ends; a pull after it and a re-pull are no bulk load."""
    import sync.engine as engine_module
    from gulou_desk import bulk_work
    from gulou_desk.store.sync_state import SyncKey, get_state

    w1 = devices("worker1", page_size=5)
    real_apply = engine_module.apply_page
    seen: list[bool] = []
    fail = {"now": True}

    def note(session: Any, changes: Any, cursor: str) -> Any:
        seen.append(bulk_work.under_way())
        if fail["now"] and len(seen) == 3:
            raise RuntimeError("disk full")
        return real_apply(session, changes, cursor)

    monkeypatch.setattr(engine_module, "apply_page", note)
    with pytest.raises(RuntimeError, match="disk full"):
        w1.sync()
    assert seen == [True, True, True]
    assert not bulk_work.under_way()  # a failed load says it ended too
    fail["now"] = False
    seen.clear()
    w1.sync()  # goes on from its cursor, as an ordinary pull: the load ended
    assert seen and not any(seen)
    seen.clear()
    with w1.store.write() as s:  # a cursor the server refuses: a re-pull
        cursor = get_state(s, SyncKey.CURSOR)
        set_state(s, SyncKey.CURSOR, cursor[:-4] + ("AAAA" if cursor[-4:] != "AAAA"
                                                      else "BBBB"))
    w1.sync()
    assert seen and not any(seen)


def test_the_register_lists_the_households_pulled_so_far_while_a_first_sync_runs(
        devices: Any, world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """The search index is built only at the end of a bulk load; until then the register
    lists, by name, every household already in the store (a search finds nothing yet)."""
    import sync.engine as engine_module
    from gulou_desk.store.household_queries import register_pages
    from gulou_desk.store.search import count_households

    w1 = devices("worker1", page_size=2)
    real_apply = engine_module.apply_page
    seen: list[tuple[list[str], list[str], int, bool]] = []

    def look_before_each_page(session: Any, changes: Any, cursor: str) -> Any:
        # What a person opening the list sees now: the pages committed so far.
        with w1.store.session() as s:
            held = sorted(s.scalars(sa.text("SELECT head_name FROM households")))
            read = register_pages(s, "", None, [0], 50)
            listed = [h.head_name for h in read.pages[0]]
            seen.append((held, listed, count_households(s, "zhangsan"), read.indexed))
        return real_apply(session, changes, cursor)

    monkeypatch.setattr(engine_module, "apply_page", look_before_each_page)
    w1.sync()
    mid_sync = [s for s in seen if s[0]]
    assert mid_sync, "households arrived before the last page"
    for held, listed, found, indexed in mid_sync:
        assert listed == held  # every one held, sorted by name
        assert not indexed
        assert found == 0  # the search waits for the index
    assert _found(w1.store, "zhangsan") == ["张三"]
    with w1.store.session() as s:
        assert register_pages(s, "", None, [0], 50).indexed


_CHILD = """
import sys, time, uuid
from pathlib import Path
import sync.engine as engine_module
from gulou_desk.store.engine import open_store
from sync.client import ApiClient
from sync.engine import SyncEngine

url, path, user, password = sys.argv[1:5]
real_apply = engine_module.apply_page

def apply_page(session, changes, cursor):
    result = real_apply(session, changes, cursor)
    print("page", flush=True)
    return result

engine_module.apply_page = apply_page
store = open_store(Path(path))

def finish(session, helper=None):  # the bulk load's end, in the last pages' transaction
    print("finish", flush=True)
    time.sleep(60)

engine_module.bulk_load.finish = finish
client = ApiClient(url, retries=0)
client.login(user, password, str(uuid.uuid4()), "kill test")
SyncEngine(store, client, client_id=str(uuid.uuid4()), page_size=2).run_cycle()
"""


@pytest.mark.parametrize("killed_after", [BULK_GROUP_PAGES + 3, "finish"])
def test_a_first_sync_killed_mid_way_converges_when_the_app_starts_again(
        devices: Any, world: World, live_server: Any, tmp_path: Any,
        killed_after: Any) -> None:
    """kill -9 of the app during a first sync (a group of pages committed and the next
    one half written, the bulk load under way; or at its very end): the next start
    finishes the bulk load, the next sync resumes after the last page committed, and the
    store holds what a fresh sync brings (each record at its version, nothing twice),
    searchable, every index and trigger back."""
    import os
    import signal
    import subprocess
    import sys
    from pathlib import Path

    from gulou_desk.store.schema import RECORD_TABLES
    from tests.stores import new_store
    from tests.world import PASSWORD

    fresh = devices("clerk1")
    fresh.sync()
    path = Path(tmp_path) / "killed" / "desk.sqlite"
    new_store(path).close()
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD, live_server.url, str(path), "clerk1", PASSWORD],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        cwd=Path(__file__).resolve().parents[2])
    assert child.stdout is not None
    pages = 0
    try:
        for line in child.stdout:
            pages += line.strip() == "page"
            if (killed_after == "finish" and line.strip() == "finish") or \
                    pages == killed_after:
                break
        else:
            pytest.fail("the first sync ended before it could be killed")
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        child.stdout.close()
    assert child.returncode == -signal.SIGKILL
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(path)) as raw:  # what the killed app left: a load under way
        left = dict(raw.execute("SELECT key, value FROM sync_state").fetchall())
    assert left.get(bulk_load.STATE) not in (None, "null")
    assert left.get("cursor") not in (None, "null")
    again = open_store(path)
    try:
        assert not _under_way(again)
        assert _schema(again) == _schema(fresh.store)
        from sync.client import ApiClient
        from sync.engine import SyncEngine

        client = ApiClient(live_server.url, retries=1, backoff=0.01)
        client.login("clerk1", PASSWORD, "again", "pytest")
        SyncEngine(again, client, client_id="again", page_size=2).run_cycle()
        for entity, table in RECORD_TABLES.items():
            with again.session() as a, fresh.store.session() as b:
                mine = sorted(a.execute(sa.select(table.c.id, table.c.sync_version)))
                theirs = sorted(b.execute(sa.select(table.c.id, table.c.sync_version)))
            assert mine == theirs, entity
        assert _found(again, "zhangsan") == _found(fresh.store, "zhangsan") != []
    finally:
        again.close()


def test_a_first_sync_commits_several_pages_at_once(
        devices: Any, world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """A bulk load writes up to BULK_GROUP_PAGES pages per transaction, each with its
    cursor: every commit writes again (and encrypts again) the index pages it shares with
    the one before. A re-pull still commits page by page."""
    w1 = devices("worker1", page_size=1)
    real_write = w1.store.write
    writes: list[int] = []

    def counted(**options: Any) -> Any:
        writes.append(1)
        return real_write(**options)

    monkeypatch.setattr(w1.store, "write", counted)
    report = w1.sync()
    pages = report.pulled
    assert pages > 2 * BULK_GROUP_PAGES
    # the look at the outbox (which writes nothing), the groups (a page slower than
    # BULK_GROUP_WAIT_S on a loaded machine ends its group early), the last one with the
    # bulk load's end and the cycle's end
    assert -(-pages // BULK_GROUP_PAGES) + 1 <= len(writes) < pages // 2
    assert _found(w1.store, "zhangsan") == ["张三"]


def test_the_last_pages_the_bulk_load_s_end_and_the_cycle_s_end_commit_at_once(
        devices: Any, world: World) -> None:
    """The transaction of a first sync's last pages also makes the indexes and the search
    index, and notes the cycle's end: one commit, not three (each writing again, and
    encrypting again, pages the one before wrote). A social worker's first sync fits in
    one group of pages: it commits once."""
    w1 = devices("worker1")
    commits: list[tuple[Any, ...]] = []

    @sa.event.listens_for(w1.store.engine, "commit")
    def _committing(conn: sa.Connection) -> None:
        state = dict(conn.exec_driver_sql("SELECT key, value FROM sync_state").all())
        commits.append((state.get("cursor"), state.get(bulk_load.STATE),
                        state.get("last_sync_at"),
                        conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar_one()))

    report = w1.sync()
    w1.store.wait_for_checkpoint()
    assert report.pulled > 0
    written = [c for c in commits if c[0] is not None]
    assert len(written) == 1, commits
    _cursor, load, ended, autocheckpoint = written[0]
    assert load is None and ended is not None  # the load finished, the cycle's end noted
    assert commits[-1] == written[0]  # nothing committed after it
    # and its commit does not wait for the WAL to be copied into the store file: a thread
    # does it after (Store.checkpoint_soon)
    assert autocheckpoint == 0
    assert _found(w1.store, "zhangsan") == ["张三"]


def test_a_full_group_takes_the_last_page_when_it_is_here_already(
        devices: Any, world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """A group of pages full to its bounds still takes the pull's last page when it has
    come already: the last page's transaction ends the bulk load and the cycle, and a
    commit of the group before it would only be waited for. (A social worker's first
    sync: a group of 16,000 changes and a last page of 638.)"""
    import sync.engine as engine_module

    pages = devices("worker1").sync().pulled  # one page a record, below
    w1 = devices("worker1", page_size=1)
    monkeypatch.setattr(engine_module, "BULK_GROUP_PAGES", pages - 1)
    real_apply = engine_module.apply_page
    applied: list[str] = []

    def slow_apply(session: Any, changes: Any, cursor: str) -> Any:
        applied.append(cursor)
        if len(applied) == pages - 1:  # the group's last: the pull's last page comes
            time.sleep(1.0)            # meanwhile, however loaded the machine
        return real_apply(session, changes, cursor)

    monkeypatch.setattr(engine_module, "apply_page", slow_apply)
    moved: list[str] = []
    cursors: list[str | None] = [None]

    @sa.event.listens_for(w1.store.engine, "commit")
    def _committing(conn: sa.Connection) -> None:
        cursor = conn.exec_driver_sql(
            "SELECT value FROM sync_state WHERE key = 'cursor'").scalar_one_or_none()
        if cursor != cursors[-1]:
            moved.append(cursor)
        cursors.append(cursor)

    assert w1.sync().pulled == pages
    assert len(moved) == 1  # not the group of pages - 1, then the last page
    assert not _under_way(w1.store)
    assert _found(w1.store, "zhangsan") == ["张三"]


def test_a_stalled_network_commits_what_came_and_keeps_no_lock_while_it_waits(
        live_server: LiveServer, world: World, tmp_path: Path) -> None:
    """A group of pages never waits for the network with the store's write lock held:
    the pages pulled before a stall are committed (the register lists them), and an edit
    made meanwhile gets the lock at once — it used to wait for the next page, or for
    SQLite's busy timeout (15 s) and fail."""
    proxy = FaultyProxy(live_server.url).start()
    device = make_device(SimpleNamespace(url=proxy.url), tmp_path, "worker1", page_size=1)
    try:
        proxy.hold_pulls(after=3)
        syncing = threading.Thread(target=device.sync, daemon=True)
        syncing.start()
        deadline = time.monotonic() + 30
        while not proxy.held() and time.monotonic() < deadline:
            time.sleep(0.02)
        assert proxy.held()
        took: list[float] = []

        def edit() -> None:
            started = time.monotonic()
            with device.store.write() as session:
                set_state(session, "probe", "an edit while the network stalls")
            took.append(time.monotonic() - started)

        editing = threading.Thread(target=edit, daemon=True)
        editing.start()
        editing.join(timeout=3)
        assert took and took[0] < 1.5, took
        with device.store.session() as session:
            held = sum(session.connection().exec_driver_sql(
                f'SELECT count(*) FROM "{t.name}"').scalar_one()
                for t in RECORD_TABLES.values())
        assert held == 3  # the three pages that came, committed
    finally:
        proxy.release()
        syncing.join(timeout=60)
        proxy.stop()
        device.store.close()


@pytest.mark.parametrize("helper", ["none", "cannot start"])
def test_names_are_made_ahead_while_a_first_sync_waits_and_the_index_is_the_same(
        live_server: LiveServer, world: World, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, helper: str) -> None:
    """search_index.NamesAhead: while the network holds a first sync's next page back,
    the engine makes the words of the names it wrote so far; the rebuild at the load's
    end takes them, and builds the index a rebuild of its own builds. A pull big enough
    for the index helper gives them up (the helper makes the names), but not when the
    helper could not start (review2: the rebuild then made every name itself)."""
    import sync.engine as engine_module
    from gulou_desk.store import search_index

    if helper == "cannot start":
        monkeypatch.setattr(engine_module, "INDEX_HELPER_RECORDS", 1)
        monkeypatch.setattr(search_index.EntryHelper, "start",
                            staticmethod(lambda: search_index.EntryHelper(None)))

    real_rebuild = search_index.rebuild
    ahead_at_rebuild: list[set[str]] = []

    def rebuild(session: Any, helper: Any = None, ahead: Any = None) -> int:
        ahead_at_rebuild.append(set(ahead.names) if ahead is not None else set())
        return real_rebuild(session, helper, ahead)

    monkeypatch.setattr(search_index, "rebuild", rebuild)
    proxy = FaultyProxy(live_server.url).start()
    device = make_device(SimpleNamespace(url=proxy.url), tmp_path, "worker1", page_size=2)
    try:
        proxy.hold_pulls(after=8)  # of 11: the first households and residents came
        syncing = threading.Thread(target=device.sync, daemon=True)
        syncing.start()
        deadline = time.monotonic() + 30
        while not proxy.held() and time.monotonic() < deadline:
            time.sleep(0.02)
        assert proxy.held()
        written: set[str] = set()
        while not written and time.monotonic() < deadline:  # committed while it waits
            time.sleep(0.05)
            with device.store.session() as session:
                written = {n for (n,) in session.connection().exec_driver_sql(
                    "SELECT head_name FROM households UNION SELECT name FROM residents")}
        time.sleep(0.1)  # and it goes on waiting, making their words
        proxy.release()
        syncing.join(timeout=60)
        assert not syncing.is_alive()
        assert written and len(ahead_at_rebuild) == 1
        assert written <= ahead_at_rebuild[0]  # made while it waited
        with device.store.session() as session:
            as_made = session.connection().exec_driver_sql(
                "SELECT * FROM search_docs ORDER BY household_id").all()
        monkeypatch.setattr(search_index, "rebuild", real_rebuild)
        with device.store.write() as session:
            search_index.rebuild(session)
        with device.store.session() as session:
            assert session.connection().exec_driver_sql(
                "SELECT * FROM search_docs ORDER BY household_id").all() == as_made
        assert _found(device.store, "zhangsan") == ["张三"]
    finally:
        proxy.release()
        syncing.join(timeout=60)
        proxy.stop()
        device.store.close()


def test_pulled_pages_commit_without_waiting_for_the_disk_and_edits_still_wait(
        devices: Any, world: World) -> None:
    """A pulled page is written again by the next pull when a power cut loses it (its
    cursor goes with it), so its commit does not sync the WAL (``synchronous=NORMAL``);
    every other commit (the push's, an edit's on the same pooled connection afterwards)
    has reached the disk when it returns (FULL)."""
    w1 = devices("worker1", page_size=2)
    commits: list[tuple[bool, int, int]] = []  # (the cursor moved, synchronous, cache)
    cursors: list[str | None] = [None]

    @sa.event.listens_for(w1.store.engine, "commit")
    def _committing(conn: sa.Connection) -> None:
        cursor = conn.exec_driver_sql(
            "SELECT value FROM sync_state WHERE key = 'cursor'").scalar_one_or_none()
        commits.append((cursor != cursors[-1],
                        conn.exec_driver_sql("PRAGMA synchronous").scalar_one(),
                        -conn.exec_driver_sql("PRAGMA cache_size").scalar_one()))
        cursors.append(cursor)

    w1.sync()  # a first sync: a bulk load, its pages with the larger cache
    assert {(level, kib) for moved, level, kib in commits if moved} == {
        (1, bulk_load.CACHE_KIB)}  # NORMAL: pages
    assert 2 in {level for moved, level, _ in commits if not moved}  # FULL: the rest
    assert [c for c in commits if not c[0] and c[1] == 2 and c[2] != PAGE_CACHE_KIB] == []
    commits.clear()
    update_record(w1.store, "household", world["hA1"], {"head_name": "张三丰"},
                  actor=w1.actor())
    assert commits == [(False, 2, PAGE_CACHE_KIB)]


def test_a_big_first_sync_indexes_with_a_helper_process_and_stops_it(
        devices: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """A first sync whose server says it is big starts the search index's helper process
    as its first page comes, builds the index with it, and stops it when the pull ends."""
    from gulou_desk.store import search_index
    started: list[search_index.EntryHelper] = []
    start = search_index.EntryHelper.start

    def recorded() -> search_index.EntryHelper:
        started.append(start())
        deadline = time.monotonic() + 60
        while not started[-1].up():  # a street's pull gives it seconds to come up
            assert time.monotonic() < deadline, "the helper never came up"
            time.sleep(0.05)
        return started[-1]

    monkeypatch.setattr(search_index.EntryHelper, "start", staticmethod(recorded))
    monkeypatch.setattr(search_index, "_REBUILD_CHUNK", 1)
    small = devices("worker1")
    small.sync()  # far fewer records than INDEX_HELPER_RECORDS: no helper
    assert started == [] and _found(small.store, "zhangsan") == ["张三"]
    monkeypatch.setattr("sync.engine.INDEX_HELPER_RECORDS", 1)
    w1 = devices("worker1")
    w1.sync()
    assert len(started) == 1 and started[0].chunks > 0 and not started[0].up()
    _no_helper_left()
    assert _found(w1.store, "zhangsan") == ["张三"]
    assert not _under_way(w1.store)
    assert _schema(w1.store) == _schema(small.store)


def _no_helper_left() -> None:
    """The helper's process ends by itself once closed (not waited for)."""
    deadline = time.monotonic() + 30
    while multiprocessing.active_children():
        assert time.monotonic() < deadline, "the helper process outlived its pull"
        time.sleep(0.05)


def test_a_helper_that_cannot_start_changes_nothing_but_the_speed(
        devices: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No file handles left, no shared memory for the pool's locks …: the helper is not
    there, and a big first sync, and a store opened with a bulk load under way, index
    without it (a helper that failed to start once failed every first sync and every
    opening of that store)."""
    import errno

    from gulou_desk.store import search_index

    def no_process(*args: Any, **kwargs: Any) -> Any:
        raise OSError(errno.EMFILE, "Too many open files")

    monkeypatch.setattr(search_index, "ProcessPoolExecutor", no_process)
    monkeypatch.setattr("sync.engine.INDEX_HELPER_RECORDS", 1)
    monkeypatch.setattr(search_index, "HELPER_HOUSEHOLDS", 1)
    w1 = devices("worker1")
    w1.sync()
    assert _found(w1.store, "zhangsan") == ["张三"] and not _under_way(w1.store)
    with w1.store.write() as session:  # as a crash mid first sync leaves it
        bulk_load.begin(session)
    w1.store.close()
    reopened = open_store(w1.store.path)
    try:
        assert not _under_way(reopened) and _found(reopened, "zhangsan") == ["张三"]
        assert _schema(reopened) == _schema(devices("worker1").store)
    finally:
        reopened.close()
