"""The idle lock: after the idle time the window is covered and the app's other windows
hidden; the password (checked offline against the keyring's Argon2 verifier) unlocks;
input keeps it open; five wrong passwords sign out, the store staying encrypted."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from gulou_desk.store import cipher
from sync.credentials import UNLOCK_PREFIX, CredentialStore, service_name
from tests.conftest import LiveServer
from tests.keyrings import MemoryKeyring
from tests.ui.test_backend import stop_controller
from tests.ui.test_login_flow import sign_in
from tests.world import PASSWORD, World, build_world
from ui.app import AppController
from ui.backend import open_account, store_path
from ui.idle_lock import IdleLock, LockScreen
from ui.settings import IDLE_LOCK_MINUTES, Settings

IDLE_MS = 600
"""The idle time of these tests (the setting's minutes, scaled down)."""


@pytest.fixture
def world(live_server: LiveServer) -> World:
    return build_world(live_server.engine)


@pytest.fixture
def fast_lock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(IdleLock, "interval_ms",
                        lambda self: self._settings.get(IDLE_LOCK_MINUTES) * IDLE_MS)


@pytest.fixture
def signed_in(qtbot: QtBot, settings: Settings, live_server: LiveServer, world: World,
              tmp_path: Path, fast_lock: None) -> Iterator[tuple[AppController, MemoryKeyring]]:
    keyring = MemoryKeyring()
    credentials = CredentialStore(tmp_path / "config", backend=keyring)
    settings.set(IDLE_LOCK_MINUTES, 120)  # not while signing in; each test sets 1
    controller = AppController(
        settings, credentials, quit_app=lambda: None,
        backend_factory=lambda s, c: open_account(s, c, data_dir=tmp_path / "data"))
    dialog = controller.ask_login(live_server.url, "worker1")
    with qtbot.waitSignal(controller.bridge.sync_finished, timeout=20_000):
        sign_in(qtbot, dialog, PASSWORD)
    yield controller, keyring
    stop_controller(qtbot, controller)


def _idle_from_now(settings: Settings) -> None:
    settings.set(IDLE_LOCK_MINUTES, 1)  # the countdown starts again, short


def _locked(controller: AppController) -> LockScreen | None:
    lock = controller.idle_lock
    return lock.screen if lock is not None else None


def _type(qtbot: QtBot, screen: LockScreen, password: str) -> None:
    qtbot.keyClicks(screen.password_edit, password)
    qtbot.keyClick(screen.password_edit, Qt.Key.Key_Return)


def test_the_window_locks_when_idle_and_the_password_unlocks_it(
    qtbot: QtBot, signed_in: tuple[AppController, MemoryKeyring], live_server: LiveServer,
    settings: Settings,
) -> None:
    controller, keyring = signed_in
    window = controller.window
    verifier = keyring.secrets[(service_name(live_server.url, UNLOCK_PREFIX), "worker1")]
    assert verifier.startswith("$argon2id$") and PASSWORD not in verifier
    form = QDialog(window)
    form.setWindowTitle("走访表单")
    form.show()
    _idle_from_now(settings)

    qtbot.waitUntil(lambda: _locked(controller) is not None, timeout=5 * IDLE_MS)
    screen = _locked(controller)
    assert screen.isVisible() and screen.geometry() == window.rect()
    assert not form.isVisible()  # nothing of the work shows
    qtbot.waitUntil(screen.password_edit.hasFocus, timeout=2000)
    assert screen.password_edit.echoMode() == screen.password_edit.EchoMode.Password

    _type(qtbot, screen, "not-it")
    qtbot.waitUntil(screen.error_label.isVisible, timeout=10_000)
    assert screen.error_label.text() == "That is not the password. 4 more wrong tries sign out."
    assert _locked(controller) is screen
    window.resize(window.width() + 40, window.height())
    assert screen.geometry() == window.rect()  # still all of it

    _type(qtbot, screen, PASSWORD)
    qtbot.waitUntil(lambda: _locked(controller) is None, timeout=10_000)
    assert form.isVisible()
    form.close()


def test_input_keeps_the_window_open(
    qtbot: QtBot, signed_in: tuple[AppController, MemoryKeyring], settings: Settings
) -> None:
    controller, _ = signed_in
    window = controller.window
    _idle_from_now(settings)
    for _ in range(6):  # longer than the idle time in all, never idle for long
        qtbot.wait(IDLE_MS // 3)
        qtbot.keyClick(window, Qt.Key.Key_Shift)
        assert _locked(controller) is None
    qtbot.waitUntil(lambda: _locked(controller) is not None, timeout=5 * IDLE_MS)


def test_five_wrong_passwords_sign_out_and_the_store_stays_encrypted(
    qtbot: QtBot, signed_in: tuple[AppController, MemoryKeyring], tmp_path: Path,
    settings: Settings,
) -> None:
    controller, _ = signed_in
    session = controller.backend.session
    path = store_path(session, tmp_path / "data")
    _idle_from_now(settings)
    qtbot.waitUntil(lambda: _locked(controller) is not None, timeout=5 * IDLE_MS)
    screen = _locked(controller)
    for n in range(4):
        _type(qtbot, screen, f"wrong-{n}")
        qtbot.waitUntil(lambda n=n: f"{4 - n} more wrong" in screen.error_label.text()
                        if n < 3 else "1 more wrong try" in screen.error_label.text(),
                        timeout=10_000)
    _type(qtbot, screen, "wrong-again")
    qtbot.waitUntil(lambda: controller._dialog is not None, timeout=10_000)
    assert controller.window is None and controller.backend is None
    assert path.exists() and not cipher.is_plaintext(path)
    controller._dialog.close()
