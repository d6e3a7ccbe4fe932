"""ui.backend: the real store and sync engine behind the window, against the real server."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from sync.client import ApiClient
from sync.credentials import CredentialStore
from sync.events import SyncReport
from tests.conftest import LiveServer
from tests.ui.test_credentials import MemoryKeyring
from tests.world import PASSWORD, World, build_world
from ui.backend import SyncBackend, store_path
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
    backend = SyncBackend(session, bridge, credentials, settings, data_dir=tmp_path / "data")
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
    assert counted.args[0] == {"pending": 0, "conflicts": 0, "inbox": 0, "tickets": 0}

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
