"""A sync no single edit can stop: an edit the server fails on is set aside (after three
cycles, or at once when the request is refused as a whole) and never blocks the others;
a failed push never stops the pull; no push request is over the server's body limit."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from gulou_desk.store import outbox
from gulou_desk.store.queries import list_rejections
from gulou_desk.store.schema import Outbox
from gulou_desk.store.usecases import create_record, update_record
from server.embedded import EmbeddedServer
from server.settings import Settings
from sync.client import ApiClient
from sync.engine import MAX_FAILED_REQUESTS, SyncEngine
from tests.conftest import WECHAT_SECRET, LiveServer
from tests.proxy import Fault, FaultyProxy
from tests.stores import new_store
from tests.sync.conftest import Device
from tests.world import PASSWORD, World, build_world

MARKER = "§server-bug§"


@pytest.fixture
def proxy(live_server: LiveServer) -> Iterator[FaultyProxy]:
    faulty = FaultyProxy(live_server.url).start()
    yield faulty
    faulty.stop()


def _device_through(proxy: FaultyProxy, folder: Path, username: str, **kw: Any) -> Device:
    store = new_store(folder / f"{username}-{uuid.uuid4().hex[:6]}" / "desk.sqlite")
    client = ApiClient(proxy.url, retries=1, backoff=0.01)
    pair = client.login(username, PASSWORD, str(uuid.uuid4()), "pytest")
    engine = SyncEngine(store, client, client_id=str(uuid.uuid4()), **kw)
    return Device(store, client, engine, pair.user)


@pytest.fixture
def worker(proxy: FaultyProxy, world: World, tmp_path: Path) -> Iterator[Device]:
    device = _device_through(proxy, tmp_path, "worker1")
    device.sync()
    yield device
    device.store.close()


def _queue(device: Device) -> list[Outbox]:
    with device.store.session() as s:
        return list(s.scalars(sa.select(Outbox).order_by(Outbox.seq)))


def _on_server(server: LiveServer, world: World, entity: str, key: str, field: str) -> Any:
    from server.schema import RECORD_TABLES

    table = RECORD_TABLES[entity]
    with server.engine.connect() as conn:
        return conn.execute(sa.select(table.c[field]).where(table.c.id == world[key])
                            ).scalar_one()


def test_an_edit_the_server_fails_on_is_set_aside_after_three_cycles_and_blocks_no_other(
    live_server: LiveServer, proxy: FaultyProxy, world: World, worker: Device,
    devices: Any,
) -> None:
    proxy.faults.append(Fault(MARKER.encode()))
    actor = worker.actor()
    update_record(worker.store, "household", world["hA1"], {"notes": f"说明 {MARKER}"},
                  actor=actor)
    update_record(worker.store, "household", world["hA2"], {"notes": "第二户"}, actor=actor)
    update_record(worker.store, "household", world["hB1"], {"notes": "第三户"}, actor=actor)
    clerk = devices("clerk1")
    clerk.sync()
    update_record(clerk.store, "household", world["hB1"], {"phone": "13800000001"},
                  actor=clerk.actor())
    clerk.sync()

    report = worker.sync()
    # The two others reached the server; the pull of the same cycle went on.
    assert _on_server(live_server, world, "household", "hA2", "notes") == "第二户"
    assert _on_server(live_server, world, "household", "hB1", "notes") == "第三户"
    assert worker.record("household", world["hB1"])["phone"] == "13800000001"
    assert report.applied == 2 and report.held == 0
    [waiting] = _queue(worker)
    assert (waiting.failures, waiting.held_at) == (1, None)
    assert waiting.last_error.startswith("server_error")

    worker.sync()
    report = worker.sync()
    [held] = _queue(worker)
    assert report.held == 1 and held.failures == 3 and held.held_code == "server_error"
    assert held.held_at is not None
    # The edit is still the user's: the local row shows it.
    assert MARKER in worker.record("household", world["hA1"])["notes"]

    faulted = proxy.seen.faulted
    worker.sync()  # set aside: not sent again
    assert proxy.seen.faulted == faulted

    # The server is fixed; the user retries from the outbox view.
    proxy.faults.clear()
    with worker.store.write() as s:
        outbox.retry(s, held.mutation_id)
    report = worker.sync()
    assert report.applied == 1 and _queue(worker) == []
    assert MARKER in _on_server(live_server, world, "household", "hA1", "notes")


def test_a_push_refused_as_a_whole_sets_the_edit_aside_at_once_and_discard_undoes_it(
    live_server: LiveServer, proxy: FaultyProxy, world: World, worker: Device
) -> None:
    proxy.faults.append(Fault(MARKER.encode(), status=422, code="validation"))
    actor = worker.actor()
    before = worker.record("household", world["hA1"])["notes"]
    update_record(worker.store, "household", world["hA1"], {"notes": MARKER}, actor=actor)
    update_record(worker.store, "household", world["hA2"], {"notes": "照常"}, actor=actor)
    report = worker.sync()
    assert report.held == 1 and report.applied == 1
    [held] = _queue(worker)
    assert held.held_code == "validation" and held.failures == 1

    with worker.store.write() as s:
        changed = outbox.discard(s, held.mutation_id)
    assert changed.ids_of("household") == frozenset({world["hA1"]})
    assert _queue(worker) == []
    assert worker.record("household", world["hA1"])["notes"] == before
    with worker.store.session() as s:
        assert list_rejections(s) == []  # the user chose it: nothing to explain
    worker.sync()
    assert _on_server(live_server, world, "household", "hA1", "notes") == before


def test_later_edits_wait_behind_a_set_aside_one_of_their_record(
    live_server: LiveServer, proxy: FaultyProxy, world: World, worker: Device
) -> None:
    proxy.faults.append(Fault(MARKER.encode(), status=422, code="validation"))
    actor = worker.actor()
    update_record(worker.store, "household", world["hA1"], {"notes": MARKER}, actor=actor)
    update_record(worker.store, "household", world["hA1"], {"phone": "13900000000"},
                  actor=actor)
    household, _ = create_record(worker.store, "household", {
        "grid_id": world["gridA"], "estate": MARKER, "head_name": "新户",
        "status": "active"}, actor=actor)
    resident, _ = create_record(worker.store, "resident", {
        "household_id": household, "name": "新人", "gender": "male", "status": "active"},
        actor=actor)
    update_record(worker.store, "household", world["hA2"], {"notes": "不受影响"}, actor=actor)

    report = worker.sync()
    assert report.applied == 1  # hA2's
    queue = _queue(worker)
    held = [m for m in queue if m.held_at is not None]
    assert {(m.record_id, m.op) for m in held} == {(world["hA1"], "update"),
                                                  (household, "create")}
    with worker.store.session() as s:
        behind = outbox.waiting_behind(s)
    by_id = {m.mutation_id: m for m in queue}
    assert {(by_id[k].record_id, by_id[v].record_id) for k, v in behind.items()} == {
        (world["hA1"], world["hA1"]), (resident, household)}
    assert _on_server(live_server, world, "household", "hA2", "notes") == "不受影响"


def test_a_failed_push_never_stops_the_pull_and_asks_the_server_a_bounded_number_of_times(
    live_server: LiveServer, proxy: FaultyProxy, world: World, worker: Device, devices: Any
) -> None:
    actor = worker.actor()
    for key in ("hA1", "hA2", "hB1"):
        for n in range(10):
            update_record(worker.store, "household", world[key], {"notes": f"第{n}次"},
                          actor=actor)
    proxy.faults.append(Fault(b""))  # the server fails on every push
    clerk = devices("clerk1")
    clerk.sync()
    update_record(clerk.store, "household", world["hA2"], {"phone": "13800000002"},
                  actor=clerk.actor())
    clerk.sync()

    pushes = proxy.seen.pushes
    report = worker.sync()
    assert report.push_error is not None and report.push_error.startswith("server_error")
    assert report.pulled >= 1
    # The clerk's change arrived (under the worker's pending notes of the same record).
    with worker.store.session() as s:
        assert outbox.pending_fields(s, "household", world["hA2"])["notes"] == "第9次"
    assert worker.record("household", world["hA2"])["phone"] == "13800000002"
    asked = proxy.seen.pushes - pushes
    assert asked <= MAX_FAILED_REQUESTS + 3, asked
    assert all(m.held_at is None for m in _queue(worker))  # nothing is blamed on one edit


def test_push_requests_stay_under_the_servers_body_limit(
    server_db_url: str, tmp_path: Path
) -> None:
    limit = 64 * 1024
    server = EmbeddedServer(Settings(db_url=server_db_url, secret_key=secrets.token_urlsafe(48),
                                     wechat_secret=WECHAT_SECRET, max_body_bytes=limit))
    server.start()
    proxy = FaultyProxy(server.url).start()
    try:
        world = build_world(server.engine)
        device = _device_through(proxy, tmp_path, "worker1", max_push_bytes=limit)
        device.sync()
        actor = device.actor()
        for n in range(24):
            key = ("hA1", "hA2", "hB1")[n % 3]
            update_record(device.store, "household", world[key],
                          {"notes": f"{n:02d} " + "记录" * 4000}, actor=actor)  # ≈ 12 KB
        report = device.sync()
        assert report.applied == 24 and report.held == 0 and report.push_error is None
        assert 0 < proxy.seen.largest_body <= limit
        assert proxy.seen.pushes >= 5
        device.store.close()
    finally:
        proxy.stop()
        server.stop()
        server.engine.dispose()
