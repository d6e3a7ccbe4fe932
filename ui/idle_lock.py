"""The idle lock: a laptop left open in a resident's home shows nothing.

After ``security/idle_lock_minutes`` (default 15) without a key press, a mouse press or
a wheel turn anywhere in the app, :class:`IdleLock` covers the main window with
:class:`LockScreen` (opaque, over everything in it) and hides the app's other windows
(dialogs, a visit form) until it is unlocked. Unlocking takes the account's password,
checked offline against the Argon2id verifier kept in the keyring at sign-in
(``sync.credentials.CredentialStore.check_unlock``, on a worker thread: Argon2 is slow on
purpose). Five wrong passwords sign out (the local store stays encrypted, the edits in
it stay for the next sign-in). Without a verifier (the keyring could not keep one) the
only way on is to sign out and in again.

The sync goes on under the lock: it shows nothing and needs no one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.background import Lane, Op, Progress
from ui.settings import IDLE_LOCK_MINUTES, Settings

log = logging.getLogger(__name__)

MAX_TRIES = 5
_INPUT_EVENTS = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick,
    QEvent.Type.Wheel, QEvent.Type.TouchBegin, QEvent.Type.TabletPress,
})

_SHOWN = frozenset({QEvent.Type.Show, QEvent.Type.ZOrderChange})

CheckPassword = Callable[[str], bool]
"""``check(password)``: blocking (Argon2), ``True`` when it is the account's."""


class LockScreen(QFrame):
    """What covers the window while locked.

    Signals:
        unlock_requested(str): the user entered a password.
        sign_out_requested(): the user chose to sign out.
    """

    unlock_requested = Signal(str)
    sign_out_requested = Signal()

    def __init__(self, user_name: str, can_check: bool, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("lock_screen")
        self.setAutoFillBackground(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        title = QLabel(self.tr("Locked"))
        title.setObjectName("page_title")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.intro_label = QLabel(
            self.tr("The window was locked after a while without use. Enter the password "
                    "of %1 to go on.").replace("%1", user_name) if can_check else
            self.tr("The window was locked after a while without use. This computer keeps "
                    "no password check for %1: sign out and sign in again to go on; your "
                    "edits are kept.").replace("%1", user_name))
        self.intro_label.setObjectName("dialog_intro")
        self.intro_label.setWordWrap(True)
        self.intro_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("lock_password")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setPlaceholderText(self.tr("Password"))
        self.password_edit.setAccessibleName(self.tr("Password"))
        self.password_edit.returnPressed.connect(self._submit)
        self.unlock_button = QPushButton(self.tr("Unlock"))
        self.unlock_button.setObjectName("lock_unlock")
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self._submit)
        self.error_label = QLabel()
        self.error_label.setObjectName("error_label")
        self.error_label.setWordWrap(True)
        self.error_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.error_label.hide()
        self.sign_out_button = QPushButton(self.tr("Sign out"))
        self.sign_out_button.setObjectName("lock_sign_out")
        self.sign_out_button.setFlat(True)
        self.sign_out_button.clicked.connect(self.sign_out_requested)
        self.password_edit.setVisible(can_check)
        self.unlock_button.setVisible(can_check)

        box = QFrame()
        box.setObjectName("lock_box")
        box.setMaximumWidth(420)
        inner = QVBoxLayout(box)
        inner.setSpacing(12)
        for widget in (title, self.intro_label, self.password_edit, self.unlock_button,
                       self.error_label, self.sign_out_button):
            inner.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(box, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)

    def _submit(self) -> None:
        password = self.password_edit.text()
        if password and self.unlock_button.isEnabled():
            self.unlock_button.setEnabled(False)
            self.unlock_requested.emit(password)

    def refused(self, tries_left: int) -> None:
        self.password_edit.clear()
        self.unlock_button.setEnabled(True)
        self.error_label.setText(self.tr(
            "That is not the password. %n more wrong try(s) sign out.", "", tries_left))
        self.error_label.show()
        self.password_edit.setFocus()


class IdleLock(QObject):
    """Watches the app's input and locks ``window`` after the idle time (see module doc).

    Signals:
        locked(): the window was covered.
        unlocked(): the right password was entered.
    """

    locked = Signal()
    unlocked = Signal()

    def __init__(self, window: QWidget, settings: Settings, *, user_name: str,
                 check: CheckPassword, can_check: bool,
                 sign_out: Callable[[], None]) -> None:
        super().__init__(window)
        self._window = window
        self._settings = settings
        self._user_name = user_name
        self._check = check
        self._can_check = can_check
        self._sign_out = sign_out
        self._tries = 0
        self._hidden: list[QWidget] = []
        self.screen: LockScreen | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.lock)
        self._apply_setting()
        settings.changed.connect(self._on_setting)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        window.destroyed.connect(self._stop)

    def set_can_check(self, can_check: bool) -> None:
        """Whether a password check is kept here (read from the keyring off the GUI
        thread once the window is open)."""
        self._can_check = can_check

    @property
    def is_locked(self) -> bool:
        return self.screen is not None

    def interval_ms(self) -> int:
        return int(self._settings.get(IDLE_LOCK_MINUTES)) * 60_000

    def _apply_setting(self) -> None:
        self._timer.setInterval(self.interval_ms())
        if not self.is_locked:
            self._timer.start()

    def _on_setting(self, name: str) -> None:
        if name == IDLE_LOCK_MINUTES.name:
            self._apply_setting()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in _INPUT_EVENTS and not self.is_locked:
            self._timer.start()  # restarts the countdown
        elif (kind in _SHOWN and self.screen is not None and watched is not self.screen
              and isinstance(watched, QWidget) and watched.parentWidget() is self._window):
            # Something of the window came up while locked (a toast of new requests):
            # the lock screen stays on top of it.
            QTimer.singleShot(0, self._keep_on_top)
        return False

    def _keep_on_top(self) -> None:
        if self.screen is not None:
            self.screen.raise_()

    def lock(self) -> None:
        if self.is_locked:
            return
        log.info("the window is locked after %d minutes without input",
                 self._settings.get(IDLE_LOCK_MINUTES))
        self._hidden = [w for w in QApplication.topLevelWidgets()
                        if w.isVisible() and w is not self._window]
        for widget in self._hidden:
            widget.hide()
        screen = LockScreen(self._user_name, self._can_check, self._window)
        screen.setGeometry(self._window.rect())
        screen.unlock_requested.connect(self._try)
        screen.sign_out_requested.connect(self._give_up)
        self._window.installEventFilter(self._resizer)
        screen.show()
        screen.raise_()
        self._window.activateWindow()
        screen.password_edit.setFocus()
        self.screen = screen
        self.locked.emit()

    def _try(self, password: str) -> None:
        check = self._check

        def verify(progress: Progress) -> bool:
            return check(password)

        Op(self.screen, verify, lane=Lane.NETWORK, name="unlock").success(
            self._checked).failure(lambda error: self._checked(False)).run()

    def _checked(self, right: bool) -> None:
        if self.screen is None:
            return
        if right:
            self._tries = 0
            self._unlock()
            return
        self._tries += 1
        log.warning("a wrong password at the lock screen (%d of %d)", self._tries, MAX_TRIES)
        if self._tries >= MAX_TRIES:
            self._give_up()
            return
        self.screen.refused(MAX_TRIES - self._tries)

    def _unlock(self) -> None:
        screen, self.screen = self.screen, None
        if screen is not None:
            screen.hide()
            screen.deleteLater()
        for widget in self._hidden:
            widget.show()
        self._hidden = []
        self._timer.start()
        self.unlocked.emit()

    def _give_up(self) -> None:
        """Five wrong passwords, or "Sign out": the window closes; the hidden dialogs go
        with it (what they held was not saved, as at any sign-out)."""
        for widget in self._hidden:
            widget.close()
        self._hidden = []
        self._stop()
        self._sign_out()

    def _stop(self) -> None:
        self._timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    class _Resizer(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            lock = self.parent()
            if (event.type() == QEvent.Type.Resize and isinstance(lock, IdleLock)
                    and lock.screen is not None and isinstance(watched, QWidget)):
                lock.screen.setGeometry(watched.rect())
            return False

    @property
    def _resizer(self) -> QObject:
        resizer = self.findChild(IdleLock._Resizer)
        return resizer if resizer is not None else IdleLock._Resizer(self)
