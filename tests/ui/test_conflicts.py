"""The Conflicts view against the real server: two devices edit the same field offline.

Device A is a plain client (store + HTTP client + sync engine); device B is the app: its
backend (``ui.backend.SyncBackend``), the main window and the view registered for the
Conflicts section. Both are worker1 on two machines.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from gulou_desk.store import Store, open_store
from gulou_desk.store.outbox import pending_count
from gulou_desk.store.queries import actor_for, get_record
from gulou_desk.store.usecases import delete_record, update_record
from server.schema import RECORD_TABLES as SERVER_TABLES
from sync.client import ApiClient
from sync.engine import SyncEngine
from tests.conftest import LiveServer
from tests.ui.test_backend import signed_in
from tests.world import PASSWORD, World, build_world
from ui.backend import SyncBackend, open_account
from ui.conflicts_view import ConflictsView
from ui.main_window import MainWindow
from ui.settings import Settings
from ui.sync_bridge import SyncBridge


@dataclass
class PlainDevice:
    store: Store
    engine: SyncEngine

    def edit(self, entity: str, record_id: str, **fields: Any) -> None:
        update_record(self.store, entity, record_id, fields, actor=actor_of(self.store))

    def record(self, entity: str, record_id: str) -> dict[str, Any]:
        with self.store.session() as s:
            row = get_record(s, entity, record_id)
        assert row is not None
        return row


def actor_of(store: Store) -> Any:
    with store.session() as s:
        staff = s.execute(sa.text("SELECT id FROM staff WHERE username = 'worker1'")).scalar()
        return actor_for(s, user_id=str(staff), role="social_worker", community_id=None,
                         street_id=None)


@dataclass
class App:
    backend: SyncBackend
    bridge: SyncBridge
    window: MainWindow
    view: ConflictsView

    @property
    def device(self) -> PlainDevice:
        return PlainDevice(self.backend.store, self.backend.engine)


@pytest.fixture
def world(live_server: LiveServer) -> World:
    return build_world(live_server.engine)


@pytest.fixture
def device_a(live_server: LiveServer, world: World, tmp_path: Path) -> Iterator[PlainDevice]:
    store = open_store(tmp_path / "device-a" / "desk.sqlite")
    client = ApiClient(live_server.url, retries=1, backoff=0.01)
    client.login("worker1", PASSWORD, str(uuid.uuid4()), "device A")
    device = PlainDevice(store, SyncEngine(store, client, client_id=str(uuid.uuid4())))
    device.engine.run_cycle()
    yield device
    store.close()


@pytest.fixture
def app(qtbot: QtBot, settings: Settings, live_server: LiveServer, world: World,
        tmp_path: Path) -> Iterator[App]:
    session, credentials, _keyring = signed_in(live_server, tmp_path, "worker1")
    bridge = SyncBridge()
    opened = open_account(session, credentials, data_dir=tmp_path / "b")
    backend = SyncBackend(opened, bridge, settings)
    window = MainWindow(settings, bridge, session, views=backend.views, counts=backend.counts)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(bridge.sync_finished, timeout=10_000):
        backend.start()
    window.show_section("conflicts")
    view = window.page("conflicts").findChild(ConflictsView)
    assert view is not None
    qtbot.waitUntil(lambda: view.decisions is not None, timeout=3000)
    yield App(backend, bridge, window, view)
    backend.stop()
    done: list[bool] = []
    asyncio.get_running_loop().create_task(backend.wait_stopped()).add_done_callback(
        lambda _: done.append(True))
    qtbot.waitUntil(lambda: bool(done), timeout=10_000)


def sync(qtbot: QtBot, app: App) -> None:
    with qtbot.waitSignal(app.bridge.sync_finished, timeout=10_000):
        app.backend.sync_now()


def server_value(live_server: LiveServer, entity: str, record_id: str, field: str) -> Any:
    table = SERVER_TABLES[entity]
    with live_server.engine.connect() as conn:
        return conn.execute(sa.select(table.c[field]).where(table.c.id == record_id)).scalar()


def make_conflict(qtbot: QtBot, app: App, device_a: PlainDevice, household: str,
                  theirs: str, mine: str) -> int:
    """Both devices change a household's phone offline; A syncs first, then the app."""
    device_a.edit("household", household, phone=theirs)
    app.device.edit("household", household, phone=mine)
    device_a.engine.run_cycle()
    with qtbot.waitSignal(app.view.loaded, timeout=10_000,
                          check_params_cb=lambda d: len(d.conflicts) == 1):
        sync(qtbot, app)
    (conflict_id,) = app.view.conflict_cards
    return conflict_id


def test_use_mine_sends_my_value_to_the_server(
    qtbot: QtBot, app: App, device_a: PlainDevice, world: World, live_server: LiveServer
) -> None:
    conflict_id = make_conflict(qtbot, app, device_a, world["hA1"], "13900000001",
                                "13900000002")
    card = app.view.conflict_cards[conflict_id]
    assert card.field_label.text() == "Phone"
    assert card.mine_label.text() == "13900000002"
    assert card.server_label.text() == "13900000001"
    assert "张三" in card.record_label.text()
    qtbot.waitUntil(lambda: app.window.navigation.badge("conflicts") == 1, timeout=3000)
    # Until the user decides, the record shows the server's value.
    assert app.device.record("household", world["hA1"])["phone"] == "13900000001"

    with qtbot.waitSignal(app.view.loaded, timeout=5000,
                          check_params_cb=lambda d: d.count == 0):
        qtbot.mouseClick(card.mine_button, Qt.MouseButton.LeftButton)
    assert app.device.record("household", world["hA1"])["phone"] == "13900000002"
    qtbot.waitUntil(lambda: app.window.navigation.badge("conflicts") == 0, timeout=3000)
    # The choice goes out with the next sync (the backend asked for one; don't wait 3 s).
    sync(qtbot, app)
    assert server_value(live_server, "household", world["hA1"], "phone") == "13900000002"
    device_a.engine.run_cycle()
    assert device_a.record("household", world["hA1"])["phone"] == "13900000002"
    assert app.view.stack.currentWidget() is app.view.empty


def test_keep_server_drops_my_value_and_sends_nothing(
    qtbot: QtBot, app: App, device_a: PlainDevice, world: World, live_server: LiveServer
) -> None:
    conflict_id = make_conflict(qtbot, app, device_a, world["hA2"], "13900000003",
                                "13900000004")
    card = app.view.conflict_cards[conflict_id]
    with qtbot.waitSignal(app.view.loaded, timeout=5000,
                          check_params_cb=lambda d: d.count == 0):
        qtbot.mouseClick(card.keep_button, Qt.MouseButton.LeftButton)
    with app.backend.store.session() as s:
        assert pending_count(s) == 0
    assert app.device.record("household", world["hA2"])["phone"] == "13900000003"
    sync(qtbot, app)
    assert server_value(live_server, "household", world["hA2"], "phone") == "13900000003"
    assert app.device.record("household", world["hA2"])["phone"] == "13900000003"
    qtbot.waitUntil(lambda: app.window.navigation.badge("conflicts") == 0, timeout=3000)


def test_a_refused_edit_shows_what_was_entered_and_why_until_dismissed(
    qtbot: QtBot, app: App, device_a: PlainDevice, world: World, live_server: LiveServer
) -> None:
    # Moving a household to a grid of another community is not worker1's to do.
    app.device.edit("household", world["hA1"], grid_id=world["gridX"], notes="搬到西康路")
    with qtbot.waitSignal(app.view.loaded, timeout=10_000,
                          check_params_cb=lambda d: len(d.rejections) == 1):
        sync(qtbot, app)
    (rejection_id,) = app.view.rejection_cards
    card = app.view.rejection_cards[rejection_id]
    assert card.reason_label.text().startswith("Your account is not allowed to do this.")
    kept = {label.objectName(): label.text() for label in card.findChildren(type(
        card.reason_label)) if label.objectName().startswith("kept_")}
    assert kept == {"kept_grid_id": "gridX", "kept_notes": "搬到西康路"}
    # The record went back to the server's copy; the server never changed.
    assert app.device.record("household", world["hA1"])["grid_id"] == world["gridA"]
    assert server_value(live_server, "household", world["hA1"], "grid_id") == world["gridA"]
    qtbot.waitUntil(lambda: app.window.navigation.badge("conflicts") == 1, timeout=3000)

    with qtbot.waitSignal(app.view.loaded, timeout=5000,
                          check_params_cb=lambda d: d.count == 0):
        qtbot.mouseClick(card.dismiss_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: app.window.navigation.badge("conflicts") == 0, timeout=3000)


def test_a_stale_delete_is_explained(
    qtbot: QtBot, app: App, device_a: PlainDevice, world: World
) -> None:
    device_a.edit("household", world["hB1"], notes="换了新电话")
    device_a.engine.run_cycle()
    delete_record(app.backend.store, "household", world["hB1"],
                  actor=actor_of(app.backend.store))
    with qtbot.waitSignal(app.view.loaded, timeout=10_000,
                          check_params_cb=lambda d: len(d.rejections) == 1):
        sync(qtbot, app)
    card = next(iter(app.view.rejection_cards.values()))
    assert card.record_label.text().startswith("Deletion · Household · 曾国强")
    assert card.reason_label.text() == (
        "Someone changed this record on the server before your edit arrived.")
    # The household is back, with the other device's note.
    assert app.device.record("household", world["hB1"])["notes"] == "换了新电话"


def test_the_view_speaks_chinese(
    qtbot: QtBot, chinese: None, app: App, device_a: PlainDevice, world: World
) -> None:
    conflict_id = make_conflict(qtbot, app, device_a, world["hA1"], "13900000005",
                                "13900000006")
    card = app.view.conflict_cards[conflict_id]
    assert card.field_label.text() == "电话"
    assert card.mine_button.text() == "用我的"
    assert card.keep_button.text() == "保留服务器的"
    assert card.record_label.text().startswith("住户 · 张三")
