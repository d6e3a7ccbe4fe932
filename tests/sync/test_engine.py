"""The sync engine end to end: a real store, the real HTTP client, the real server."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa

from gulou_desk.records import now
from gulou_desk.store import outbox
from gulou_desk.store.queries import conflict_count, list_conflicts, list_rejections
from gulou_desk.store.schema import RECORD_TABLES
from gulou_desk.store.sync_state import SyncKey, get_state, set_state
from gulou_desk.store.usecases import (
    create_record,
    resolve_conflict_keep_server,
    resolve_conflict_use_mine,
    run_action,
    update_record,
)
from sync.client import OfflineError
from sync.engine import Cancelled, CancelToken, SyncEngine, _Counts
from sync.events import SyncProgress
from tests.conftest import LiveServer
from tests.world import World


def _count(device, entity: str) -> int:
    with device.store.session() as s:
        return int(s.scalar(sa.select(sa.func.count()).select_from(RECORD_TABLES[entity])))


def _pending(device) -> int:
    with device.store.session() as s:
        return outbox.pending_count(s)


def _spoil_cursor(device) -> str:
    """Give the stored cursor a bad signature, so the server refuses it (422) and the
    next pull starts again from no cursor. Returns the cursor as it was."""
    with device.store.write() as s:
        cursor = get_state(s, SyncKey.CURSOR)
        set_state(s, SyncKey.CURSOR, cursor[:-4] + "AAAA")
    return cursor


def _take_grid_b_from_worker1(world: World) -> None:
    world.save("grid", "gridB", {"community_id": world["community"], "name": "gridB",
                                 "worker_ids": [world["worker2"]],
                                 "wechat_group_id": "wx-gridB"})


def _same_records_as_a_fresh_sync(device, fresh) -> None:
    fresh.sync()
    for entity in RECORD_TABLES:
        assert _count(device, entity) == _count(fresh, entity), entity


def test_initial_sync_fills_the_store_with_the_users_scope(devices, world: World) -> None:
    w1 = devices("worker1")
    report = w1.sync()
    assert report.pulled > 0
    assert _count(w1, "household") == 3
    assert _count(w1, "resident") == 3
    assert w1.record("household", world["hC1"]) is None  # worker2's grid
    assert w1.record("household", world["hA1"])["head_name"] == "张三"
    with w1.store.session() as s:
        assert get_state(s, SyncKey.LAST_SYNC_AT)
    # A second cycle with nothing new changes nothing.
    again = w1.sync()
    assert (again.pushed, again.pulled) == (0, 0)


def test_offline_edits_of_one_field_conflict_and_resolve_both_ways(devices,
                                                                    world: World) -> None:
    a, b = devices("worker1"), devices("clerk1")
    a.sync()
    b.sync()
    hid = world["hA1"]
    update_record(a.store, "household", hid, {"phone": "13811111111"}, actor=a.actor())
    update_record(b.store, "household", hid, {"phone": "13822222222", "notes": "二楼"},
                  actor=b.actor())
    assert a.sync().applied == 1
    report = b.sync()
    assert (report.applied, report.conflicts) == (0, 1)
    with b.store.session() as s:
        [conflict] = list_conflicts(s)
    assert conflict.field == "phone"
    assert conflict.server_value == "13811111111"
    assert conflict.client_value == "13822222222"
    assert b.record("household", hid)["phone"] == "13811111111"  # the server's value shows
    assert b.record("household", hid)["notes"] == "二楼"  # the other field went through
    # "Use mine": a new mutation on the current version.
    resolve_conflict_use_mine(b.store, conflict.id, actor=b.actor())
    b.sync()
    a.sync()
    assert a.record("household", hid)["phone"] == "13822222222"
    with b.store.session() as s:
        assert conflict_count(s) == 0
    # And again the other way: "keep server".
    update_record(a.store, "household", hid, {"phone": "13833333333"}, actor=a.actor())
    update_record(b.store, "household", hid, {"phone": "13844444444"}, actor=b.actor())
    a.sync()
    b.sync()
    with b.store.session() as s:
        [conflict] = list_conflicts(s)
    resolve_conflict_keep_server(b.store, conflict.id)
    b.sync()
    assert b.record("household", hid)["phone"] == "13833333333"
    with b.store.session() as s:
        assert conflict_count(s) == 0
        assert outbox.pending_count(s) == 0


def test_edit_made_during_a_pull_survives_it(devices, world: World,
                                             live_server: LiveServer) -> None:
    w1 = devices("worker1", page_size=2)
    w1.sync()
    hid = world["hA1"]
    # The server changes the household's notes while we edit its phone locally …
    world.household("hA1", "gridA", notes="服务器备注")
    update_record(w1.store, "household", hid, {"phone": "13899999999"}, actor=w1.actor())
    # … and the pull happens before the push gets through (push fails: offline for a bit).
    w1.engine._pull(_Counts(), None, CancelToken())
    row = w1.record("household", hid)
    assert row["notes"] == "服务器备注"  # pulled
    assert row["phone"] == "13899999999"  # our pending edit was not erased
    assert _pending(w1) == 1
    w1.sync()
    assert _pending(w1) == 0
    assert w1.record("household", hid)["phone"] == "13899999999"


def test_crash_after_a_page_resumes_at_the_next_without_duplicates(
        devices, world: World, monkeypatch) -> None:
    w1 = devices("clerk1", page_size=3)
    import sync.engine as engine_module

    real_apply = engine_module.apply_page
    calls = {"n": 0}

    def crash_on_third(session, changes, cursor):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("power cut")
        return real_apply(session, changes, cursor)

    monkeypatch.setattr(engine_module, "apply_page", crash_on_third)
    with pytest.raises(RuntimeError, match="power cut"):
        w1.sync()
    with w1.store.session() as s:
        cursor_after_crash = get_state(s, SyncKey.CURSOR)
    assert cursor_after_crash  # pages 1 and 2 committed with their cursor
    partial = sum(_count(w1, e) for e in RECORD_TABLES)
    assert partial > 0
    monkeypatch.setattr(engine_module, "apply_page", real_apply)
    seen: list[tuple[str, str]] = []
    original_pull = w1.client.pull

    def recording_pull(cursor, limit=2000, **kw):
        page = original_pull(cursor, limit, **kw)
        seen.extend((c.entity, c.id) for c in page.changes)
        return page

    w1.client.pull = recording_pull
    w1.sync()
    assert len(seen) == len(set(seen))  # nothing sent twice after the resume
    _same_records_as_a_fresh_sync(w1, devices("clerk1"))


def test_server_down_edits_queue_then_go_through(devices, world: World,
                                                 live_server: LiveServer) -> None:
    w1 = devices("worker1")
    w1.sync()
    live_server.stop()
    try:
        update_record(w1.store, "household", world["hA2"], {"notes": "离线时记下"},
                      actor=w1.actor())
        rid, _ = create_record(w1.store, "resident", {
            "household_id": world["hA2"], "name": "单小红", "gender": "female",
            "status": "active", "relation": "子女"}, actor=w1.actor())
        try:
            w1.sync()
            raise AssertionError("sync should fail while the server is down")
        except OfflineError:
            pass
        assert _pending(w1) == 2
        assert w1.record("resident", rid)["name"] == "单小红"  # still there, offline
    finally:
        live_server.restart()
    report = w1.sync()
    assert (report.pushed, report.applied) == (2, 2)
    assert _pending(w1) == 0
    other = devices("clerk1")
    other.sync()
    assert other.record("resident", rid)["name"] == "单小红"
    assert other.record("household", world["hA2"])["notes"] == "离线时记下"


def test_revoke_after_reassignment_drops_the_local_copy(devices, world: World) -> None:
    w1 = devices("worker1")
    w1.sync()
    assert w1.record("household", world["hB1"]) is not None
    world.save("grid", "gridB", {"community_id": world["community"], "name": "gridB",
                                 "worker_ids": [world["worker2"]],
                                 "wechat_group_id": "wx-gridB"})
    report = w1.sync()
    assert report.revoked >= 2
    assert w1.record("household", world["hB1"]) is None
    assert w1.record("resident", world["rhB1"]) is None
    assert w1.record("household", world["hA1"]) is not None


def test_revoke_waits_for_a_pending_edit(devices, world: World) -> None:
    w1 = devices("worker1")
    w1.sync()
    update_record(w1.store, "household", world["hB1"], {"notes": "走访发现漏水"},
                  actor=w1.actor())
    world.save("grid", "gridB", {"community_id": world["community"], "name": "gridB",
                                 "worker_ids": [world["worker2"]],
                                 "wechat_group_id": "wx-gridB"})
    # The push of the edit is refused (no longer in scope) and kept as a rejection; the
    # record is then dropped.
    w1.sync()
    assert w1.record("household", world["hB1"]) is None
    with w1.store.session() as s:
        [rejection] = list_rejections(s)
    assert rejection.record_id == world["hB1"]
    assert rejection.fields == {"notes": "走访发现漏水"}


def test_tampered_cursor_restarts_from_scratch_with_the_outbox_intact(
        devices, world: World) -> None:
    w1 = devices("worker1")
    w1.sync()
    cursor = _spoil_cursor(w1)
    update_record(w1.store, "household", world["hA1"], {"notes": "重新同步前的修改"},
                  actor=w1.actor())
    # Grid B leaves worker1's scope while the cursor is bad: the full re-pull must sweep
    # its household away although no revoke can reach us.
    _take_grid_b_from_worker1(world)
    report = w1.sync()
    assert report.pushed == 1
    assert _count(w1, "household") == 2  # hA1, hA2; hB1 swept
    assert w1.record("household", world["hA1"])["notes"] == "重新同步前的修改"
    with w1.store.session() as s:
        assert outbox.pending_count(s) == 0
        assert get_state(s, SyncKey.CURSOR) != cursor


@pytest.mark.parametrize("cut", ["power_cut", "cancel", "offline"])
def test_repull_cut_short_still_sweeps_when_the_next_cycle_resumes_it(
        devices, world: World, live_server: LiveServer, monkeypatch, cut: str) -> None:
    w1 = devices("worker1", page_size=2)
    w1.sync()
    _spoil_cursor(w1)
    # Grid B leaves worker1's scope while the cursor is bad: only the re-pull's sweep can
    # take its household and resident away (no revoke reaches a client that re-pulls).
    _take_grid_b_from_worker1(world)
    import sync.engine as engine_module

    real_apply = engine_module.apply_page
    pages = {"n": 0}
    cancel = CancelToken()

    def apply_or_cut(session, changes, cursor):
        pages["n"] += 1
        if cut == "power_cut" and pages["n"] == 3:
            raise RuntimeError("power cut")
        return real_apply(session, changes, cursor)

    def edit_then_cut(p: SyncProgress) -> None:  # called after each page is committed
        if p.stage != "pull":
            return
        if pages["n"] == 1:  # the user edits while the sync runs: the edit waits
            update_record(w1.store, "household", world["hA1"], {"notes": "同步时记下"},
                          actor=w1.actor())
        elif pages["n"] == 2 and cut == "cancel":
            cancel.cancel()
        elif pages["n"] == 2 and cut == "offline":
            live_server.stop()

    monkeypatch.setattr(engine_module, "apply_page", apply_or_cut)
    expected = {"power_cut": RuntimeError, "cancel": Cancelled, "offline": OfflineError}
    try:
        with pytest.raises(expected[cut]):
            w1.engine.run_cycle(edit_then_cut, cancel)
    finally:
        if cut == "offline":
            live_server.restart()
    monkeypatch.setattr(engine_module, "apply_page", real_apply)
    # Cut short: nothing swept yet, and the edit made meanwhile waits in the outbox.
    assert w1.record("household", world["hB1"]) is not None
    with w1.store.session() as s:
        [waiting] = outbox.pending_outbox(s)
    assert (waiting.record_id, waiting.fields) == (world["hA1"], {"notes": "同步时记下"})

    # The next cycle pushes that edit and resumes the re-pull at its cursor. While it
    # runs, the user edits grid B's household (still shown until the sweep).
    edited: list[bool] = []

    def edit_out_of_scope(p: SyncProgress) -> None:
        if p.stage == "pull" and not edited:
            update_record(w1.store, "household", world["hB1"], {"notes": "走访发现漏水"},
                          actor=w1.actor())
            edited.append(True)

    report = w1.engine.run_cycle(edit_out_of_scope)
    assert (report.pushed, report.applied) == (1, 1)
    assert edited
    assert w1.record("resident", world["rhB1"]) is None  # swept at the last page
    # The household with a pending edit is kept, with the edit, until it is pushed.
    assert w1.record("household", world["hB1"])["notes"] == "走访发现漏水"
    assert _pending(w1) == 1
    assert w1.record("household", world["hA1"])["notes"] == "同步时记下"

    # The edit is refused (out of scope) and kept as a rejection; the household goes. This
    # cycle is a normal pull again: it sweeps nothing more (the store then holds what a
    # fresh sync brings).
    w1.sync()
    assert w1.record("household", world["hB1"]) is None
    with w1.store.session() as s:
        [rejection] = list_rejections(s)
        assert outbox.pending_count(s) == 0
    assert rejection.fields == {"notes": "走访发现漏水"}
    fresh = devices("worker1")
    _same_records_as_a_fresh_sync(w1, fresh)
    assert fresh.record("household", world["hA1"])["notes"] == "同步时记下"


def test_cursor_refused_during_a_repull_starts_it_over(devices, world: World,
                                                       monkeypatch) -> None:
    w1 = devices("worker1", page_size=2)
    w1.sync()
    _spoil_cursor(w1)
    import sync.engine as engine_module

    real_apply = engine_module.apply_page
    sent = {"hB1": False}

    def cut_after_hb1(session, changes, cursor):
        if sent["hB1"]:
            raise RuntimeError("power cut")
        sent["hB1"] = any(c.id == world["hB1"] for c in changes)
        return real_apply(session, changes, cursor)

    # The re-pull is cut short after it has sent grid B's household …
    monkeypatch.setattr(engine_module, "apply_page", cut_after_hb1)
    with pytest.raises(RuntimeError, match="power cut"):
        w1.sync()
    monkeypatch.setattr(engine_module, "apply_page", real_apply)
    # … then grid B leaves worker1's scope and the server refuses the re-pull's cursor
    # too. The re-pull starts over: what the first one sent does not count any more.
    _take_grid_b_from_worker1(world)
    _spoil_cursor(w1)
    w1.sync()
    assert w1.record("household", world["hB1"]) is None
    assert w1.record("resident", world["rhB1"]) is None
    assert w1.record("household", world["hA1"]) is not None
    _same_records_as_a_fresh_sync(w1, devices("worker1"))


def test_ticket_steps_offline_then_refused_are_shown(devices, world: World) -> None:
    clerk = devices("clerk1")
    w1 = devices("worker1")
    clerk.sync()
    run_action(clerk.store, "ticket", world["tA"], "assign",
               {"assignee_id": world["worker1"]}, actor=clerk.actor(), now=now())
    clerk.sync()
    w1.sync()
    assert w1.record("ticket", world["tA"])["status"] == "assigned"
    run_action(w1.store, "ticket", world["tA"], "accept", {}, actor=w1.actor(), now=now())
    assert w1.record("ticket", world["tA"])["status"] == "accepted"  # at once, offline
    # Meanwhile the clerk reassigns it to worker2: worker1's accept is refused.
    run_action(clerk.store, "ticket", world["tA"], "assign",
               {"assignee_id": world["worker2"]}, actor=clerk.actor(), now=now())
    clerk.sync()
    w1.sync()
    with w1.store.session() as s:
        [rejection] = list_rejections(s)
    assert rejection.action == "accept"
    assert rejection.code in ("forbidden", "invalid_transition", "not_found")
    assert w1.record("ticket", world["tA"])["status"] == "assigned"


def test_pulled_records_are_never_pushed_back(devices, world: World) -> None:
    w1 = devices("clerk1")
    w1.sync()
    assert _pending(w1) == 0
    world.household("hA1", "gridA", notes="服务器改的")
    report = w1.sync()
    assert report.pushed == 0
    assert _pending(w1) == 0


def test_new_record_and_later_edit_before_any_push(devices, world: World) -> None:
    w1 = devices("worker1")
    w1.sync()
    rid, _ = create_record(w1.store, "resident", {
        "household_id": world["hA1"], "name": "曾小明", "status": "active"}, actor=w1.actor())
    update_record(w1.store, "resident", rid, {"phone": "13612345678"}, actor=w1.actor())
    w1.sync()
    assert _pending(w1) == 0
    clerk = devices("clerk1")
    clerk.sync()
    assert clerk.record("resident", rid)["phone"] == "13612345678"


def test_engine_refuses_two_cycles_at_once(devices, world: World) -> None:
    w1 = devices("worker1")
    engine: SyncEngine = w1.engine
    assert engine._lock.acquire(blocking=False)
    try:
        try:
            engine.run_cycle()
            raise AssertionError("a second cycle must not start")
        except RuntimeError:
            pass
    finally:
        engine._lock.release()


def _transactions_of(device, cycle) -> tuple[list[str], object]:
    """What one call of ``cycle`` began on the store: each transaction's first statement
    (``BEGIN`` of a read, ``BEGIN IMMEDIATE`` of a write), and the call's result."""
    began: list[str] = []

    def note(_conn, _cursor, statement, *_args) -> None:
        if statement.startswith("BEGIN"):
            began.append(statement)

    sa.event.listen(device.store.engine, "before_cursor_execute", note)
    try:
        result = cycle()
    finally:
        sa.event.remove(device.store.engine, "before_cursor_execute", note)
    return began, result


def test_a_cycle_with_nothing_to_send_or_bring_writes_once(devices, world: World) -> None:
    """A no-op cycle (nothing in the outbox, nothing new on the server) writes once, the
    note of when the sync ended: the look at the outbox takes the write lock and writes
    nothing (no commit reaches the disk), and the empty page is not written at all."""
    w1 = devices("worker1")
    w1.sync()
    with w1.store.session() as s:
        cursor = get_state(s, SyncKey.CURSOR)
    began, report = _transactions_of(w1, w1.sync)
    assert (report.pushed, report.pulled) == (0, 0)
    assert began.count("BEGIN IMMEDIATE") == 2, began  # the outbox's look, the note
    with w1.store.session() as s:
        assert get_state(s, SyncKey.CURSOR) == cursor
        assert get_state(s, SyncKey.LAST_SYNC_AT)
    # Something new on the server is pulled as before, its page with its cursor.
    world.household("hA1", "gridA", notes="服务器改的")
    began, report = _transactions_of(w1, w1.sync)
    assert report.pulled == 1
    # the outbox's look, the page with the note of the cycle's end
    assert began.count("BEGIN IMMEDIATE") == 2, began
    with w1.store.session() as s:
        assert get_state(s, SyncKey.CURSOR) != cursor
    assert w1.record("household", world["hA1"])["notes"] == "服务器改的"
    # An edit in the outbox is pushed as before.
    update_record(w1.store, "household", world["hA1"], {"notes": "本地改的"},
                  actor=w1.actor())
    report = w1.sync()
    assert report.pushed == 1 and _pending(w1) == 0


def test_an_edit_being_written_as_a_cycle_starts_is_pushed_by_that_cycle(
        devices, world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """"Sync now" right after approving a record: the cycle began while the approval was
    being written, read the outbox as it was before that commit, and ended without it
    (the approval waited for the next cycle). The cycle now waits for the write."""
    w1 = devices("worker1")
    w1.sync()
    writing = threading.Event()
    real_write = w1.store.write

    @contextlib.contextmanager
    def slow_edit(**options: Any) -> Iterator[Any]:
        with real_write(**options) as session:
            yield session
            if threading.current_thread().name == "edit":
                writing.set()
                time.sleep(0.3)  # written, not committed yet

    monkeypatch.setattr(w1.store, "write", slow_edit)
    edit = threading.Thread(name="edit", target=lambda: update_record(
        w1.store, "household", world["hA1"], {"phone": "13877776666"}, actor=w1.actor()))
    edit.start()
    assert writing.wait(10)
    report = w1.sync()
    edit.join()
    assert report.pushed == 1
    with w1.store.session() as s:
        assert outbox.pending_count(s) == 0
