"""The sign-in dialog: server address, user name, password, "remember me".

The dialog does not know HTTP. It is given a ``login(server_url, username, password)``
callable, which it runs in the background (``ui.background``, NETWORK lane), so the GUI
keeps running while the server thinks. The callable returns whatever the app needs
(the real one returns the :class:`sync.wire.TokenPair` of
``sync.client.ApiClient(url).login(username, password, device_id, device_name)``); the
dialog hands it back through ``logged_in`` and :attr:`LoginDialog.result_value`.

Errors are shown inline, in the user's language (``ui.errors``): a wrong password
(``sync.client.UnauthorizedError``, or ``code == "invalid_credentials"``), an unreachable
server (``OfflineError``, connection errors and timeouts), too many attempts
(``RateLimitedError``), an account not allowed to sign in (``ForbiddenError``), or a
server that does not speak our protocol (``BadAnswerError``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sync.credentials import normalize_server_url
from ui.background import Lane, Op, OpError, OpHandle, Progress, Runner
from ui.errors import describe_code, describe_error, error_code, is_unreachable
from ui.icons import app_icon, icon

log = logging.getLogger(__name__)

LoginFunction = Callable[[str, str, str], object]
"""``login(server_url, username, password)``: blocking; returns the app's result or raises."""
ChangePassword = Callable[[str, object, str, str], None]
"""``change(server_url, login_result, current, new)``: blocking; sets the user's own
password after a one-time one (the login result's ``user.must_change_password``)."""
MIN_PASSWORD = 8

_LEADING = QLineEdit.ActionPosition.LeadingPosition

WRONG_PASSWORD_CODES = frozenset({"invalid_credentials", "unauthorized"})
"""At login, ``sync.client.UnauthorizedError`` (``code == "unauthorized"``) means a wrong
user name or password."""


class LoginDialog(QDialog):
    """Asks for the account and signs in without blocking the GUI thread.

    Signals:
        logged_in(object): the login callable succeeded; carries its result.
    """

    logged_in = Signal(object)

    def __init__(
        self,
        login: LoginFunction,
        *,
        server_url: str = "",
        username: str = "",
        remember: bool = True,
        keyring_available: bool = True,
        message: str = "",
        runner: Runner | None = None,
        parent: QWidget | None = None,
        change_password: ChangePassword | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("login_dialog")
        self.setWindowTitle(self.tr("Sign in to Gulou e-Home"))
        self.setWindowIcon(app_icon())
        self.setModal(True)
        self.setMinimumWidth(480)
        self._login = login
        self._change_password = change_password
        self._one_time: tuple[object, str] | None = None
        """(login result, one-time password) while the user chooses their own."""
        self._runner = runner
        self._handle: OpHandle | None = None
        self._focus_before: QWidget | None = None
        """Where the focus was when signing in began (disabling the fields moves it)."""
        self._keyring_available = keyring_available
        self.result_value: object | None = None

        heading = QLabel(self.tr("Sign in"))
        heading.setObjectName("dialog_title")
        intro = QLabel(
            message
            or self.tr("Use the account your community office gave you. You sign in once; "
                       "after that the app also works without a network.")
        )
        intro.setObjectName("dialog_intro")
        intro.setWordWrap(True)
        self._intro = intro

        self.server_edit = QLineEdit(server_url)
        self.server_edit.setObjectName("server_url")
        self.server_edit.setPlaceholderText("https://")
        self.server_edit.addAction(icon("server", selected=None), _LEADING)
        self.username_edit = QLineEdit(username)
        self.username_edit.setObjectName("username")
        self.username_edit.setPlaceholderText(self.tr("User name"))
        self.username_edit.addAction(icon("user", selected=None), _LEADING)
        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("password")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setPlaceholderText(self.tr("Password"))
        self.password_edit.addAction(icon("lock", selected=None), _LEADING)
        self.remember_check = QCheckBox(self.tr("Remember me on this computer"))
        self.remember_check.setObjectName("remember_me")
        self.remember_check.setChecked(remember and keyring_available)
        if not keyring_available:
            self.remember_check.setEnabled(False)
            self.remember_check.setToolTip(
                self.tr("This computer has no secure key store: you will be asked for your "
                        "password each time the app starts.")
            )

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        form.addRow(self.tr("Server"), self.server_edit)
        form.addRow(self.tr("User name"), self.username_edit)
        form.addRow(self.tr("Password"), self.password_edit)
        form.addRow("", self.remember_check)
        self.new_password_edit = QLineEdit()
        self.new_password_edit.setObjectName("new_password")
        self.new_password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat_edit = QLineEdit()
        self.repeat_edit.setObjectName("repeat_password")
        self.repeat_edit.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("New password"), self.new_password_edit)
        form.addRow(self.tr("Repeat it"), self.repeat_edit)
        form.setRowVisible(self.new_password_edit, False)
        form.setRowVisible(self.repeat_edit, False)
        self._form = form

        self.error_label = QLabel()
        self.error_label.setObjectName("error_label")
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.hide()

        self.busy_bar = QProgressBar()
        self.busy_bar.setObjectName("busy")
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setMaximumHeight(6)
        self.busy_bar.hide()

        self.buttons = QDialogButtonBox()
        self.sign_in_button: QPushButton = self.buttons.addButton(
            self.tr("Sign in"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.sign_in_button.setObjectName("sign_in")
        self.sign_in_button.setProperty("primary", True)
        self.sign_in_button.setDefault(True)
        self.cancel_button: QPushButton = self.buttons.addButton(
            self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.cancel_button.setObjectName("cancel")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self._cancel_clicked)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 20)
        layout.setSpacing(12)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addSpacing(4)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.busy_bar)
        layout.addWidget(self.buttons)

        first_empty = next(
            (e for e in (self.server_edit, self.username_edit) if not e.text()),
            self.password_edit,
        )
        first_empty.setFocus()

    # -- what the app reads afterwards -----------------------------------------------------

    def server_url(self) -> str:
        return normalize_server_url(self.server_edit.text())

    def username(self) -> str:
        return self.username_edit.text().strip()

    def remember_me(self) -> bool:
        return self._keyring_available and self.remember_check.isChecked()

    @property
    def busy(self) -> bool:
        return self._handle is not None

    # -- signing in --------------------------------------------------------------------

    def submit(self) -> None:
        if self.busy:
            return
        if self._one_time is not None:
            self._submit_new_password()
            return
        problem = self._check_fields()
        if problem is not None:
            message, field = problem
            self.show_error(message)
            field.setFocus()
            return
        url, user, password = self.server_url(), self.username(), self.password_edit.text()
        login = self._login
        self.show_error("")
        self._set_busy(True)
        log.info("signing in to %s as %s", url, user)

        def work(progress: Progress) -> object:
            return login(url, user, password)

        self._handle = (
            Op(self, work, lane=Lane.NETWORK, runner=self._runner, name="login")
            .success(self._succeeded)
            .failure(self._failed)
            .on_cancel(lambda: self._set_busy(False))
            .run()
        )

    def _check_fields(self) -> tuple[str, QLineEdit] | None:
        server = self.server_edit.text().strip()
        if not server:
            return self.tr("Enter the server address."), self.server_edit
        if "://" in server and not server.lower().startswith(("http://", "https://")):
            return self.tr("The server address starts with https://"), self.server_edit
        if not self.username():
            return self.tr("Enter your user name."), self.username_edit
        if not self.password_edit.text():
            return self.tr("Enter your password."), self.password_edit
        return None

    def _succeeded(self, result: object) -> None:
        self._set_busy(False)
        user = getattr(result, "user", None)
        if getattr(user, "must_change_password", False) and self._change_password:
            self._ask_new_password(result)
            return
        self._finish(result)

    def _ask_new_password(self, result: object) -> None:
        """Signed in with a one-time password: the user chooses their own here before
        anything else (the server syncs nothing until then)."""
        self._one_time = (result, self.password_edit.text())
        self._intro.setText(self.tr("Your administrator gave you a one-time password. "
                                    "Choose your own to continue."))
        for edit in (self.server_edit, self.username_edit, self.password_edit):
            edit.setEnabled(False)
        self._form.setRowVisible(self.new_password_edit, True)
        self._form.setRowVisible(self.repeat_edit, True)
        self.sign_in_button.setText(self.tr("Choose your own password"))
        self.new_password_edit.setFocus()

    def _submit_new_password(self) -> None:
        assert self._one_time is not None and self._change_password is not None
        result, current = self._one_time
        new, again = self.new_password_edit.text(), self.repeat_edit.text()
        if len(new) < MIN_PASSWORD or new != again:
            self.show_error(self.tr("At least 8 characters, and the same twice."))
            return
        if new == current:
            self.show_error(self.tr("Choose a password other than the one-time password."))
            return
        url, change = self.server_url(), self._change_password
        self.show_error("")
        self._set_busy(True)
        self._handle = (
            Op(self, lambda progress: change(url, result, current, new), lane=Lane.NETWORK,
               runner=self._runner, name="change_password")
            .success(lambda _none: self._changed(result))
            .failure(self._failed)
            .on_cancel(lambda: self._set_busy(False))
            .run()
        )

    def _changed(self, result: object) -> None:
        self._set_busy(False)
        self._finish(result)

    def _finish(self, result: object) -> None:
        self.result_value = result
        self.password_edit.clear()
        self.logged_in.emit(result)
        self.accept()

    def _failed(self, error: OpError) -> None:
        self._set_busy(False)
        self.show_error(self.describe_login_error(error.exception))
        if error_code(error.exception) in WRONG_PASSWORD_CODES:
            self.password_edit.clear()
            self.password_edit.setFocus()

    def describe_login_error(self, exc: BaseException) -> str:
        if is_unreachable(exc):
            return self.tr(
                "The server cannot be reached. Check the network and the server address, "
                "then try again."
            )
        code = error_code(exc)
        if code in WRONG_PASSWORD_CODES:
            return self.tr("The user name or password is not right.")
        if code == "forbidden":
            return self.tr("This account may not sign in to the desk client. "
                           "Ask your administrator.")
        if code == "bad_answer":
            return self.tr("That address does not look like a Gulou e-Home server.")
        if code is not None and (text := describe_code(code)) is not None:
            return text
        return describe_error(exc)

    def show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.setVisible(bool(message))

    def _set_busy(self, busy: bool) -> None:
        if busy:
            self._focus_before = self.focusWidget()
        else:
            self._handle = None
        for widget in (self.server_edit, self.username_edit, self.password_edit,
                       self.sign_in_button):
            widget.setEnabled(not busy)
        self.remember_check.setEnabled(not busy and self._keyring_available)
        self.busy_bar.setVisible(busy)
        self.sign_in_button.setText(self.tr("Signing in…") if busy else self.tr("Sign in"))
        if not busy:
            # While the fields were disabled the focus fell to 取消, and a focused button
            # of a dialog becomes its default: Enter would cancel (and, before the window
            # opens, quit the app). Enter signs in again.
            self.sign_in_button.setDefault(True)
            before = self._focus_before
            if before is not None and before.isEnabled() and self.focusWidget() in (
                    None, self.cancel_button):
                before.setFocus()

    def _cancel_clicked(self) -> None:
        if self._handle is not None:
            # Stop waiting for the server, stay in the dialog.
            self._handle.cancel()
            self._set_busy(False)
            return
        self.reject()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self._handle is not None:
            self._cancel_clicked()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None
        super().closeEvent(event)
