"""The login dialog: inline errors in the user's language, success, a GUI that never waits."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from sync import client
from ui.login_dialog import LoginDialog

SERVER = "https://desk.example.cn"


class ApiError(Exception):
    """Shaped like the sync client's typed errors: the wire code in ``code``."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class FakeLogin:
    """A real function the dialog calls (in a worker thread): fails or succeeds."""

    def __init__(self, outcome: Callable[[str, str, str], object]) -> None:
        self.outcome = outcome
        self.calls: list[tuple[str, str, str]] = []
        self.threads: list[int] = []

    def __call__(self, url: str, username: str, password: str) -> object:
        self.calls.append((url, username, password))
        self.threads.append(threading.get_ident())
        return self.outcome(url, username, password)


def raising(exc: BaseException) -> Callable[[str, str, str], object]:
    def outcome(url: str, username: str, password: str) -> object:
        raise exc

    return outcome


def make_dialog(qtbot: QtBot, login: FakeLogin, **kw: object) -> LoginDialog:
    dialog = LoginDialog(login, server_url=SERVER, username="zhangsan", **kw)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def sign_in(qtbot: QtBot, dialog: LoginDialog, password: str = "secret") -> None:
    dialog.password_edit.setText(password)
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)


def test_success_hands_back_the_result(qtbot: QtBot) -> None:
    token = object()
    login = FakeLogin(lambda url, user, pw: token)
    dialog = make_dialog(qtbot, login)
    with qtbot.waitSignal(dialog.logged_in, timeout=3000) as blocker:
        sign_in(qtbot, dialog)
    assert blocker.args == [token]
    assert dialog.result_value is token
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert login.calls == [(SERVER, "zhangsan", "secret")]
    assert threading.get_ident() not in login.threads
    assert dialog.password_edit.text() == ""  # the password does not linger
    assert dialog.remember_me()


def test_wrong_password_is_said_inline(qtbot: QtBot) -> None:
    login = FakeLogin(raising(ApiError("invalid_credentials", "HTTP 401 {...}")))
    dialog = make_dialog(qtbot, login)
    sign_in(qtbot, dialog)
    qtbot.waitUntil(dialog.error_label.isVisible, timeout=3000)
    assert dialog.error_label.text() == "The user name or password is not right."
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.password_edit.text() == ""
    assert dialog.sign_in_button.isEnabled()
    assert not dialog.busy


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (client.UnauthorizedError("HTTP 401", status=401), "user name or password is not"),
        (client.OfflineError("the server cannot be reached: ConnectionError"),
         "server cannot be reached"),
        (client.RateLimitedError("429", retry_after=30), "Too many attempts"),
        (client.ForbiddenError("403"), "may not sign in"),
        (client.ServerError("502"), "server had a problem"),
        (client.BadAnswerError("not JSON"), "does not look like a Gulou e-Home server"),
        (client.RequestRejected("422", "validation"), "did not accept the data"),
        (ConnectionRefusedError(111, "Connection refused"), "server cannot be reached"),
        (TimeoutError("timed out"), "server cannot be reached"),
        (ApiError("rate_limited", "429"), "Too many attempts"),
        (ApiError("forbidden", "403"), "may not sign in"),
        (ApiError("server_error", "500"), "server had a problem"),
        (ValueError("unexpected <html>"), "details were written to the log file"),
    ],
)
def test_error_paths(qtbot: QtBot, exc: BaseException, expected: str) -> None:
    dialog = make_dialog(qtbot, FakeLogin(raising(exc)))
    sign_in(qtbot, dialog)
    qtbot.waitUntil(dialog.error_label.isVisible, timeout=3000)
    assert expected in dialog.error_label.text()
    assert "<html>" not in dialog.error_label.text()
    assert dialog.isVisible()


def test_requests_connection_errors_are_unreachable(qtbot: QtBot) -> None:
    import requests

    dialog = make_dialog(qtbot, FakeLogin(raising(requests.ConnectionError("refused"))))
    sign_in(qtbot, dialog)
    qtbot.waitUntil(dialog.error_label.isVisible, timeout=3000)
    assert "server cannot be reached" in dialog.error_label.text()


@pytest.mark.usefixtures("chinese")
def test_errors_are_in_the_users_language(qtbot: QtBot) -> None:
    dialog = make_dialog(qtbot, FakeLogin(raising(ApiError("invalid_credentials", "401"))))
    assert dialog.sign_in_button.text() == "登录"
    sign_in(qtbot, dialog)
    qtbot.waitUntil(dialog.error_label.isVisible, timeout=3000)
    assert dialog.error_label.text() == "用户名或密码不正确。"
    other = make_dialog(qtbot, FakeLogin(raising(ConnectionError("refused"))))
    sign_in(qtbot, other)
    qtbot.waitUntil(other.error_label.isVisible, timeout=3000)
    assert other.error_label.text() == "无法连接服务器。请检查网络和服务器地址后重试。"


@pytest.mark.parametrize(
    ("server", "username", "password", "expected"),
    [
        ("", "zhangsan", "pw", "Enter the server address."),
        ("ftp://desk", "zhangsan", "pw", "The server address starts with https://"),
        (SERVER, " ", "pw", "Enter your user name."),
        (SERVER, "zhangsan", "", "Enter your password."),
    ],
)
def test_missing_fields_are_said_before_calling(
    qtbot: QtBot, server: str, username: str, password: str, expected: str
) -> None:
    login = FakeLogin(lambda url, user, pw: "token")
    dialog = make_dialog(qtbot, login)
    dialog.server_edit.setText(server)
    dialog.username_edit.setText(username)
    sign_in(qtbot, dialog, password)
    assert dialog.error_label.text() == expected
    qtbot.wait(50)
    assert login.calls == []


def test_the_gui_keeps_running_while_the_server_thinks(qtbot: QtBot) -> None:
    def slow(url: str, user: str, pw: str) -> object:
        time.sleep(0.5)
        return "token"

    beats: list[float] = []
    heartbeat = QTimer()
    heartbeat.timeout.connect(lambda: beats.append(time.monotonic()))
    heartbeat.start(20)
    dialog = make_dialog(qtbot, FakeLogin(slow))
    started = time.monotonic()
    sign_in(qtbot, dialog)
    assert time.monotonic() - started < 0.2
    assert dialog.busy
    assert not dialog.sign_in_button.isEnabled() and not dialog.password_edit.isEnabled()
    assert dialog.busy_bar.isVisible()
    qtbot.waitUntil(lambda: dialog.result_value == "token", timeout=3000)
    heartbeat.stop()
    assert len([b for b in beats if b <= started + 0.5]) >= 10


def test_cancel_while_signing_in_returns_to_the_form(qtbot: QtBot) -> None:
    release = threading.Event()

    def slow(url: str, user: str, pw: str) -> object:
        release.wait(2)
        return "late token"

    dialog = make_dialog(qtbot, FakeLogin(slow))
    sign_in(qtbot, dialog)
    assert dialog.busy
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert not dialog.busy and dialog.isVisible()
    assert dialog.sign_in_button.isEnabled()
    with qtbot.assertNotEmitted(dialog.logged_in, wait=300):
        release.set()
    assert dialog.result_value is None
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Rejected


def test_without_a_keyring_remember_me_is_off_and_explained(qtbot: QtBot) -> None:
    dialog = make_dialog(qtbot, FakeLogin(lambda *a: "t"), keyring_available=False)
    assert not dialog.remember_check.isEnabled()
    assert not dialog.remember_me()
    assert "password" in dialog.remember_check.toolTip()


def test_server_address_is_normalized(qtbot: QtBot) -> None:
    login = FakeLogin(lambda *a: "t")
    dialog = make_dialog(qtbot, login)
    dialog.server_edit.setText("  HTTPS://Desk.Example.cn/ ")
    with qtbot.waitSignal(dialog.logged_in, timeout=3000):
        sign_in(qtbot, dialog)
    assert login.calls[0][0] == SERVER


@pytest.mark.parametrize("error", [
    ApiError("invalid_credentials", "HTTP 401"),
    client.OfflineError("the server cannot be reached"),
], ids=["wrong password", "unreachable"])
def test_enter_after_a_failed_attempt_signs_in_again_never_cancels(
    qtbot: QtBot, error: Exception
) -> None:
    """While the server thinks, the fields are disabled and the focus falls to Cancel,
    which (as a dialog's focused button) took over Enter: the next Enter cancelled."""
    attempts: list[str] = []

    def outcome(url: str, user: str, password: str) -> object:
        attempts.append(password)
        if len(attempts) == 1:
            raise error
        return "signed in"

    dialog = make_dialog(qtbot, FakeLogin(outcome))
    dialog.password_edit.setFocus()
    qtbot.keyClicks(dialog.password_edit, "first")
    qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(dialog.error_label.isVisible, timeout=3000)
    assert dialog.sign_in_button.isDefault() and not dialog.cancel_button.isDefault()
    focused = dialog.focusWidget()
    assert focused is dialog.password_edit
    dialog.password_edit.setText("second")
    with qtbot.assertNotEmitted(dialog.rejected), \
            qtbot.waitSignal(dialog.logged_in, timeout=3000):
        qtbot.keyClick(focused, Qt.Key.Key_Return)
    assert attempts == ["first", "second"]
