"""The journey harness: the real app and the real server, driven like a person does.

A :class:`Journey` starts the desk client the way ``main.py`` does (``ui.app.open_desk``
with the real login, the real local store and sync engine), with its own user folders,
settings file and an in-memory keyring, against a :class:`JourneyServer` (the real
central server on 127.0.0.1 with demo data). The journey then finds widgets by what a
person reads (button text, label text, placeholder, accessible name, a table's cells)
and acts on them with real mouse and key events (``QTest`` through ``qtbot``).

Every widget a journey acts on must be reachable (visible, inside its window) and every
table column it reads must be readable (Chinese text not cut to under
:data:`MIN_VISIBLE_CHARS` characters, the cell not outside the view): otherwise the
journey fails, at both window sizes. :meth:`Journey.shot` saves the step's end state.
"""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import keyring
import keyring.backend
import shiboken6
from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractListModel,
    QModelIndex,
    QPoint,
    QRect,
    QSettings,
    Qt,
    QTimer,
)
from PySide6.QtGui import QFontMetrics, QImage, QInputMethodEvent, QPainter
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QPlainTextEdit,
    QScrollArea,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTabBar,
    QTableView,
    QTextEdit,
    QTreeView,
    QWidget,
)
from pytestqt.qtbot import QtBot

from server.demo_data import DEMO_PASSWORD
from server.embedded import EmbeddedServer
from server.settings import Settings as ServerSettings
from sync.client import ApiClient
from sync.credentials import CredentialStore
from ui.app import Desk, open_desk, parse_args
from ui.i18n import remove_translators
from ui.main_window import MainWindow
from ui.settings import Settings

W = TypeVar("W", bound=QWidget)

SIZES: dict[str, tuple[int, int]] = {"small": (1024, 700), "large": (1600, 1000)}
"""The two window sizes every journey runs at: a small laptop and a desk monitor."""
MIN_VISIBLE_CHARS = 6
"""A Chinese cell cut shorter than this is unreadable (a name, an address, a title)."""
WAIT_MS = 15_000
SYNC_WAIT_MS = 60_000
WECHAT_SECRET = "journey-wechat-secret"
INPUTS = (QLineEdit, QPlainTextEdit, QTextEdit, QAbstractSpinBox, QComboBox, QDateTimeEdit)
"""Widgets a person types into."""
_CJK = re.compile(r"[\u3400-\u9fff]")
_TAGS = re.compile(r"<[^>]+>")


class JourneyFailure(AssertionError):
    """What a person could not do or read (a widget out of reach, a cut column …)."""


# -- the server ---------------------------------------------------------------------------


class JourneyServer(EmbeddedServer):
    """The real central server on a free loopback port, on a copy of the demo data."""

    def __init__(self, db_url: str) -> None:
        super().__init__(ServerSettings(db_url=db_url, secret_key=secrets.token_urlsafe(48),
                                        wechat_secret=WECHAT_SECRET))
        self.db_url = db_url

    def bot_posts(self, group_id: str, text: str, *, group_name: str = "",
                  sender: str = "", sent_at: str | None = None) -> dict[str, Any]:
        """The 鼓宝 bot forwards a resident's message from a WeChat group, through the
        real signed intake (``/intake/wechat``); returns the server's answer."""
        import datetime as dt
        import json
        import uuid

        from tests.bot import bot_request

        at = sent_at or dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        message = {"message_id": str(uuid.uuid4()), "group_id": group_id,
                   "group_name": group_name, "sender_id": f"wxid-{sender or 'anon'}",
                   "sender_name": sender, "text": text, "sent_at": at, "keyword": ""}
        body = json.dumps(message, ensure_ascii=False).encode()
        response = bot_request(self.api, "POST", "/intake/wechat", body,
                               secret=WECHAT_SECRET, nonce=True)
        response.raise_for_status()
        answer: dict[str, Any] = response.json()
        return answer

    def pull_as(self, username: str, password: str = DEMO_PASSWORD) -> ServerView:
        """Everything ``username`` may see, as the server holds it now (over HTTP)."""
        client = ApiClient(self.url, retries=0)
        client.login(username, password, device_id=f"journey-check-{username}",
                     device_name="journey check")
        view = ServerView()
        cursor: str | None = None
        while True:
            page = client.pull(cursor, limit=5000)
            for change in page.changes:
                table = view.records.setdefault(change.entity, {})
                if change.op == "upsert" and change.data is not None:
                    table[change.id] = {"id": change.id, "version": change.version,
                                        **change.data}
                else:
                    table.pop(change.id, None)
            cursor = page.cursor
            if not page.has_more:
                return view


@dataclass
class ServerView:
    """The records one user pulled: ``records[entity][id]`` is the record's wire data."""

    records: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)

    def all(self, entity: str) -> list[dict[str, Any]]:
        return list(self.records.get(entity, {}).values())

    def get(self, entity: str, record_id: str) -> dict[str, Any] | None:
        return self.records.get(entity, {}).get(record_id)

    def where(self, entity: str, **fields: Any) -> list[dict[str, Any]]:
        return [r for r in self.all(entity)
                if all(r.get(name) == value for name, value in fields.items())]


# -- screenshots ----------------------------------------------------------------------------


class ShotBook:
    """The screenshots of one journey: ``<folder>/<nn>-<step>.png``, in step order."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.paths: list[Path] = []

    def save(self, image: QImage, step: str) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^\w\u3400-\u9fff-]+", "-", step).strip("-") or "step"
        path = self.folder / f"{len(self.paths) + 1:02d}-{name}.png"
        if not image.save(str(path)):
            raise OSError(f"could not write {path}")
        self.paths.append(path)
        return path


def _compose(window: QWidget, others: Iterable[QWidget]) -> QImage:
    """The window with the dialogs and popups over it, where a screen would show them."""
    image = window.grab().toImage()
    origin = window.mapToGlobal(QPoint(0, 0))
    painter = QPainter(image)
    try:
        for widget in others:
            at = widget.mapToGlobal(QPoint(0, 0)) - origin
            painter.drawPixmap(at, widget.grab())
    finally:
        painter.end()
    return image


# -- what a person reads ------------------------------------------------------------------


def plain(text: str) -> str:
    """Text as read: mnemonics (``&File``) and rich-text tags removed, spaces collapsed."""
    text = _TAGS.sub("", text).replace("&nbsp;", " ")
    text = re.sub(r"&(?!&)", "", text).replace("&&", "&")
    return " ".join(text.split())


def visible_texts(widget: QWidget) -> list[str]:
    """What a person may call this widget by: its text, title, placeholder or name."""
    texts: list[str] = []
    if isinstance(widget, QAbstractButton | QLabel):
        texts.append(widget.text())
    if isinstance(widget, QLineEdit):
        texts.append(widget.placeholderText())
    if isinstance(widget, QPlainTextEdit | QTextEdit):
        texts.append(widget.placeholderText())
    if isinstance(widget, QGroupBox):
        texts.append(widget.title())
    if widget.isWindow():
        texts.append(widget.windowTitle())
    texts.append(widget.accessibleName())
    return [t for t in (plain(x) for x in texts) if t]


def _cjk(text: str) -> bool:
    return bool(_CJK.search(text))


# -- the journey --------------------------------------------------------------------------


class Journey:
    """One person using the app: start it, sign in, find, click, type, read, check."""

    def __init__(self, qtbot: QtBot, qapp: QApplication, server: JourneyServer,
                 size: tuple[int, int], home: Path, shots: ShotBook,
                 keyring_backend: keyring.backend.KeyringBackend) -> None:
        self.qtbot = qtbot
        self.qapp = qapp
        self.server = server
        self.size = size
        self.home = home
        self.shots = shots
        self.keyring = keyring_backend
        self.desk: Desk | None = None
        self.quit_requested = False
        """The app asked to quit (``QApplication.quit`` in the real app)."""
        self.syncs_finished = 0
        self.sync_failures: list[tuple[object, str]] = []
        self._keyring_before = keyring.get_keyring()
        keyring.set_keyring(keyring_backend)
        (home / "config").mkdir(parents=True, exist_ok=True)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                          str(home / "config"))

    # -- the app ---------------------------------------------------------------------

    def start(self, *args: str) -> None:
        """Start the app as ``python main.py --server <the journey's server> *args``
        (no saved account yet: it asks to sign in)."""
        if self.desk is not None:
            raise RuntimeError("the app is running already; restart() it")
        argv = ["--server", self.server.url, *args] if "--server" not in args else list(args)
        self.quit_requested = False
        desk = open_desk(self.qapp, parse_args(argv), Settings(), CredentialStore(),
                         quit_app=self._quit)
        controller = desk.controller
        controller.window_opened.connect(self._window_opened)
        controller.bridge.sync_finished.connect(self._sync_finished)
        controller.bridge.sync_failed.connect(
            lambda reason, message: self.sync_failures.append((reason, message)))
        self.desk = desk
        desk.start()

    def restart(self, *args: str) -> None:
        """Quit the app (as closing its window does) and start it again: same computer,
        same folders, same keyring."""
        self.stop()
        self.start(*args)

    def stop(self) -> None:
        """Quit the app: stop syncing, wait for the local store to close, close windows."""
        desk, self.desk = self.desk, None
        if desk is None:
            return
        controller = desk.controller
        backend = controller.backend
        controller.shutdown()
        wait_stopped = getattr(backend, "wait_stopped", None)
        if wait_stopped is not None:
            import asyncio

            done: list[bool] = []
            asyncio.get_running_loop().create_task(wait_stopped()).add_done_callback(
                lambda _: done.append(True))
            self.qtbot.waitUntil(lambda: bool(done), timeout=WAIT_MS)
        for widget in QApplication.topLevelWidgets():
            if widget.isVisible():
                widget.close()
        if controller.window is not None:
            controller.window.deleteLater()
        remove_translators(self.qapp, desk.translators)
        self.qtbot.wait(10)

    def close(self) -> None:
        """End of the journey (fixture teardown)."""
        try:
            self.stop()
        finally:
            keyring.set_keyring(self._keyring_before)

    def _quit(self) -> None:
        self.quit_requested = True

    def _window_opened(self, window: MainWindow) -> None:
        window.resize(*self.size)

    def _sync_finished(self, report: object) -> None:
        self.syncs_finished += 1

    @property
    def controller(self) -> Any:
        if self.desk is None:
            raise RuntimeError("the app is not running")
        return self.desk.controller

    @property
    def window(self) -> MainWindow:
        """The main window (waits for it to open)."""
        self.wait_until(lambda: self.controller.window is not None
                        and self.controller.window.isVisible(), what="the main window opens")
        window = self.controller.window
        assert isinstance(window, MainWindow)
        return window

    # -- waiting -----------------------------------------------------------------------

    def wait_until(self, condition: Callable[[], object], *, timeout: int = WAIT_MS,
                   what: str = "") -> None:
        deadline = time.monotonic() + timeout / 1000
        while not condition():
            if time.monotonic() > deadline:
                raise JourneyFailure(f"waited {timeout} ms for: {what or condition}")
            self.qtbot.wait(20)

    def wait_for_sync(self, *, after: int | None = None, timeout: int = SYNC_WAIT_MS) -> None:
        """Wait until a sync finishes (the next one, or one after the ``after``-th)."""
        seen = self.syncs_finished if after is None else after
        self.wait_until(lambda: self.syncs_finished > seen, timeout=timeout,
                        what="a sync to finish")

    def send_now(self, *, timeout: int = SYNC_WAIT_MS) -> None:
        """Press 立即同步 and wait until the status bar says every edit is sent, after a sync
        that finished since. Waiting for "the next sync" alone raced: a sync already under
        way when the button is pressed (started by an earlier step) finishes first, before
        the last step's edit was pushed."""
        seen = self.syncs_finished
        self.click(self.window.status_bar.sync_button)
        self.wait_until(lambda: self.syncs_finished > seen
                        and self.window.status_bar.pending_count == 0,
                        timeout=timeout, what="every edit sent")

    def settle(self, ms: int = 50) -> None:
        """Let queued events and quick background reads run (a person's pause)."""
        self.qtbot.wait(ms)

    # -- finding -----------------------------------------------------------------------

    def windows(self) -> list[QWidget]:
        """The visible top-level windows (main window, dialogs, popups)."""
        return [w for w in QApplication.topLevelWidgets()
                if w.isVisible() and not isinstance(w, QMenu)]

    def top(self) -> QWidget:
        """Where the person's attention is: the open modal dialog, else the main window,
        else any visible dialog."""
        modal = QApplication.activeModalWidget()
        if modal is not None and modal.isVisible():
            return modal
        dialogs = [w for w in self.windows() if isinstance(w, QDialog)]
        if dialogs:
            return dialogs[-1]
        return self.window

    def dialog(self, title: str | None = None, *, kind: type[W] = QDialog,  # type: ignore[assignment]
               timeout: int = WAIT_MS) -> W:
        """Wait for a dialog (by its window title, or its kind) and return it."""
        found: list[W] = []

        def opened() -> bool:
            for widget in QApplication.topLevelWidgets():
                if isinstance(widget, kind) and widget.isVisible() and (
                        title is None or title in visible_texts(widget)
                        or plain(widget.windowTitle()) == title):
                    found[:] = [widget]
                    return True
            return False

        self.wait_until(opened, timeout=timeout, what=f"a dialog {title or kind.__name__}")
        return found[0]

    def find_all(self, text: str, kind: type[W] = QWidget, *,  # type: ignore[assignment]
                 within: QWidget | None = None, exact: bool = True) -> list[W]:
        roots = [within] if within is not None else [self.top()]
        found: list[W] = []
        for root in roots:
            for widget in [root, *root.findChildren(kind)]:
                if not isinstance(widget, kind) or not widget.isVisible():
                    continue
                texts = visible_texts(widget)
                if (text in texts) if exact else any(text in t for t in texts):
                    found.append(widget)
        return found

    def find(self, text: str, kind: type[W] = QWidget, *,  # type: ignore[assignment]
             within: QWidget | None = None, exact: bool = True,
             timeout: int = WAIT_MS) -> W:
        """The one visible widget a person calls ``text`` (waits for it to appear)."""
        found: list[W] = []

        def present() -> bool:
            found[:] = self.find_all(text, kind, within=within, exact=exact)
            return bool(found)

        self.wait_until(present, timeout=timeout,
                        what=f"a {kind.__name__} showing {text!r}")
        if len(found) > 1:
            # Buttons first (what a person acts on), then the first in reading order.
            found.sort(key=lambda w: (not isinstance(w, QAbstractButton),
                                      w.mapToGlobal(QPoint(0, 0)).y(),
                                      w.mapToGlobal(QPoint(0, 0)).x()))
        return found[0]

    def by_name(self, object_name: str, kind: type[W] = QWidget, *,  # type: ignore[assignment]
                within: QWidget | None = None, timeout: int = WAIT_MS) -> W:
        """A visible widget by its ``objectName`` (for widgets a person knows by place,
        e.g. the search box; prefer :meth:`find`)."""
        found: list[W] = []

        def present() -> bool:
            root = within or self.top()
            found[:] = [w for w in root.findChildren(kind, object_name) if w.isVisible()]
            return bool(found)

        self.wait_until(present, timeout=timeout, what=f"a {kind.__name__} {object_name!r}")
        return found[0]

    # -- checks ------------------------------------------------------------------------

    def assert_reachable(self, widget: QWidget) -> None:
        """The widget is shown, enabled and inside its window: a person can get at it.

        In a scroll area, a person scrolls to it first (we do too); elsewhere the whole
        widget must lie inside the window.
        """
        if not widget.isVisible():
            raise JourneyFailure(f"{_describe(widget)} is not shown")
        area = _scroll_area_of(widget)
        window = widget.window()
        inside = window.rect()
        if area is None:
            rect = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
            if not inside.contains(rect):
                raise JourneyFailure(
                    f"{_describe(widget)} lies outside its window at {self._size_text()}: "
                    f"{_rect_text(rect)} not within {_rect_text(inside)}")
            return
        # A text box's own region is its frame: its viewport (a child) covers the rest.
        seen = widget.viewport() if isinstance(widget, QAbstractScrollArea) else widget

        def in_view() -> bool:
            rect = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
            return not seen.visibleRegion().isEmpty() and seen.visibleRegion().contains(
                seen.rect().center()) and inside.contains(rect.center())

        # Scrolled to, as a person does; again while the page still lays itself out (a
        # record read again by a sync moved the button after one scroll, under load).
        deadline = time.monotonic() + 1.0
        while True:
            area.ensureWidgetVisible(widget)
            self.settle(10)
            if in_view():
                return
            if time.monotonic() > deadline:
                raise JourneyFailure(
                    f"{_describe(widget)} cannot be scrolled into view at {self._size_text()}")

    def assert_text_fits(self, label: QLabel) -> None:
        """A wrapped label is as tall as its text needs at its width: a dialog squeezed
        into a small window takes the height from labels first (their lines overlap)."""
        self.assert_reachable(label)
        needed = label.heightForWidth(label.width()) if label.wordWrap() \
            else label.sizeHint().height()
        if label.height() + 2 < needed:
            raise JourneyFailure(
                f"{_describe(label)} is cut at {self._size_text()}: {label.height()} px "
                f"high, its text needs {needed} px")

    def assert_readable(self, view: QAbstractItemView, column: int,
                        rows: Iterable[int] | None = None) -> list[str]:
        """The cells of ``column`` (in ``rows``, default: those on screen) are readable:
        inside the view without scrolling sideways, and Chinese text cut to no fewer than
        :data:`MIN_VISIBLE_CHARS` characters. Returns their texts."""
        model = view.model()
        if rows is None:
            rows = self._rows_on_screen(view)
        texts: list[str] = []
        viewport = view.viewport().rect()
        for row in rows:
            index = model.index(row, column, view.rootIndex())
            text = str(model.data(index, Qt.ItemDataRole.DisplayRole) or "")
            texts.append(text)
            rect = view.visualRect(index)
            header = model.headerData(column, Qt.Orientation.Horizontal) or column
            shown = _shown_text(view, index)
            if rect.left() < 0 or (rect.right() > viewport.right() + 1
                                   and not _figure_shown_whole(view, index, text, shown)):
                raise JourneyFailure(
                    f"column {header!r} lies outside the table at {self._size_text()}: "
                    "a person has to scroll sideways to read it")
            if shown != text and _cjk(text):
                visible = len(shown.replace("…", "").strip())
                if visible < min(MIN_VISIBLE_CHARS, len(text)):
                    raise JourneyFailure(
                        f"column {header!r} at {self._size_text()} shows {shown!r} of "
                        f"{text!r}: fewer than {MIN_VISIBLE_CHARS} characters")
        return texts

    def _rows_on_screen(self, view: QAbstractItemView) -> list[int]:
        model = view.model()
        rows = []
        for row in range(model.rowCount(view.rootIndex())):
            rect = view.visualRect(model.index(row, 0, view.rootIndex()))
            if rect.isValid() and rect.bottom() >= 0 and rect.top() <= view.viewport().height():
                rows.append(row)
        return rows

    def _size_text(self) -> str:
        return f"{self.size[0]}×{self.size[1]}"

    # -- acting ------------------------------------------------------------------------

    def click(self, target: QWidget | str, *, within: QWidget | None = None,
              button: Qt.MouseButton = Qt.MouseButton.LeftButton) -> QWidget:
        widget = self.find(target, within=within) if isinstance(target, str) else target
        self.assert_reachable(widget)
        if not widget.isEnabled():
            raise JourneyFailure(f"{_describe(widget)} is disabled")
        self.qtbot.mouseClick(widget, button, pos=widget.rect().center())
        self.settle(10)
        return widget

    def field(self, text: str, *, within: QWidget | None = None,
              timeout: int = WAIT_MS) -> QWidget:
        """The input field a person calls ``text``: by its placeholder or accessible name,
        or the field a label reading ``text`` stands for (its buddy, as in a form)."""
        found: list[QWidget] = []

        def present() -> bool:
            fields = [w for w in self.find_all(text, within=within) if isinstance(w, INPUTS)]
            for label in self.find_all(text, QLabel, within=within):
                buddy = label.buddy()
                if buddy is not None and buddy.isVisible():
                    fields.append(buddy)
            found[:] = fields
            return bool(fields)

        self.wait_until(present, timeout=timeout, what=f"a field {text!r}")
        return found[0]

    def type_into(self, target: QWidget | str, text: str, *, within: QWidget | None = None,
                  replace: bool = True) -> QWidget:
        """Click into a text field and type (replacing what it held, as Ctrl+A does)."""
        widget = self.field(target, within=within) if isinstance(target, str) else target
        self.click(widget)
        if replace:
            self.qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
            self.qtbot.keyClick(widget, Qt.Key.Key_Delete)
        # Latin text key by key; Chinese as an input method commits it (a word at a time).
        for chunk in re.findall(r"[\x00-\x7f]+|[^\x00-\x7f]+", text):
            if chunk.isascii():
                self.qtbot.keyClicks(widget, chunk)
            else:
                target = widget.focusProxy() or widget
                if isinstance(target, QAbstractSpinBox | QComboBox):
                    target = target.findChild(QLineEdit) or target
                event = QInputMethodEvent()
                event.setCommitString(chunk)
                QApplication.sendEvent(target, event)
        self.settle(10)
        return widget

    def press(self, key: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
              *, target: QWidget | None = None) -> None:
        """A key on the keyboard: it goes to whatever has the focus where the person looks."""
        widget = target or self.focus()
        window = widget.window()
        if not window.isActiveWindow():
            # The window the person types into is the active one (a closed dialog gives
            # the activation back to its parent on a desktop; offscreen it does not).
            window.activateWindow()
            deadline = time.monotonic() + 1
            while not window.isActiveWindow() and time.monotonic() < deadline:
                self.qtbot.wait(10)
        self.qtbot.keyClick(widget, key, modifiers)
        self.settle(10)

    def focus(self) -> QWidget:
        """The widget that has the keyboard focus in the window the person looks at."""
        top = self.top()
        return QApplication.focusWidget() if (
            QApplication.focusWidget() is not None
            and QApplication.focusWidget().window() is top) else (top.focusWidget() or top)

    def choose(self, combo: QComboBox | str, item: str, *, within: QWidget | None = None
               ) -> None:
        """Pick ``item`` in a drop-down list (open it, click the entry)."""
        box = self.find(combo, QComboBox, within=within) if isinstance(combo, str) else combo
        self.click(box)
        index = box.findText(item)
        if index < 0:
            raise JourneyFailure(f"{_describe(box)} offers no {item!r}: "
                                 f"{[box.itemText(i) for i in range(box.count())]}")
        popup = box.view()
        for _ in range(2):
            # Offscreen, a click now and then lands while the window takes the focus back
            # and the list stays shut: a person clicks again.
            try:
                self.wait_until(popup.isVisible, timeout=3000, what="the list opens")
                break
            except JourneyFailure:
                self.click(box)
        self.wait_until(popup.isVisible, what="the list opens")
        popup.scrollTo(box.model().index(index, 0))
        rect = popup.visualRect(box.model().index(index, 0))
        self.qtbot.mouseClick(popup.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        self.settle(10)

        def shown(widget: QWidget) -> bool:  # a choice may rebuild the screen (language)
            try:
                return widget.isVisible()
            except RuntimeError:
                return False

        if shown(box) and box.currentIndex() != index:
            box.setCurrentIndex(index)  # offscreen popups may swallow the click
        if shown(popup):
            self.settle(50)
        if shown(popup):
            box.hidePopup()  # ... and then stay open
        self.wait_until(lambda: not shown(popup), what="the list closes")

    def go_to(self, section: str) -> QWidget:
        """Open a section from the sidebar by its title; returns its page."""
        window = self.window
        nav = window.navigation
        for row in range(nav.count()):
            item = nav.item(row)
            if plain(item.text()).startswith(section) or item.data(
                    Qt.ItemDataRole.AccessibleTextRole) == section:
                self.assert_reachable(nav)
                rect = nav.visualItemRect(item)
                self.qtbot.mouseClick(nav.viewport(), Qt.MouseButton.LeftButton,
                                      pos=rect.center())
                self.settle(20)
                key = nav.current_key()
                assert key is not None
                return window.page(key)
        raise JourneyFailure(f"no section {section!r} in the sidebar: "
                             f"{[plain(nav.item(r).text()) for r in range(nav.count())]}")

    def tab(self, text: str, *, within: QWidget | None = None) -> None:
        """Click the tab called ``text`` (a ``QTabBar`` in the window or ``within``)."""
        root = within or self.top()
        for bar in root.findChildren(QTabBar):
            if not bar.isVisible():
                continue
            for i in range(bar.count()):
                if plain(bar.tabText(i)).startswith(text):
                    self.assert_reachable(bar)
                    self.qtbot.mouseClick(bar, Qt.MouseButton.LeftButton,
                                          pos=bar.tabRect(i).center())
                    self.settle(20)
                    return
        raise JourneyFailure(f"no tab {text!r}")

    def row_of(self, view: QAbstractItemView, text: str, *, column: int | None = None,
               timeout: int = WAIT_MS) -> int:
        """The first row showing ``text`` (in ``column``, or any), waiting for it."""
        found: list[int] = []

        def present() -> bool:
            model = view.model()
            while model.canFetchMore(view.rootIndex()):
                model.fetchMore(view.rootIndex())  # a person scrolls down
            columns = [column] if column is not None else range(_column_count(model))
            for row in range(model.rowCount(view.rootIndex())):
                for c in columns:
                    value = model.data(model.index(row, c, view.rootIndex()))
                    if value is not None and text in str(value):
                        found[:] = [row]
                        return True
            return False

        self.wait_until(present, timeout=timeout, what=f"a row showing {text!r}")
        return found[0]

    def click_row(self, view: QAbstractItemView, row: int, column: int = 0, *,
                  double: bool = False) -> None:
        """Click (or double-click) a row, scrolled into view first as a person would."""
        # The row must be there: a list that is (re)loading in the background (the first
        # sync, a search) has no rows yet, and a click on an invalid index lands on the
        # viewport's corner and selects nothing, or later another row.
        model, root = view.model(), view.rootIndex()
        found: list[QModelIndex] = []

        def present() -> bool:
            while row >= model.rowCount(root) and model.canFetchMore(root):
                model.fetchMore(root)  # a person scrolls down
            index = model.index(row, column, root)
            found[:] = [index] if index.isValid() else []
            return bool(found)

        self.wait_until(present, what=f"row {row} of {_describe(view)}")
        self.assert_reachable(view)

        def scrolled_to() -> bool:
            # A list that reads itself again (a sync brings rows) may move the row away
            # between the scroll and the look: a person scrolls to it again.
            present()
            if not found:
                return False
            view.scrollTo(found[0])
            self.settle(10)
            shown = view.visualRect(found[0])
            return not shown.isEmpty() and view.viewport().rect().contains(shown.center())

        try:
            self.wait_until(scrolled_to, timeout=5000, what="scrolled to")
        except JourneyFailure:
            raise JourneyFailure(
                f"row {row} of {_describe(view)} cannot be scrolled to") from None
        index = found[0]
        rect = view.visualRect(index)
        self.qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        current = view.currentIndex()
        if view.selectionMode() != QAbstractItemView.SelectionMode.NoSelection and (
                current.row() != row or current.parent() != root):
            raise JourneyFailure(f"the click on row {row} of {_describe(view)} made row "
                                 f"{current.row()} the current one")
        if double:
            self.qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton,
                                   pos=rect.center())
        self.settle(20)

    def cells(self, view: QAbstractItemView, column: int, rows: Iterable[int] | None = None
              ) -> list[str]:
        """What a person reads in a column (checked readable, see :meth:`assert_readable`)."""
        return self.assert_readable(view, column, rows)

    def column(self, view: QAbstractItemView, header: str) -> int:
        """The column whose header reads ``header``."""
        model = view.model()
        names = [plain(str(model.headerData(c, Qt.Orientation.Horizontal) or ""))
                 for c in range(model.columnCount())]
        for c, name in enumerate(names):
            if name == header and not _column_hidden(view, c):
                return c
        raise JourneyFailure(f"no column {header!r} in {_describe(view)}: {names}")

    def menu(self, button: QAbstractButton, choose: str | None = None
             ) -> list[tuple[str, bool, str]]:
        """Open a button's drop-down menu (``更多操作``) and read it: each entry's text
        (shortcut removed), whether it is enabled, and its tooltip. With ``choose``, click
        that entry; otherwise close the menu (Escape)."""
        seen: list[tuple[str, bool, str]] = []
        done: list[bool] = []
        deadline = time.monotonic() + WAIT_MS / 1000

        def poll() -> None:
            menus = [w for w in QApplication.topLevelWidgets()
                     if isinstance(w, QMenu) and w.isVisible()]
            if not menus:
                if time.monotonic() < deadline:
                    QTimer.singleShot(20, poll)
                return
            menu = menus[0]
            target = None
            for action in menu.actions():
                if action.isSeparator() or not action.isVisible():
                    continue
                text = plain(action.text().split("\t")[0])
                seen.append((text, action.isEnabled(), action.toolTip()
                             if action.toolTip() != action.text().replace("&", "") else ""))
                if text == choose:
                    target = action
            if target is not None and target.isEnabled():
                self.qtbot.mouseClick(menu, Qt.MouseButton.LeftButton,
                                      pos=menu.actionGeometry(target).center())
            if menu.isVisible():
                menu.close()
            done.append(True)

        self.assert_reachable(button)
        QTimer.singleShot(20, poll)
        self.qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=button.rect().center())
        self.wait_until(lambda: bool(done), what=f"the menu of {_describe(button)}")
        self.settle(20)
        if choose is not None and not any(t == choose and e for t, e, _ in seen):
            raise JourneyFailure(f"the menu offers no enabled {choose!r}: {seen}")
        return seen

    def when_dialog_opens(self, kind: type[W], act: Callable[[W], None]) -> None:
        """For a dialog shown with ``exec()`` (it blocks the click that opens it): act on
        it as soon as it shows (call this *before* the click).

        A dialog still open ``WAIT_MS`` after the act (the act did not close it, or the
        dialog took back what it was told) is rejected: the test then fails at its next
        wait, where without this its ``exec()`` would wait for ever and hang the run."""
        deadline = time.monotonic() + SYNC_WAIT_MS / 1000

        def give_up(widget: QWidget) -> None:
            if shiboken6.isValid(widget) and widget.isVisible() \
                    and isinstance(widget, QDialog):
                widget.reject()

        def poll() -> None:
            for widget in QApplication.topLevelWidgets():
                if isinstance(widget, kind) and widget.isVisible():
                    act(widget)
                    QTimer.singleShot(WAIT_MS, partial(give_up, widget))
                    return
            if time.monotonic() < deadline:
                QTimer.singleShot(20, poll)

        QTimer.singleShot(20, poll)

    def choose_file(self, path: Path) -> None:
        """Answer the file dialog the next click opens (to open or to save) with
        ``path`` (call this *before* the click), as a person does: go to the folder, let
        the dialog list it, then type the name. (The dialog reads a folder after going to
        it and then selects again the name the app proposed: a name chosen before that is
        dropped.) It is accepted once the dialog has kept the name twice in a row, 100 ms
        apart."""
        from PySide6.QtWidgets import QFileDialog, QLineEdit

        kept = [0]

        def name_it(dialog: QFileDialog, tries: int = 100) -> None:
            if dialog.selectedFiles()[:1] == [str(path)]:
                kept[0] += 1
            else:
                kept[0] = 0
                edit = dialog.findChild(QLineEdit, "fileNameEdit")
                if edit is not None:
                    edit.setText(path.name)
                else:
                    dialog.selectFile(path.name)
            if kept[0] >= 2 or tries == 0:
                dialog.accept()
            else:
                QTimer.singleShot(100, lambda: name_it(dialog, tries - 1))

        def go(dialog: QFileDialog) -> None:
            dialog.setDirectory(str(path.parent))
            QTimer.singleShot(500, lambda: name_it(dialog))

        self.when_dialog_opens(QFileDialog, go)

    save_as = choose_file

    # -- what the person sees -------------------------------------------------------------

    def status_text(self) -> str:
        """Everything the status bar says now (message and permanent labels)."""
        bar = self.window.status_bar
        parts = [bar.currentMessage()] + [
            plain(w.text()) for w in bar.findChildren(QLabel) if w.isVisible()]
        return " | ".join(p for p in parts if p)

    def sign_in(self, username: str, password: str = DEMO_PASSWORD, *,
                sync: bool = True) -> MainWindow:
        """Type the user name and password in the sign-in dialog and press Enter; wait for
        the window (and, with ``sync``, the first sync to finish)."""
        from ui.login_dialog import LoginDialog

        dialog = self.dialog(kind=LoginDialog)
        seen = self.syncs_finished
        self.type_into(dialog.username_edit, username)
        self.type_into(dialog.password_edit, password)
        self.press(Qt.Key.Key_Return, target=dialog.password_edit)
        window = self.window
        if sync:
            self.wait_for_sync(after=seen)
            self.settle(100)
        return window

    # -- screenshots -------------------------------------------------------------------

    def shot(self, step: str) -> Path:
        """Save what the screen shows now: the main window with its dialogs over it (or
        the dialogs alone before it opens)."""
        self.settle(30)
        window = self.controller.window if self.desk is not None else None
        others = [w for w in QApplication.topLevelWidgets()
                  if w.isVisible() and w is not window and not isinstance(w, QMainWindow)
                  and w.width() > 1 and w.height() > 1]
        if window is not None and window.isVisible():
            image = _compose(window, others)
        elif others:
            image = _compose(others[0], others[1:])
        else:
            raise JourneyFailure("nothing is shown to take a screenshot of")
        return self.shots.save(image, step)


# -- small helpers ----------------------------------------------------------------------------


def _describe(widget: QWidget) -> str:
    texts = visible_texts(widget)
    name = texts[0] if texts else widget.objectName() or "?"
    return f"{type(widget).__name__} {name!r}"


def _rect_text(rect: QRect) -> str:
    return f"({rect.left()},{rect.top()} {rect.width()}×{rect.height()})"


def _scroll_area_of(widget: QWidget) -> QScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            return parent
        parent = parent.parentWidget()
    return None


def _column_count(model: QAbstractItemModel) -> int:
    """A list's model hides its ``columnCount``: one column."""
    if isinstance(model, QAbstractListModel):
        return 1
    return model.columnCount()


def _column_hidden(view: QAbstractItemView, column: int) -> bool:
    if isinstance(view, QTableView | QTreeView):
        return view.isColumnHidden(column)
    return False


def _figure_shown_whole(view: QAbstractItemView, index: QModelIndex, text: str,
                        shown: str) -> bool:
    """A figure (right-aligned) whose column the view's right edge cuts, painted whole at
    that edge (``ui/shell/whole_figures.py``): read without scrolling."""
    align = index.data(Qt.ItemDataRole.TextAlignmentRole)
    right = align is not None and bool(Qt.AlignmentFlag(int(align))
                                       & Qt.AlignmentFlag.AlignRight)
    return right and bool(text) and shown == text


def _shown_text(view: QAbstractItemView, index: QModelIndex) -> str:
    """The text the view paints in a cell (elided as the style elides it)."""
    option = QStyleOptionViewItem()
    view.initViewItemOption(option)
    option.rect = view.visualRect(index)
    delegate = view.itemDelegateForIndex(index)
    if isinstance(delegate, QStyledItemDelegate):
        delegate.initStyleOption(option, index)
    else:
        option.text = str(index.data() or "")
    style = view.style()
    text_rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, option, view)
    margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1
    width = text_rect.width() - 2 * margin
    return QFontMetrics(option.font).elidedText(option.text, option.textElideMode, width)


def iter_children(root: QWidget, kind: type[W]) -> Iterator[W]:
    yield from (w for w in root.findChildren(kind) if w.isVisible())


__all__ = [
    "MIN_VISIBLE_CHARS", "SIZES", "Journey", "JourneyFailure", "JourneyServer", "ServerView",
    "ShotBook", "iter_children", "plain", "visible_texts",
]
