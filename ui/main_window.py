"""The main window: role-based navigation, the sections' pages, the sync status bar.

How other code plugs in:

* **Views.** A section shows a clear empty state until a view is registered for it::

      window.register_view("households", lambda parent: HouseholdsView(store, parent))

  The factory runs the first time the section is shown (lazy: an unused section costs
  nothing). Registering may happen before or after the window is shown. A view that
  wants its splitters or table columns remembered gives them a unique ``objectName`` and
  calls ``settings.restore_layout(self)`` once its model is set; the window saves the
  layout of every page when it closes.
* **Sync.** The window listens to a :class:`~ui.sync_bridge.SyncBridge` through its
  status bar, and emits ``sync_requested`` for the "Sync now" button / Ctrl+R / F5;
  the app connects that to the engine.
* **Counts.** ``counts`` maps a name to a blocking query (``"pending"`` → outbox size,
  ``"conflicts"`` / ``"inbox"`` / ``"tickets"`` → badge of that section). They run in
  the background (``ui.background``, READ lane) at start, after each finished sync, and whenever
  :meth:`MainWindow.refresh_counts` is called (e.g. after a local edit).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from sync.events import FailureReason, SyncReport
from ui.background import OpError, Progress, Reread
from ui.icons import app_icon, icon
from ui.navigation import SECTIONS, role_title, sections_for
from ui.session import Session
from ui.settings import Settings
from ui.settings_view import SettingsView
from ui.shell.empty_state import EmptyState
from ui.shell.nav_list import NavigationList
from ui.status_bar import SyncStatusBar
from ui.sync_bridge import SyncBridge

log = logging.getLogger(__name__)

ViewFactory = Callable[[QWidget], QWidget]
"""Builds a section's view; gets the page it lives in as parent."""
CountQuery = Callable[[], int]
"""A blocking count (runs in a worker thread)."""

BADGE_SECTIONS = ("conflicts", "inbox", "tickets", "performance")
SIDEBAR_MIN_WIDTH = 170
"""The sidebar is never narrower than this, nor than the app's name and the user in it."""


class MainWindow(QMainWindow):
    """The desk client's window (see the module docstring for how to plug in).

    Signals:
        sync_requested(): the user asked to sync now.
        sign_out_requested(): the user asked to sign out (Settings, or the File menu).
        section_changed(str): the shown section changed; carries its key.
        counts_refreshed(dict): the counts were read again (name → number).
    """

    sync_requested = Signal()
    sign_out_requested = Signal()
    section_changed = Signal(str)
    counts_refreshed = Signal(dict)

    def __init__(
        self,
        settings: Settings,
        bridge: SyncBridge,
        session: Session,
        *,
        views: Mapping[str, ViewFactory] | None = None,
        counts: Mapping[str, CountQuery] | None = None,
        log_file: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("main_window")
        self.setWindowIcon(app_icon())
        self._settings = settings
        self._bridge = bridge
        self._session = session
        self._log_file = log_file
        self._counts: dict[str, CountQuery] = dict(counts or {})
        self._factories: dict[str, ViewFactory] = dict(views or {})
        self._pages: dict[str, QWidget] = {}
        self._page_layouts: dict[str, QVBoxLayout] = {}
        self._built: set[str] = set()
        self._count_read = Reread(self, "count_badges", self._count_work, self._apply_counts,
                                  self._counts_failed)

        self.sync_action = QAction(icon("sync", selected=None), self.tr("Sync now"), self)
        self.sync_action.setObjectName("sync_now_action")
        self.sync_action.setShortcuts([QKeySequence("Ctrl+R"), QKeySequence(Qt.Key.Key_F5)])
        self.sync_action.setToolTip(self.tr("Send your edits and fetch the latest (Ctrl+R, F5)"))
        self.sync_action.triggered.connect(self.sync_requested)
        self.addAction(self.sync_action)

        self._build_menus()
        self._build_body()
        self.status_bar = SyncStatusBar(bridge, self.sync_action, parent=self)
        self.setStatusBar(self.status_bar)
        bridge.sync_finished.connect(self._on_sync_finished)
        bridge.sync_failed.connect(self._on_sync_failed)

        self.setWindowTitle(self._title())
        self.resize(1240, 800)
        self.setMinimumSize(720, 480)
        settings.restore_layout(self)
        self.show_section(self.navigation.section_keys()[0])
        self.refresh_counts()

    # -- building ----------------------------------------------------------------------

    def _title(self) -> str:
        name = self.tr("Gulou e-Home Desk")
        if self._session.demo:
            return self.tr("%1 (demo)").replace("%1", name)
        return name

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        file_menu.addAction(self.sync_action)
        file_menu.addSeparator()
        sign_out = file_menu.addAction(self.tr("Sign out"))
        sign_out.setObjectName("sign_out_action")
        sign_out.setEnabled(not self._session.demo)
        sign_out.triggered.connect(self.sign_out_requested)
        quit_action = file_menu.addAction(self.tr("Quit"))
        quit_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Quit))
        quit_action.triggered.connect(self.close)

        self.go_menu = self.menuBar().addMenu(self.tr("&Go"))

    def _build_body(self) -> None:
        sidebar = QWidget()
        sidebar.setObjectName("sidebar")
        side_layout = QVBoxLayout(sidebar)
        side_layout.setContentsMargins(10, 14, 10, 10)
        side_layout.setSpacing(6)
        brand = QLabel(self.tr("Gulou e-Home"))
        brand.setObjectName("brand")
        who = QLabel(f"{self._session.display_name} · {role_title(self._session.role)}")
        who.setObjectName("who")
        who.setToolTip(f"{self._session.username} @ {self._session.server_url}")
        side_layout.addWidget(brand)
        side_layout.addWidget(who)
        side_layout.addSpacing(8)

        self.navigation = NavigationList()
        for number, section in enumerate(sections_for(self._session.role), start=1):
            title = section.display_title()
            self.navigation.add_section(section.key, title, icon(section.icon))
            go = self.go_menu.addAction(icon(section.icon, selected=None), title)
            go.setObjectName(f"go_{section.key}")
            if number <= 9:
                go.setShortcut(QKeySequence(f"Ctrl+{number}"))
            go.triggered.connect(lambda _=False, key=section.key: self.show_section(key))
        self.navigation.currentItemChanged.connect(self._on_navigation_changed)
        side_layout.addWidget(self.navigation, 1)

        self.pages = QStackedWidget()
        self.pages.setObjectName("pages")
        for key in self.navigation.section_keys():
            page = QWidget()
            page.setObjectName(f"page_{key}")
            layout = QVBoxLayout(page)
            layout.setContentsMargins(0, 0, 0, 0)
            self.pages.addWidget(page)
            self._pages[key] = page
            self._page_layouts[key] = layout

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("main_splitter")
        self.splitter.addWidget(sidebar)
        self.splitter.addWidget(self.pages)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setHandleWidth(1)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([220, 1020])
        # However wide a section wants to be, the sidebar keeps the app's name and who
        # is signed in whole ("Gulou e-Home" was cut at 1024×700 beside the households).
        margins = side_layout.contentsMargins()
        for label in (brand, who):
            label.ensurePolished()
        sidebar.setMinimumWidth(max(SIDEBAR_MIN_WIDTH, brand.sizeHint().width(),
                                    who.sizeHint().width())
                                + margins.left() + margins.right())
        self.setCentralWidget(self.splitter)

    # -- sections ----------------------------------------------------------------------

    def sections(self) -> list[str]:
        """The keys of the sections this user sees, in sidebar order."""
        return self.navigation.section_keys()

    def current_section(self) -> str | None:
        return self.navigation.current_key()

    def page(self, key: str) -> QWidget:
        """The page of a section (its view, or its empty state, is inside)."""
        self._ensure_built(key)
        return self._pages[key]

    def show_section(self, key: str) -> None:
        item = self.navigation.item_for(key)
        if item is None:
            raise KeyError(f"section {key!r} is not shown to a {self._session.role}")
        self.navigation.setCurrentItem(item)

    def register_view(self, key: str, factory: ViewFactory) -> None:
        """Give a section its real view (replaces the empty state; built lazily)."""
        if key not in SECTIONS:
            raise KeyError(f"unknown section {key!r}")
        self._factories[key] = factory
        if key in self._built:
            self._clear_page(key)
            self._built.discard(key)
            if self.current_section() == key:
                self._ensure_built(key)

    def set_badge(self, key: str, count: int) -> None:
        self.navigation.set_badge(key, count)
        if key == "conflicts" and self._empty_state(key) is not None:
            self._update_conflicts_empty_state(count)

    def _on_navigation_changed(self, current: object, previous: object) -> None:
        key = self.navigation.current_key()
        if key is None:
            return
        self._ensure_built(key)
        self.pages.setCurrentWidget(self._pages[key])
        self.section_changed.emit(key)

    def _ensure_built(self, key: str) -> None:
        if key in self._built:
            return
        page, layout = self._pages[key], self._page_layouts[key]
        factory = self._factories.get(key)
        if factory is not None:
            view = factory(page)
        elif key == "settings":
            settings_view = SettingsView(self._settings, self._session, self._log_file, page)
            settings_view.sign_out_requested.connect(self.sign_out_requested)
            view = settings_view
        else:
            section = SECTIONS[key]
            view = EmptyState(
                section.icon, section.display_empty_title(), section.display_empty_text(), None,
                page,
            )
        layout.addWidget(view)
        self._built.add(key)
        if key == "conflicts" and factory is None:
            self._update_conflicts_empty_state(self.navigation.badge("conflicts"))

    def _clear_page(self, key: str) -> None:
        layout = self._page_layouts[key]
        while layout.count():
            child = layout.takeAt(0)
            widget = child.widget() if child is not None else None
            if widget is not None:
                widget.deleteLater()

    def _empty_state(self, key: str) -> EmptyState | None:
        if key not in self._built:
            return None
        return self._pages[key].findChild(EmptyState)

    def _update_conflicts_empty_state(self, count: int) -> None:
        state = self._empty_state("conflicts")
        if state is None:
            return
        section = SECTIONS["conflicts"]
        if count:
            state.set_texts(
                self.tr("%n edit(s) wait for your decision", "", count),
                self.tr(
                    "The screen to compare your value with the server's and choose one is "
                    "coming here. Until then your edits are kept safely on this computer."
                ),
            )
        else:
            state.set_texts(section.display_empty_title(), section.display_empty_text())

    # -- counts and sync -----------------------------------------------------------------

    def refresh_counts(self) -> None:
        """Read the counts again in the background (coalesced if one read is running)."""
        if self._counts:
            self._count_read.run()

    def _count_work(self) -> Callable[[Progress], dict[str, int]]:
        queries = dict(self._counts)

        def count_all(progress: Progress) -> dict[str, int]:
            result: dict[str, int] = {}
            for name, query in queries.items():
                progress.check_cancelled()
                result[name] = int(query())
            return result

        return count_all

    def _apply_counts(self, counts: dict[str, int]) -> None:
        if "pending" in counts:
            self.status_bar.set_pending_count(counts["pending"])
        for key in BADGE_SECTIONS:
            if key in counts:
                self.set_badge(key, counts[key])
        self.counts_refreshed.emit(counts)

    def _counts_failed(self, error: OpError) -> None:
        """A count is not worth a dialog: the log has the details."""

    def _on_sync_finished(self, report: SyncReport) -> None:
        self.refresh_counts()

    def _on_sync_failed(self, reason: FailureReason, message: str) -> None:
        if reason is not FailureReason.OFFLINE:
            self.refresh_counts()

    # -- closing -----------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        self._settings.save_layout(self)
        super().closeEvent(event)
