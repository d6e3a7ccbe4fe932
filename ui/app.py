"""Start the desk client: ``python main.py [--demo] [--server URL] [--role ROLE] [--lang L]``.

:func:`main` makes the QApplication, the qasync loop (the asyncio loop every background
job and the sync engine run on), the log file, the translators and the style, then hands
over to :class:`AppController`, which signs the user in (or opens offline with the last
account) and shows the :class:`~ui.main_window.MainWindow`.

The client store and the sync engine are made in two steps (see :class:`BackendFactory`):
``factory(session, credentials)`` opens the local store and reads the keyring on a worker
thread, and the :class:`PreparedBackend` it returns builds the :class:`Backend` on the GUI
thread; the window opens then. Without a factory (tests of the shell), the shell runs
without a backend (sections show their empty states, the status bar says "Connecting…").
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import logging.handlers
import os
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Protocol, cast

import qasync
from PySide6.QtCore import (
    QCoreApplication,
    QMessageLogContext,
    QObject,
    Qt,
    QTimer,
    QtMsgType,
    QTranslator,
    Signal,
    qInstallMessageHandler,
)
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QMessageBox

from gulou_desk.log_privacy import RedactingFormatter
from gulou_desk.store.cipher import StoreKeyMissing, private_dir, private_file
from sync.credentials import Account, CredentialStore, SaveOutcome, normalize_server_url
from sync.events import FailureReason
from sync.wire import TokenPair
from ui import background
from ui.background import Lane, Op, OpError, Progress, show_error, show_info
from ui.errors import describe_error
from ui.gc_tuning import GuiThreadCollector, tune_garbage_collector
from ui.i18n import install_translators, normalize_language, remove_translators
from ui.icons import app_icon
from ui.idle_lock import IdleLock
from ui.login_dialog import LoginDialog, LoginFunction
from ui.main_window import CountQuery, MainWindow, ViewFactory
from ui.navigation import normalize_role
from ui.paths import APP_NAME, STYLE_SHEET, user_log_dir
from ui.session import Session
from ui.settings import APPLICATION, LANGUAGE, ORGANIZATION, SERVER_URL, Settings
from ui.sync_bridge import SyncBridge

log = logging.getLogger(__name__)
translate = QCoreApplication.translate

UI_FONTS = [
    "Microsoft YaHei UI", "PingFang SC", "Noto Sans CJK SC", "Noto Sans SC",
    "Source Han Sans SC", "WenQuanYi Micro Hei", "Segoe UI", "Noto Sans", "DejaVu Sans",
]


class Backend(Protocol):
    """What the shell needs from the client store and the sync engine (built by others).

    ``start()`` begins background syncing as an asyncio task on the running (qasync)
    loop, reporting to ``bridge.listener``; ``sync_now()`` asks for a cycle at once;
    ``stop()`` ends it (sign-out, quit). ``views`` registers the sections' views,
    ``counts`` the blocking count queries (``pending``, ``conflicts``, ``inbox``).
    """

    views: Mapping[str, ViewFactory]
    counts: Mapping[str, CountQuery]

    def start(self) -> None: ...
    def sync_now(self) -> None: ...
    def stop(self) -> None: ...

    def has_refresh_token(self) -> bool:
        """Whether it can sign in to sync (its factory read the keyring already)."""
        ...


class PreparedBackend(Protocol):
    """A backend whose slow part is done (its store is open): what a factory returns."""

    def build(self, bridge: SyncBridge, settings: Settings) -> Backend:
        """Make the backend; on the GUI thread, quick (no disk, no network)."""
        ...

    def discard(self) -> None:
        """Not wanted after all (signed out, or another account opened meanwhile)."""
        ...


BackendFactory = Callable[[Session, CredentialStore], PreparedBackend]
"""``factory(session, credentials)``: **blocking**, run on the write lane: opens (and
migrates) the account's local store and reads its refresh token from the keyring."""
DemoLogin = Callable[[str], object]
"""``demo_login(role)``: blocking; starts the demo server and returns the demo user's
:class:`~sync.wire.TokenPair` with a ``server_url`` attribute."""


# -- command line -------------------------------------------------------------------------


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="gulou-desk", description="Gulou e-Home desk client")
    parser.add_argument("--demo", action="store_true",
                        help="run against an embedded demo server with demo data")
    parser.add_argument("--server", metavar="URL", help="central server address")
    parser.add_argument("--role", choices=("worker", "clerk", "supervisor"), default="worker",
                        help="the demo user's role (with --demo)")
    parser.add_argument("--lang", choices=("zh_CN", "en"),
                        help="language for this run (default: the saved setting, zh_CN)")
    parser.add_argument("--log-level", default="INFO",
                        choices=("DEBUG", "INFO", "WARNING", "ERROR"))
    return parser.parse_args(list(argv))


# -- logging ------------------------------------------------------------------------------


class PrivateLogFile(logging.handlers.RotatingFileHandler):
    """The rotating log file, created for the user only (0600), every line passed through
    :class:`~gulou_desk.log_privacy.RedactingFormatter` (no ID numbers, no phones)."""

    def __init__(self, path: Path) -> None:
        super().__init__(path, maxBytes=2_000_000, backupCount=5, encoding="utf-8",
                         delay=True)
        self.setFormatter(RedactingFormatter(
            "%(asctime)s %(levelname)-7s %(threadName)s %(name)s: %(message)s"
        ))

    def _open(self):  # type: ignore[no-untyped-def]  # the base class's is untyped
        private_file(Path(self.baseFilename))
        return super()._open()


def setup_logging(directory: Path | None = None, level: str = "INFO") -> Path:
    """A rotating log file in the user's log folder (the file users send to IT)."""
    folder = private_dir(directory or user_log_dir())
    path = folder / f"{APP_NAME}.log"
    handler = PrivateLogFile(path)
    console = logging.StreamHandler()
    console.setLevel(logging.WARNING)
    console.setFormatter(RedactingFormatter("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.setLevel(level)
    root.addHandler(handler)
    root.addHandler(console)
    return path


def install_error_hooks() -> None:
    """Qt's messages and uncaught exceptions go to the log (and a sentence to the user)."""
    qInstallMessageHandler(_qt_message)
    sys.excepthook = _excepthook
    threading.excepthook = _thread_excepthook


_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def _qt_message(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    logging.getLogger("qt").log(_QT_LEVELS.get(kind, logging.WARNING), "%s", message)


def _excepthook(
    kind: type[BaseException], value: BaseException, tb: TracebackType | None
) -> None:
    """An uncaught error: the traceback goes to the log, the user reads a sentence."""
    log.critical("uncaught exception", exc_info=(kind, value, tb))
    if QApplication.instance() is not None and not isinstance(value, KeyboardInterrupt):
        show_error(None, describe_error(value))


def _thread_excepthook(args: threading.ExceptHookArgs) -> None:
    log.critical("uncaught exception in %s", args.thread, exc_info=(
        args.exc_type, args.exc_value or args.exc_type(), args.exc_traceback
    ))


# -- looks --------------------------------------------------------------------------------


def apply_style(app: QApplication) -> None:
    font = QFont(app.font())
    font.setFamilies(UI_FONTS)
    font.setPointSizeF(max(font.pointSizeF(), 10.0))
    app.setFont(font)
    try:
        app.setStyleSheet(STYLE_SHEET.read_text(encoding="utf-8"))
    except OSError:
        log.warning("style sheet %s not found", STYLE_SHEET)


# -- the controller -------------------------------------------------------------------------


def demo_session(role: str) -> Session:
    role = normalize_role(role)
    names = {
        "social_worker": translate("App", "Demo social worker"),
        "clerk": translate("App", "Demo clerk"),
        "supervisor": translate("App", "Demo supervisor"),
        "admin": translate("App", "Demo administrator"),
    }
    return Session("demo", f"demo-{role}", f"demo-{role}", role, names[role], demo=True)


def http_login(credentials: CredentialStore) -> LoginFunction:
    """The real login: ``sync.client.ApiClient(url).login(...)`` → ``TokenPair``."""

    def login(url: str, username: str, password: str) -> object:
        from sync.client import ApiClient  # the HTTP client (sync/client.py)

        client = ApiClient(url)
        pair = client.login(
            username, password, credentials.device_id(), credentials.device_name()
        )
        # The idle lock checks the password offline against this (ui/idle_lock.py).
        credentials.save_unlock_verifier(url, username, password)
        return pair

    return login


def http_change_password(credentials: CredentialStore
                         ) -> Callable[[str, object, str, str], None]:
    """The real password change after a one-time password: ``POST /auth/password`` with
    the login's access token; the idle lock's verifier takes the new password."""

    def change(url: str, result: object, current: str, new: str) -> None:
        from sync.client import ApiClient

        client = ApiClient(url, retries=0)
        client.access_token = getattr(result, "access_token", None)
        client.change_password(current, new)
        user = getattr(result, "user", None)
        credentials.save_unlock_verifier(url, str(getattr(user, "username", "")), new)

    return change


def default_backend_factory(session: Session, credentials: CredentialStore) -> PreparedBackend:
    """The real client store and sync engine (``ui.backend``); blocking."""
    from ui.backend import open_account

    return open_account(session, credentials)


class AppController(QObject):
    """Signs in, opens the window, wires the bridge and the backend, signs out."""

    window_opened = Signal(MainWindow)
    """The main window is shown (its local store is open and its backend started)."""

    def __init__(
        self,
        settings: Settings,
        credentials: CredentialStore,
        *,
        quit_app: Callable[[], object],
        login: LoginFunction | None = None,
        demo_login: DemoLogin | None = None,
        backend_factory: BackendFactory | None = None,
        log_file: Path | None = None,
    ) -> None:
        super().__init__()
        self._quit = quit_app
        self._demo_login = demo_login
        self._settings = settings
        self._credentials = credentials
        self._login = login or http_login(credentials)
        self._backend_factory = backend_factory
        self._log_file = log_file
        self.bridge = SyncBridge(self)
        self.window: MainWindow | None = None
        self.backend: Backend | None = None
        self._dialog: LoginDialog | None = None
        self._signing_out = False
        self._wiping = False
        self.idle_lock: IdleLock | None = None
        """The idle lock of the open window (``None`` without a backend)."""
        self._window_session: Session | None = None
        """The session of the window shown (a language change builds it again)."""
        self._opening: Session | None = None
        """The session whose local store is being opened (the window follows)."""
        self._open_generation = 0
        """Bumped by every open and close: an open that finishes late is dropped."""
        self.bridge.sync_failed.connect(self._on_sync_failed)

    # -- starting ------------------------------------------------------------------------

    def start(self, *, demo: bool = False, role: str = "worker", server: str | None = None) -> None:
        if demo:
            self.start_demo(role)
            return
        last = self._credentials.last_account()
        url = server or self._settings.get(SERVER_URL) or (last.server_url if last else "")
        if last is not None and (not url or normalize_server_url(url) == last.server_url):
            # Offline first: open with the last account at once; sign in again only if
            # there is no refresh token to sync with.
            self.open_window(Session.from_account(last),
                             then=lambda: self._check_refresh_token(last))
            return
        self.ask_login(url, last.username if last else "")

    def start_demo(self, role: str) -> None:
        """Demo: start the embedded server and sign in as the role's demo user, in the
        background; without a demo server (tests), open the shell as a demo user."""
        role = normalize_role(role)
        if self._demo_login is None:
            self.open_window(demo_session(role))
            return
        demo_login, credentials = self._demo_login, self._credentials

        def prepare(progress: Progress) -> object:
            progress.update(label=self.tr("Preparing the demo server and its data…"))
            return demo_login(role)

        def ready(result: object) -> None:
            pair = cast(TokenPair, result)
            url = str(getattr(result, "server_url", "demo"))
            credentials.set_access_token(pair.access_token)
            credentials.keep_for_session(url, pair.user.username, pair.refresh_token)
            self.open_window(Session(url, pair.user.username, pair.user.id, pair.user.role,
                                     pair.user.display_name, demo=True, remembered=False))

        def failed(error: OpError) -> None:
            self.open_window(demo_session(role),
                             then=lambda: show_error(self.window, error.message))

        Op(None, prepare, lane=Lane.NETWORK, name="start_demo").with_progress(
            self.tr("Starting the demo…"), cancellable=False, delay_ms=0
        ).success(ready).failure(failed).run()

    def _check_refresh_token(self, account: Account) -> None:
        """Ask to sign in again (the window stays usable) if there is no refresh token."""
        credentials = self._credentials

        def has_token(progress: Progress) -> bool:
            return credentials.refresh_token(account.server_url, account.username) is not None

        def decide(found: bool) -> None:
            if not found:
                self.ask_login(
                    account.server_url, account.username,
                    message=self.tr("Please sign in again so that your work can sync. "
                                    "You can keep working meanwhile."),
                )

        if self.backend is not None:  # it read the keyring while its store opened
            decide(self.backend.has_refresh_token())
            return
        Op(self.window, has_token, lane=Lane.NETWORK, name="find_refresh_token").success(
            decide
        ).failure(lambda error: decide(False)).run()

    def ask_login(self, server_url: str, username: str, message: str = "") -> LoginDialog:
        if self._dialog is not None:
            return self._dialog
        dialog = LoginDialog(
            self._login,
            server_url=server_url,
            username=username,
            keyring_available=self._credentials.keyring_available(),
            message=message,
            parent=self.window,
            change_password=http_change_password(self._credentials),
        )
        dialog.logged_in.connect(lambda result: self._logged_in(dialog, result))
        dialog.rejected.connect(self._login_rejected)
        dialog.finished.connect(lambda _code: self._forget_dialog(dialog))
        self._dialog = dialog
        dialog.open()
        return dialog

    def _forget_dialog(self, dialog: LoginDialog) -> None:
        if self._dialog is dialog:
            self._dialog = None
        dialog.deleteLater()

    def _login_rejected(self) -> None:
        if self.window is None:
            self._quit()

    def _logged_in(self, dialog: LoginDialog, result: object) -> None:
        user = getattr(result, "user", None)
        account = Account(
            dialog.server_url(),
            str(getattr(user, "username", dialog.username())),
            str(getattr(user, "id", "")),
            str(getattr(user, "role", "social_worker")),
            str(getattr(user, "display_name", dialog.username())),
        )
        access = getattr(result, "access_token", None)
        refresh = getattr(result, "refresh_token", None)
        self._credentials.set_access_token(access if isinstance(access, str) else None)
        self._settings.set(SERVER_URL, account.server_url)
        credentials, remember = self._credentials, dialog.remember_me()

        def keep(progress: Progress) -> SaveOutcome:
            credentials.remember_account(account)
            if not isinstance(refresh, str):
                return SaveOutcome.SESSION_ONLY
            if remember:
                return credentials.save_refresh_token(account.server_url, account.username,
                                                      refresh)
            credentials.keep_for_session(account.server_url, account.username, refresh)
            return SaveOutcome.SESSION_ONLY

        def kept(outcome: SaveOutcome) -> None:
            session = Session.from_account(account, remembered=outcome is SaveOutcome.SAVED)
            if self._shown_user_id() != account.user_id or (
                    self.backend is None and self._opening is None):
                self.open_window(session)
            elif self.backend is not None:
                use_tokens = getattr(self.backend, "use_tokens", None)
                if use_tokens is not None:  # the engine's client had the old tokens
                    use_tokens(access if isinstance(access, str) else None,
                               refresh if isinstance(refresh, str) else None)
                self.backend.sync_now()
            if remember and outcome is SaveOutcome.SESSION_ONLY and self.window is not None:
                self.window.status_bar.showMessage(
                    self.tr("No secure key store on this computer: you will be asked for "
                            "your password next time."), 20_000,
                )

        Op(self.window, keep, lane=Lane.NETWORK, name="keep_credentials").success(kept).run()

    # -- the window ----------------------------------------------------------------------

    def _shown_user_id(self) -> str | None:
        """Whose window is open (or opening)."""
        if self._opening is not None:
            return self._opening.user_id
        if self.window is not None:
            return str(self.window.property("user_id"))
        return None

    def open_window(self, session: Session, *, then: Callable[[], object] | None = None
                    ) -> None:
        """Open the main window for ``session`` (replacing the current one), then ``then``.

        The local store opens first, on the write lane (it may migrate, or catch up the
        search index after an upgrade; a progress dialog shows if that takes a while), and
        the window shows once it is open: the GUI thread never waits on it. If the store
        cannot be opened, the window shows without a backend and the user reads why.
        """
        self._close_window()
        factory = self._backend_factory
        if factory is None:
            self._show_window(session, None, then)
            return
        generation = self._open_generation
        self._opening = session
        credentials = self._credentials

        def prepare(progress: Progress) -> PreparedBackend:
            return factory(session, credentials)

        def ready(prepared: PreparedBackend) -> None:
            if generation != self._open_generation:
                log.info("the local store of %s opened after it was given up", session.username)
                prepared.discard()
                return
            self._opening = None
            try:
                backend = prepared.build(self.bridge, self._settings)
            except Exception as exc:
                log.exception("the sync engine could not be started")
                prepared.discard()
                window = self._show_window(session, None, then)
                show_error(window, describe_error(exc))
                return
            window = self._show_window(session, backend, then)
            aside = getattr(prepared, "set_aside", None)
            if aside is not None:
                show_info(window, self.tr(
                    "Your earlier local data could not be read on this computer (its key "
                    "is gone), so it is being downloaded again. The unreadable file is "
                    "kept as %1 for IT; any edits in it that were not sent are in it."
                ).replace("%1", str(aside)))

        def failed(error: OpError) -> None:
            if generation != self._open_generation:
                return
            self._opening = None
            log.error("the local store of %s could not be opened: %s", session.username,
                      error.message)
            if isinstance(error.exception, StoreKeyMissing):
                # Nobody can read it: sign in, and the next open downloads a new copy
                # (the unreadable file is kept aside).
                window = self._show_window(session, None, None)
                window.status_bar.showMessage(
                    self.tr("Not syncing: your local data could not be opened."))
                self.ask_login(session.server_url, session.username, message=error.message)
                return
            window = self._show_window(session, None, then)
            window.status_bar.showMessage(
                self.tr("Not syncing: your local data could not be opened."))
            show_error(window, self.tr(  # over the window, not hidden behind it
                "Your local data could not be opened, so this window cannot sync: %1\n"
                "Nothing has been deleted; the log file has the details for IT."
            ).replace("%1", error.message))

        Op(None, prepare, lane=Lane.WRITE, name="open_local_store").with_progress(
            self.tr("Opening your local data…"), cancellable=False
        ).success(ready).failure(failed).run()

    def _show_window(self, session: Session, backend: Backend | None,
                     then: Callable[[], object] | None) -> MainWindow:
        window = self._make_window(session, backend)
        window.show()
        if backend is not None:
            backend.start()
        log.info("window opened for %s (%s)", session.user_id, session.role)
        self.window_opened.emit(window)
        if then is not None:
            then()
        return window

    def retranslate(self) -> None:
        """The language changed: the window is built again in it, showing the section the
        user was in, at the same place and size; the account, its store and its sync go
        on (every text of every view is made again, dialogs' drafts are kept)."""
        old, session = self.window, self._window_session
        if old is None or session is None:
            return
        section = old.current_section()
        geometry = old.saveGeometry()
        self._settings.save_layout(old)
        window = self._make_window(session, self.backend)
        window.restoreGeometry(geometry)
        if section is not None and section in window.sections():
            window.show_section(section)
        window.show()
        self.window_opened.emit(window)
        old.close()  # self.window is the new one: closing the old one does not quit
        log.info("window rebuilt in the new language")

    def _make_window(self, session: Session, backend: Backend | None) -> MainWindow:
        """The account's main window (not shown yet); it becomes :attr:`window`."""
        window = MainWindow(
            self._settings,
            self.bridge,
            session,
            views=backend.views if backend is not None else None,
            counts=backend.counts if backend is not None else None,
            log_file=str(self._log_file) if self._log_file else None,
        )
        window.setProperty("user_id", session.user_id)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.sync_requested.connect(self._sync_now)
        window.status_bar.outbox_requested.connect(self.open_outbox)
        if backend is not None:
            self.idle_lock = self._guard(window, session)
        window.sign_out_requested.connect(self.confirm_sign_out)
        window.destroyed.connect(self._window_destroyed)
        self.window, self.backend = window, backend
        self._window_session = session
        if backend is not None:  # as this account's store says, before it syncs again
            window.status_bar.set_last_sync(getattr(backend, "last_sync_at", None))
        return window

    def _close_window(self) -> None:
        self._open_generation += 1  # a store still opening is closed when it is ready
        self._opening = None
        if self.backend is not None:
            self.backend.stop()
            self.backend = None
        if self.window is not None:
            window, self.window = self.window, None
            window.close()
            window.deleteLater()

    def _window_destroyed(self) -> None:
        if (not self._signing_out and self.window is None and self._dialog is None
                and self._opening is None):
            self._quit()

    def _guard(self, window: MainWindow, session: Session) -> IdleLock:
        """The idle lock over the window (ui/idle_lock.py); its password check is read
        from the keyring off the GUI thread."""
        credentials = self._credentials
        url, username = session.server_url, session.username
        lock = IdleLock(window, self._settings, user_name=session.display_name,
                        check=lambda password: credentials.check_unlock(url, username,
                                                                        password),
                        can_check=False, sign_out=self.sign_out)
        Op(window, lambda progress: credentials.has_unlock_verifier(url, username),
           lane=Lane.NETWORK, name="unlock_verifier").success(lock.set_can_check).run()
        return lock

    def open_outbox(self) -> None:
        """The outbox view over the window (every edit not yet sent; retry, discard)."""
        opener = getattr(self.backend, "open_outbox", None)
        if opener is not None and self.window is not None:
            opener(self.window)

    def _sync_now(self) -> None:
        if self.backend is not None:
            self.backend.sync_now()
        else:
            log.info("sync requested, but no sync engine is connected")

    def _on_sync_failed(self, reason: FailureReason, message: str) -> None:
        if reason is FailureReason.DEVICE_REVOKED:
            self.wipe_device()
            return
        if reason is FailureReason.UNAUTHORIZED and self.window is not None:
            last = self._credentials.last_account()
            self.ask_login(
                last.server_url if last else self._settings.get(SERVER_URL),
                last.username if last else "",
                message=self.tr("Your sign-in has expired. Sign in again to keep syncing; "
                                "your edits are kept."),
            )

    def confirm_sign_out(self) -> None:
        """"Sign out" (menu, settings): with edits not yet sent, say how many and that
        they stay on this computer (sent at the next sign-in), and ask first."""
        window = self.window
        pending = window.status_bar.pending_count if window is not None else 0
        if window is not None and pending:
            box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Sign out?"), self.tr(
                "%n edit(s) have not been sent to the server yet.", "", pending),
                QMessageBox.StandardButton.NoButton, window)
            box.setInformativeText(self.tr(
                "They stay on this computer and are sent when you sign in again here. "
                "To send them now, cancel and sync first."))
            sign_out = box.addButton(self.tr("Sign out"), QMessageBox.ButtonRole.AcceptRole)
            box.addButton(self.tr("Cancel"), QMessageBox.ButtonRole.RejectRole)
            box.setObjectName("sign_out_confirm")
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.buttonClicked.connect(
                lambda button: self.sign_out() if button is sign_out else None)
            box.open()
            return
        self.sign_out()

    def sign_out(self) -> None:
        last = self._credentials.last_account()
        credentials = self._credentials
        self._signing_out = True
        self._close_window()

        def forget(progress: Progress) -> None:
            if last is not None:
                credentials.forget_refresh_token(last.server_url, last.username)
            credentials.set_access_token(None)
            credentials.forget_account()

        def done(_: None) -> None:
            self._signing_out = False
            self.ask_login(last.server_url if last else self._settings.get(SERVER_URL),
                           last.username if last else "")

        Op(None, forget, lane=Lane.NETWORK, name="sign_out").success(done).run()

    def wipe_device(self) -> None:
        """This device was revoked (an admin or supervisor did it, on the server): push
        nothing more, delete the local data (every store of this computer, the photos,
        the account's keyring entries, the device id) and return to sign-in."""
        if self._wiping:
            return
        self._wiping = True
        last = self._credentials.last_account()
        credentials, backend = self._credentials, self.backend
        log.warning("this device was revoked: deleting its local data")
        self._signing_out = True
        self._close_window()

        def wipe(progress: Progress) -> None:
            wipe_local = getattr(backend, "wipe_local_data", None)
            if wipe_local is not None:
                wipe_local()
            if last is not None:
                credentials.forget_device_secrets(last.server_url, last.username)
            credentials.set_access_token(None)
            credentials.forget_account()
            credentials.forget_device_id()

        def done(_: None) -> None:
            self._signing_out = self._wiping = False
            self.ask_login(
                last.server_url if last else self._settings.get(SERVER_URL), "",
                message=self.tr("Your administrator revoked this computer's access, so "
                                "the local data on it was deleted. Sign in to use it "
                                "again."))

        def failed(error: OpError) -> None:
            log.error("the local data could not all be deleted: %s", error.message)
            done(None)

        async def after_stop() -> None:
            waiter = getattr(backend, "wait_stopped", None)
            if waiter is not None:
                await waiter()  # the store is closed before its files go
            Op(None, wipe, lane=Lane.WRITE, name="wipe_device").success(done).failure(
                failed).run()

        asyncio.get_running_loop().create_task(after_stop())

    def shutdown(self) -> None:
        self._open_generation += 1
        self._opening = None
        if self.backend is not None:
            self.backend.stop()
            self.backend = None


# -- main -----------------------------------------------------------------------------------


@dataclass
class Desk:
    """The desk client once :func:`open_desk` set it up: its controller, and the translators
    that must stay alive as long as it runs."""

    controller: AppController
    translators: list[QTranslator]
    args: argparse.Namespace

    def start(self) -> None:
        """Sign in or open the last account (call it with the event loop running)."""
        args = self.args
        self.controller.start(demo=args.demo, role=args.role, server=args.server)


def open_desk(
    app: QApplication,
    args: argparse.Namespace,
    settings: Settings,
    credentials: CredentialStore,
    *,
    quit_app: Callable[[], object],
    backend_factory: BackendFactory | None = None,
    demo_login: Callable[[CredentialStore], DemoLogin] | None = None,
    log_file: Path | None = None,
) -> Desk:
    """What :func:`main` sets up once the application and its loop exist: the language,
    the style and the controller. The journey tests (``tests/journeys``) start the app
    through this too, with their own settings, keyring and folders."""
    language = normalize_language(args.lang or settings.get(LANGUAGE))
    translators = install_translators(app, language)
    apply_style(app)
    controller = AppController(
        settings, credentials, quit_app=quit_app,
        demo_login=demo_login(credentials) if demo_login is not None else None,
        backend_factory=backend_factory or default_backend_factory,
        log_file=log_file,
    )

    def switch_language() -> None:
        remove_translators(app, translators)
        translators[:] = install_translators(app, normalize_language(settings.get(LANGUAGE)))
        controller.retranslate()

    def setting_changed(name: str) -> None:
        if name == LANGUAGE.name:
            # After the combo box's signal has returned: the window it lives in is rebuilt.
            QTimer.singleShot(0, switch_language)

    settings.changed.connect(setting_changed)
    return Desk(controller, translators, args)


def main(argv: Sequence[str] | None = None, backend_factory: BackendFactory | None = None,
         demo_login: Callable[[CredentialStore], DemoLogin] | None = None) -> int:
    """Run the desk client. ``demo_login(credentials)`` makes what ``--demo`` signs in
    with (``gulou_launcher`` passes the embedded server's; without it the demo opens the
    window without a server)."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if os.name == "posix":
        # Whatever the app writes (settings, exports, their temporary files) is the
        # user's only; the store and the logs are made 0600 explicitly as well.
        os.umask(0o077)
    QCoreApplication.setOrganizationName(ORGANIZATION)
    QCoreApplication.setApplicationName(APPLICATION)
    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    app.setWindowIcon(app_icon())
    app.setQuitOnLastWindowClosed(False)
    log_file = setup_logging(level=args.log_level)
    install_error_hooks()
    log.info("starting %s", " ".join(sys.argv))
    tune_garbage_collector()  # no long collector pauses during a big sync (ui/gc_tuning.py)

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    collector = GuiThreadCollector(app)  # Qt objects are never freed by a worker thread
    collector.start()
    desk = open_desk(app, args, Settings(), CredentialStore(), quit_app=app.quit,
                     backend_factory=backend_factory, demo_login=demo_login,
                     log_file=log_file)
    # Started from inside the running loop: background work needs it running.
    loop.call_soon(desk.start)
    try:
        with loop:
            loop.run_forever()
    finally:
        desk.controller.shutdown()
        background.shutdown_default_runner(wait=False)
        collector.stop()
        del desk
        log.info("stopped")
    return 0
