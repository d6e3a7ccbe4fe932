"""Signing in with the real HTTP client, then the first sync as the status bar shows it.

The server is the real one on loopback (``live_server``); the client side is the app's
own code path: :class:`ui.app.AppController` with the real login (``http_login``), the
real backend (``ui.backend.SyncBackend``: store, HTTP client, engine, scheduler) and the
main window. Only the keyring is an in-memory one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from server.demo_data import DEMO_PASSWORD
from server.seed import seed
from sync.credentials import CredentialStore, service_name
from sync.events import SyncProgress, SyncReport
from sync.wire import TokenPair
from tests.conftest import LiveServer
from tests.keyrings import MemoryKeyring
from tests.ui.test_backend import stop_controller
from tests.world import PASSWORD, build_world
from ui.app import AppController, http_login
from ui.backend import OpenedAccount, SyncBackend, open_account
from ui.households import HouseholdsView
from ui.login_dialog import LoginDialog
from ui.session import Session
from ui.settings import Settings
from ui.sync_bridge import SyncBridge

PAGE_SIZE = 25
"""Small pages, so the first sync of a demo worker takes many round trips."""


@pytest.fixture
def keyring_backend() -> MemoryKeyring:
    return MemoryKeyring()


@pytest.fixture
def credentials(tmp_path: Path, keyring_backend: MemoryKeyring) -> CredentialStore:
    return CredentialStore(tmp_path / "config", backend=keyring_backend)


def login_dialog(qtbot: QtBot, server: LiveServer, credentials: CredentialStore,
                 username: str) -> LoginDialog:
    dialog = LoginDialog(http_login(credentials), server_url=server.url, username=username)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def sign_in(qtbot: QtBot, dialog: LoginDialog, password: str) -> None:
    dialog.password_edit.setText(password)
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)


def test_signing_in_against_the_real_server(
    qtbot: QtBot, live_server: LiveServer, credentials: CredentialStore
) -> None:
    build_world(live_server.engine)
    dialog = login_dialog(qtbot, live_server, credentials, "clerk1")
    with qtbot.waitSignal(dialog.logged_in, timeout=10_000) as signed:
        sign_in(qtbot, dialog, PASSWORD)
    pair = signed.args[0]
    assert isinstance(pair, TokenPair)
    assert (pair.user.username, pair.user.role) == ("clerk1", "clerk")
    assert pair.access_token and pair.refresh_token
    assert dialog.password_edit.text() == ""
    assert not dialog.isVisible()


def test_a_wrong_password_is_said_in_the_dialog(
    qtbot: QtBot, live_server: LiveServer, credentials: CredentialStore
) -> None:
    build_world(live_server.engine)
    dialog = login_dialog(qtbot, live_server, credentials, "clerk1")
    with qtbot.assertNotEmitted(dialog.logged_in, wait=0):
        sign_in(qtbot, dialog, "not-the-password")
        qtbot.waitUntil(dialog.error_label.isVisible, timeout=10_000)
    assert dialog.error_label.text() == "The user name or password is not right."
    assert dialog.password_edit.text() == ""  # typed again, not corrected
    assert dialog.isVisible() and dialog.sign_in_button.isEnabled()
    assert dialog.password_edit.hasFocus()


# -- the first sync, as the status bar shows it ------------------------------------------


@pytest.fixture
def demo_server(live_server: LiveServer) -> LiveServer:
    """The demo data (3,000 households): a worker's first sync takes dozens of pages."""
    seed(live_server.engine, "demo")
    return live_server


@dataclass
class SmallPages:
    """The real backend (``ui.app.PreparedBackend``), pulling small pages."""

    opened: OpenedAccount

    def build(self, bridge: SyncBridge, settings: Settings) -> SyncBackend:
        backend = self.opened.build(bridge, settings)
        backend.engine.page_size = PAGE_SIZE
        return backend

    def discard(self) -> None:
        self.opened.discard()


@pytest.fixture
def controller(qtbot: QtBot, settings: Settings, credentials: CredentialStore,
               tmp_path: Path) -> Iterator[AppController]:
    def small_pages(session: Session, credentials: CredentialStore) -> SmallPages:
        return SmallPages(open_account(session, credentials, data_dir=tmp_path / "data"))

    controller = AppController(settings, credentials, quit_app=lambda: None,
                               login=http_login(credentials), backend_factory=small_pages)
    yield controller
    stop_controller(qtbot, controller)


def test_after_signing_in_the_status_bar_follows_the_first_sync(
    qtbot: QtBot, demo_server: LiveServer, controller: AppController,
    keyring_backend: MemoryKeyring
) -> None:
    bridge = controller.bridge
    progress: list[SyncProgress] = []
    bridge.sync_progressed.connect(progress.append)
    dialog = controller.ask_login(demo_server.url, "worker1")  # deleted once signed in
    with qtbot.waitSignal(bridge.sync_started, timeout=10_000):
        sign_in(qtbot, dialog, DEMO_PASSWORD)
    window = controller.window
    assert window is not None
    bar = window.status_bar
    assert not bar.sync_button.isEnabled()

    # While pages arrive: the bar fills (a range, a value) and says how far it got.
    qtbot.waitUntil(lambda: bar.progress_bar.isVisible() and bar.progress_bar.maximum() > 0
                    and bar.progress_bar.value() > 0, timeout=15_000)
    assert bar.progress_label.text().startswith("Receiving ")
    assert bar.progress_bar.value() <= bar.progress_bar.maximum()
    with qtbot.waitSignal(bridge.sync_finished, timeout=60_000) as finished:
        pass
    report = finished.args[0]
    assert isinstance(report, SyncReport) and report.pulled > 10 * PAGE_SIZE

    # Then: the bar goes, the last sync is now, the button is back.
    assert not bar.progress_bar.isVisible() and not bar.progress_label.isVisible()
    assert bar.last_sync_label.text() == "Last sync: just now"
    assert bar.online_label.accessibleName() == "Online"
    assert bar.sync_button.isEnabled()
    assert [p.stage for p in progress].count("pull") >= 2
    dones = [p.done for p in progress if p.stage == "pull"]
    assert dones == sorted(dones)  # it only moves forward
    assert keyring_backend.secrets[(service_name(demo_server.url), "worker1")]

    # The households arrived: the section lists them.
    window.show_section("households")
    view = window.page("households").findChild(HouseholdsView)
    assert view is not None
    qtbot.waitUntil(lambda: view.model.rowCount() > 0, timeout=5000)
    assert view.count_label.text() == f"{view.model.rowCount()} households"
    assert report.changed["household"] and len(report.changed["household"]) == (
        view.model.rowCount())

