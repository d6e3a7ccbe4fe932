"""ui.backend: the real store and sync engine behind the window, against the real server."""

from __future__ import annotations

import asyncio
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from sync.client import ApiClient
from sync.credentials import SERVICE_PREFIX, Account, CredentialStore
from sync.events import SyncReport
from tests.conftest import LiveServer
from tests.keyrings import MemoryKeyring
from tests.world import PASSWORD, World, build_world
from ui.app import AppController
from ui.backend import OpenedAccount, SyncBackend, open_account, store_path
from ui.main_window import MainWindow
from ui.session import Session
from ui.settings import Settings
from ui.sync_bridge import SyncBridge


@pytest.fixture
def world(live_server: LiveServer) -> World:
    return build_world(live_server.engine)


def signed_in(server: LiveServer, tmp_path: Path, username: str) -> tuple[
        Session, CredentialStore, MemoryKeyring]:
    keyring = MemoryKeyring()
    credentials = CredentialStore(tmp_path / "config", backend=keyring)
    pair = ApiClient(server.url).login(username, PASSWORD, str(uuid.uuid4()), "pytest")
    credentials.set_access_token(pair.access_token)
    credentials.save_refresh_token(server.url, username, pair.refresh_token)
    session = Session(server.url, username, pair.user.id, pair.user.role,
                      pair.user.display_name, remembered=True)
    return session, credentials, keyring


def test_the_window_syncs_through_the_backend(
    qtbot: QtBot, settings: Settings, live_server: LiveServer, world: World, tmp_path: Path
) -> None:
    session, credentials, keyring = signed_in(live_server, tmp_path, "worker1")
    bridge = SyncBridge()
    opened = open_account(session, credentials, data_dir=tmp_path / "data")
    backend = SyncBackend(opened, bridge, settings)
    assert store_path(session, tmp_path / "data").exists()
    window = MainWindow(settings, bridge, session, views=backend.views, counts=backend.counts)
    qtbot.addWidget(window)
    with qtbot.waitSignal(bridge.sync_finished, timeout=10_000) as blocker:
        backend.start()
    report = blocker.args[0]
    assert isinstance(report, SyncReport) and report.pulled > 0
    qtbot.waitUntil(lambda: window.status_bar.online is True, timeout=2000)
    with qtbot.waitSignal(window.counts_refreshed, timeout=5000) as counted:
        window.refresh_counts()
    assert counted.args[0] == {"pending": 0, "conflicts": 0, "inbox": 0, "tickets": 0,
                               "performance": 0}

    # A rotated refresh token goes back to the keyring.
    backend.client.refresh()
    assert keyring.secrets[(f"gulou-desk:{live_server.url}", "worker1")] == (
        backend.client.refresh_token
    )
    assert credentials.access_token == backend.client.access_token

    backend.stop()
    loop = asyncio.get_running_loop()
    done: list[bool] = []
    loop.create_task(backend.wait_stopped()).add_done_callback(lambda _: done.append(True))
    qtbot.waitUntil(lambda: bool(done), timeout=10_000)


# -- opening the window: the local store opens off the GUI thread ---------------------------


@dataclass
class Watched:
    """The real prepared backend, noting whether it was built or given up."""

    opened: OpenedAccount
    log: list[str]

    def build(self, bridge: SyncBridge, settings: Settings) -> SyncBackend:
        self.log.append(f"built {self.opened.session.username}")
        return self.opened.build(bridge, settings)

    def discard(self) -> None:
        self.log.append(f"discarded {self.opened.session.username}")
        self.opened.discard()


def offline_session(username: str) -> Session:
    """An account of a server that is not there (port 9): the app opens offline."""
    return Session("http://127.0.0.1:9", username, f"u-{username}", "social_worker",
                   username, remembered=True)


def stop_controller(qtbot: QtBot, controller: AppController) -> None:
    """Stop syncing, wait until the store is closed, close the window (test teardown)."""
    backend = controller.backend
    controller.shutdown()
    if isinstance(backend, SyncBackend):
        done: list[bool] = []
        asyncio.get_running_loop().create_task(backend.wait_stopped()).add_done_callback(
            lambda _: done.append(True))
        qtbot.waitUntil(lambda: bool(done), timeout=10_000)
    if controller.window is not None:
        controller.window.close()


def test_the_window_opens_once_its_store_is_open_on_a_worker_thread(
    qtbot: QtBot, settings: Settings, tmp_path: Path
) -> None:
    credentials = CredentialStore(tmp_path / "config", backend=MemoryKeyring())
    credentials.save_refresh_token("http://127.0.0.1:9", "lisi", "refresh-0")
    threads: list[threading.Thread] = []
    events: list[str] = []

    def factory(session: Session, credentials: CredentialStore) -> Watched:
        threads.append(threading.current_thread())
        return Watched(open_account(session, credentials, data_dir=tmp_path / "data"), events)

    controller = AppController(settings, credentials, quit_app=lambda: None,
                               backend_factory=factory)
    try:
        with qtbot.waitSignal(controller.window_opened, timeout=10_000) as opened:
            controller.open_window(offline_session("lisi"))
            assert controller.window is None  # nothing waited for on the GUI thread
        window = opened.args[0]
        assert window is controller.window and window.isVisible()
        assert threads and threads[0] is not threading.main_thread()
        assert events == ["built lisi"]
        backend = controller.backend
        assert isinstance(backend, SyncBackend)
        assert backend.client.refresh_token == "refresh-0"  # read from the keyring
        assert store_path(offline_session("lisi"), tmp_path / "data").exists()
        # The server is not there: the window says offline, no error box.
        qtbot.waitUntil(lambda: window.status_bar.online is False, timeout=10_000)
        assert QApplication.activeModalWidget() is None
    finally:
        stop_controller(qtbot, controller)


def test_an_account_given_up_while_its_store_opens_is_closed_not_shown(
    qtbot: QtBot, settings: Settings, tmp_path: Path
) -> None:
    """Switching user while the first account's store is still opening: the last one
    asked for opens; the first is closed once it is open, and never shows a window."""
    credentials = CredentialStore(tmp_path / "config", backend=MemoryKeyring())
    gate = threading.Event()
    events: list[str] = []

    def factory(session: Session, credentials: CredentialStore) -> Watched:
        if session.username == "slow":
            gate.wait(10)
        return Watched(open_account(session, credentials, data_dir=tmp_path / "data"), events)

    controller = AppController(settings, credentials, quit_app=lambda: None,
                               backend_factory=factory)
    shown: list[str] = []
    controller.window_opened.connect(
        lambda window: shown.append(str(window.property("user_id"))))
    try:
        controller.open_window(offline_session("slow"))
        controller.open_window(offline_session("quick"))  # queued behind it (write lane)
        qtbot.wait(100)
        assert shown == [] and controller.window is None
        gate.set()
        qtbot.waitUntil(lambda: shown == ["u-quick"], timeout=10_000)
        assert events == ["discarded slow", "built quick"]
        window = controller.window
        assert window is not None and window.property("user_id") == "u-quick"
    finally:
        gate.set()
        stop_controller(qtbot, controller)


def test_a_damaged_local_store_is_said_and_kept_and_the_window_still_opens(
    qtbot: QtBot, settings: Settings, tmp_path: Path
) -> None:
    session = offline_session("lisi")
    path = store_path(session, tmp_path / "data")
    path.parent.mkdir(parents=True)
    damaged = b"this is not an SQLite file" * 100
    path.write_bytes(damaged)
    credentials = CredentialStore(tmp_path / "config", backend=MemoryKeyring())
    credentials.new_store_key(session.server_url, session.username)  # its key is here
    controller = AppController(
        settings, credentials, quit_app=lambda: None,
        backend_factory=lambda s, c: open_account(s, c, data_dir=tmp_path / "data"))
    try:
        with qtbot.waitSignal(controller.window_opened, timeout=10_000):
            controller.open_window(session)
        assert controller.backend is None  # the shell, without a store to sync

        window = controller.window
        assert window is not None
        box = window.findChild(QMessageBox, "op_error_box")  # over the window, not behind
        assert box is not None and box.isVisible()
        assert "local data could not be opened" in box.text()
        assert "damaged" in box.text()  # or not encrypted with this computer's key
        assert "Nothing has been deleted" in box.text()
        assert window.status_bar.currentMessage() == (
            "Not syncing: your local data could not be opened.")
        assert path.read_bytes() == damaged  # kept for IT to look at
        box.close()
    finally:
        stop_controller(qtbot, controller)


def test_offline_start_without_a_token_asks_to_sign_in_reading_the_keyring_once(
    qtbot: QtBot, settings: Settings, tmp_path: Path
) -> None:
    class CountingKeyring(MemoryKeyring):
        reads = 0

        def get_password(self, service: str, username: str) -> str | None:
            if service.startswith(SERVICE_PREFIX):  # the refresh token's (not the store key's)
                CountingKeyring.reads += 1
            return super().get_password(service, username)

    credentials = CredentialStore(tmp_path / "config", backend=CountingKeyring())
    session = offline_session("lisi")
    credentials.remember_account(Account(session.server_url, "lisi", session.user_id,
                                         session.role, "lisi"))
    controller = AppController(
        settings, credentials, quit_app=lambda: None,
        backend_factory=lambda s, c: open_account(s, c, data_dir=tmp_path / "data"))
    try:
        controller.start()
        qtbot.waitUntil(lambda: controller._dialog is not None, timeout=10_000)
        window = controller.window
        assert window is not None and window.isVisible()  # work goes on meanwhile
        assert isinstance(controller.backend, SyncBackend)
        assert CountingKeyring.reads == 1  # read while the store opened, not again
        controller._dialog.close()
    finally:
        stop_controller(qtbot, controller)
