"""ui.app: command line, log file, and the controller's sign-in / offline-open / sign-out."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from sync.credentials import Account, CredentialStore
from sync.events import FailureReason
from sync.wire import TokenPair, UserInfo
from tests.keyrings import MemoryKeyring
from ui.app import AppController, parse_args, setup_logging
from ui.login_dialog import LoginDialog
from ui.main_window import MainWindow
from ui.settings import SERVER_URL, Settings

SERVER = "https://desk.example.cn"


def token_pair(role: str = "clerk") -> TokenPair:
    return TokenPair(
        access_token="access-1", refresh_token="refresh-1", expires_in=900,
        user=UserInfo(id="u-7", username="lisi", display_name="李四", role=role),
    )


class Harness:
    def __init__(self, qtbot: QtBot, settings: Settings, tmp_path: Path) -> None:
        self.qtbot = qtbot
        self.keyring = MemoryKeyring()
        self.credentials = CredentialStore(tmp_path / "config", backend=self.keyring)
        self.quits = 0
        self.logins: list[tuple[str, str, str]] = []
        self.controller = AppController(
            settings, self.credentials, quit_app=self._quit, login=self._login
        )

    def _quit(self) -> None:
        self.quits += 1

    def _login(self, url: str, user: str, password: str) -> object:
        self.logins.append((url, user, password))
        return token_pair()

    def dialog(self) -> LoginDialog:
        self.qtbot.waitUntil(lambda: self.controller._dialog is not None, timeout=3000)
        dialog = self.controller._dialog
        assert dialog is not None
        self.qtbot.addWidget(dialog)
        return dialog

    def window(self) -> MainWindow:
        self.qtbot.waitUntil(lambda: self.controller.window is not None, timeout=3000)
        window = self.controller.window
        assert window is not None
        self.qtbot.addWidget(window)
        return window


@pytest.fixture
def harness(qtbot: QtBot, settings: Settings, tmp_path: Path) -> Harness:
    return Harness(qtbot, settings, tmp_path)


def test_command_line() -> None:
    args = parse_args([])
    assert (args.demo, args.server, args.role, args.lang) == (False, None, "worker", None)
    args = parse_args(["--demo", "--role", "clerk", "--server", SERVER, "--lang", "en"])
    assert (args.demo, args.server, args.role, args.lang) == (True, SERVER, "clerk", "en")
    with pytest.raises(SystemExit):
        parse_args(["--role", "mayor"])


def test_log_file_in_the_given_folder(tmp_path: Path) -> None:
    root = logging.getLogger()
    before = list(root.handlers), root.level
    try:
        path = setup_logging(tmp_path / "logs", "INFO")
        logging.getLogger("ui.test").info("hello log")
        for handler in root.handlers:
            handler.flush()
        assert path.parent == tmp_path / "logs"
        assert "hello log" in path.read_text(encoding="utf-8")
    finally:
        for handler in root.handlers:
            if handler not in before[0]:
                root.removeHandler(handler)
                handler.close()
        root.setLevel(before[1])


def test_first_start_signs_in_and_remembers(
    harness: Harness, settings: Settings, qtbot: QtBot
) -> None:
    harness.controller.start(server=SERVER)
    dialog = harness.dialog()
    assert harness.controller.window is None
    dialog.username_edit.setText("lisi")
    dialog.password_edit.setText("pw")
    dialog.submit()
    window = harness.window()
    assert window.sections()[0] == "inbox"  # the server said: clerk
    assert harness.logins == [(SERVER, "lisi", "pw")]
    qtbot.waitUntil(lambda: harness.credentials.last_account() is not None, timeout=3000)
    assert harness.credentials.last_account() == Account(SERVER, "lisi", "u-7", "clerk", "李四")
    assert harness.credentials.access_token == "access-1"
    assert harness.keyring.secrets == {(f"gulou-desk:{SERVER}", "lisi"): "refresh-1"}
    assert settings.get(SERVER_URL) == SERVER


def test_cancelling_the_first_sign_in_quits(harness: Harness) -> None:
    harness.controller.start(server=SERVER)
    harness.dialog().reject()
    harness.qtbot.waitUntil(lambda: harness.quits == 1, timeout=2000)


def test_opens_offline_with_the_last_account(harness: Harness, qtbot: QtBot) -> None:
    harness.credentials.remember_account(Account(SERVER, "lisi", "u-7", "supervisor", "李四"))
    harness.credentials.save_refresh_token(SERVER, "lisi", "refresh-0")
    harness.controller.start()
    window = harness.window()
    assert window.sections()[0] == "performance"
    qtbot.wait(200)  # the background token check finds one: no sign-in asked
    assert harness.controller._dialog is None


def test_asks_to_sign_in_again_when_the_keyring_has_no_token(harness: Harness) -> None:
    harness.credentials.remember_account(Account(SERVER, "lisi", "u-7", "clerk", "李四"))
    harness.controller.start()
    window = harness.window()
    dialog = harness.dialog()
    assert dialog.username_edit.text() == "lisi"
    assert dialog.server_edit.text() == SERVER
    assert window.isVisible()  # the user can keep working meanwhile


def test_expired_sign_in_during_sync_asks_again(harness: Harness) -> None:
    harness.controller.start(demo=True, role="worker")
    harness.window()
    harness.controller.bridge.listener.sync_failed(FailureReason.UNAUTHORIZED, "refresh failed")
    dialog = harness.dialog()
    intro = dialog.findChild(QLabel, "dialog_intro")
    assert intro is not None and "expired" in intro.text()


def test_sign_out_forgets_the_session(harness: Harness, qtbot: QtBot) -> None:
    harness.credentials.remember_account(Account(SERVER, "lisi", "u-7", "clerk", "李四"))
    harness.credentials.save_refresh_token(SERVER, "lisi", "refresh-0")
    harness.controller.start()
    window = harness.window()
    qtbot.wait(100)
    window.sign_out_requested.emit()
    dialog = harness.dialog()
    assert harness.controller.window is None
    assert harness.keyring.secrets == {}
    assert harness.credentials.last_account() is None
    assert dialog.username_edit.text() == "lisi"
    assert harness.quits == 0


def test_demo_opens_without_signing_in(harness: Harness) -> None:
    harness.controller.start(demo=True, role="supervisor")
    window = harness.window()
    assert window.windowTitle() == "Gulou e-Home Desk (demo)"
    assert window.sections()[0] == "performance"
    assert harness.controller._dialog is None


def test_demo_signs_in_to_the_demo_server_in_the_background(
    qtbot: QtBot, settings: Settings, tmp_path: Path
) -> None:
    class DemoPair:
        access_token = "a"
        refresh_token = "r"
        user = UserInfo(id="u-1", username="clerk1", display_name="王芳", role="clerk")
        server_url = "http://127.0.0.1:8765"

    roles: list[str] = []
    credentials = CredentialStore(tmp_path, backend=MemoryKeyring())

    def demo_login(role: str) -> object:
        roles.append(role)
        return DemoPair()

    controller = AppController(settings, credentials, quit_app=lambda: None,
                               demo_login=demo_login)
    controller.start(demo=True, role="clerk")
    qtbot.waitUntil(lambda: controller.window is not None, timeout=3000)
    window = controller.window
    assert window is not None
    qtbot.addWidget(window)
    assert roles == ["clerk"]
    assert window.sections()[0] == "inbox"
    assert window.windowTitle() == "Gulou e-Home Desk (demo)"
    # Demo tokens are never written to the keyring.
    assert credentials.refresh_token("http://127.0.0.1:8765", "clerk1") == "r"
    assert CredentialStore(tmp_path, backend=MemoryKeyring()).refresh_token(
        "http://127.0.0.1:8765", "clerk1") is None
