"""The outbox view, against the real server behind a faulty proxy: an edit the server
refuses is set aside and listed with its reason, the others go through; "Retry" sends
it again once the server takes it; "Discard" gives it up after a confirmation."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from gulou_desk.domain.workflows import Actor
from gulou_desk.store.usecases import update_record
from sync.credentials import CredentialStore
from tests.conftest import LiveServer
from tests.keyrings import MemoryKeyring
from tests.proxy import Fault, FaultyProxy
from tests.ui.test_backend import stop_controller
from tests.ui.test_login_flow import sign_in
from tests.world import PASSWORD, Api, World, build_world, held
from ui.app import AppController
from ui.backend import SyncBackend, open_account
from ui.outbox_view import OutboxDialog
from ui.settings import Settings

MARKER = "§refused§"


@pytest.fixture
def world(live_server: LiveServer) -> World:
    return build_world(live_server.engine)


@pytest.fixture
def proxy(live_server: LiveServer) -> Iterator[FaultyProxy]:
    faulty = FaultyProxy(live_server.url).start()
    yield faulty
    faulty.stop()


def _rows(dialog: OutboxDialog) -> list[list[str]]:
    table = dialog.table
    return [[table.item(r, c).text() for c in range(table.columnCount())]
            for r in range(table.rowCount())]


def _notes_on_server(server: LiveServer, world: World, key: str) -> str:
    admin = Api(server.api).login("admin")
    return str(held(admin.pull_all()[0])[("household", world[key])]["data"]["notes"])


def test_a_refused_edit_is_listed_set_aside_then_retried_or_discarded(
    qtbot: QtBot, settings: Settings, live_server: LiveServer, world: World,
    proxy: FaultyProxy, tmp_path: Path,
) -> None:
    credentials = CredentialStore(tmp_path / "config", backend=MemoryKeyring())
    controller = AppController(
        settings, credentials, quit_app=lambda: None,
        backend_factory=lambda s, c: open_account(s, c, data_dir=tmp_path / "data"))
    try:
        dialog = controller.ask_login(proxy.url, "worker1")
        with qtbot.waitSignal(controller.bridge.sync_finished, timeout=20_000):
            sign_in(qtbot, dialog, PASSWORD)
        backend = controller.backend
        assert isinstance(backend, SyncBackend)
        window = controller.window
        actor = Actor(id=backend.session.user_id, role="social_worker",
                      grid_ids=frozenset({world["gridA"], world["gridB"]}))
        proxy.faults.append(Fault(MARKER.encode(), status=422, code="validation"))
        for key, notes in (("hA1", f"门牌 {MARKER}"), ("hA2", "照常发送"),
                           ("hB1", f"又一条 {MARKER}")):
            backend.ctx.wrote(update_record(backend.store, "household", world[key],
                                            {"notes": notes}, actor=actor))
        with qtbot.waitSignal(controller.bridge.sync_finished, timeout=20_000):
            backend.sync_now()
        assert _notes_on_server(live_server, world, "hA2") == "照常发送"

        bar = window.status_bar
        qtbot.waitUntil(lambda: bar.pending_label.text() == "2 edits to send", timeout=5000)
        assert bar.outbox_button.isVisible()
        qtbot.mouseClick(bar.outbox_button, Qt.MouseButton.LeftButton)
        outbox = window.findChild(OutboxDialog, "outbox_dialog")
        assert outbox is not None and outbox.isVisible()
        qtbot.waitUntil(lambda: outbox.table.rowCount() == 2, timeout=5000)
        rows = _rows(outbox)
        assert all(row[2] == "Set aside" for row in rows)
        assert all(row[3] == "The server did not accept the data." for row in rows)
        assert rows[0][0].startswith("Changed: Notes · Household")
        assert "2 edits could not be sent" in outbox.summary_label.text()
        assert not outbox.retry_button.isEnabled()

        # The server takes it now: retry the first.
        proxy.faults.clear()
        outbox.table.selectRow(0)
        assert outbox.retry_button.isEnabled()
        with qtbot.waitSignal(controller.bridge.sync_finished, timeout=20_000):
            qtbot.mouseClick(outbox.retry_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: outbox.table.rowCount() == 1, timeout=5000)
        assert MARKER in _notes_on_server(live_server, world, "hA1")

        # Give up the other one.
        outbox.table.selectRow(0)
        qtbot.mouseClick(outbox.discard_button, Qt.MouseButton.LeftButton)
        confirm = outbox.findChild(QMessageBox, "outbox_discard_confirm")
        assert confirm is not None and "never sent" in confirm.text()
        discard = next(b for b in confirm.findChildren(QPushButton) if b.text() == "Discard")
        qtbot.mouseClick(discard, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: outbox.table.rowCount() == 0, timeout=5000)
        assert outbox.summary_label.text() == "Every edit has been sent."
        assert backend.ctx.desk.record("household", world["hB1"])["notes"] != (
            f"又一条 {MARKER}")
        qtbot.waitUntil(lambda: not bar.outbox_button.isVisible(), timeout=5000)
        outbox.close()
    finally:
        stop_controller(qtbot, controller)
