"""The Performance section (绩效考核): what each role finds there.

* social worker: "My performance" (their records, this month's live preview, the
  self-assessment, submit);
* supervisor (and administrator): the approval queue, the month's records, the dashboard;
* clerk: the dashboard of their community.

One change set reaches every tab, through the context's one ``changes_applied`` signal:
a local write or a finished sync; each tab decides whether it must read again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from gulou_desk.store.changes import ChangeSet
from ui.palette import qss
from ui.performance.dashboard import DashboardView
from ui.performance.supervisor_view import ApprovalQueueView, MonthlyRecordsView
from ui.performance.worker_view import MyPerformanceView
from ui.shell.context import DeskContext

Tab = MyPerformanceView | ApprovalQueueView | MonthlyRecordsView | DashboardView

TABS_STYLE = qss("""
QTabWidget#performance_tabs::pane { border: none; border-top: 1px solid @border; }
QTabBar::tab { padding: 7px 16px; border: none; color: @text_secondary; }
QTabBar::tab:selected { color: @accent_dark; border-bottom: 2px solid @accent; font-weight: 600; }
""")


class PerformanceView(QWidget):
    """The section's view: the tabs of the user's role (see the module docstring).

    Only the first tab is built at once; the others are built the first time they are
    shown (or asked for through :attr:`records`, :attr:`dashboard` …): a supervisor's
    window opens without drawing the month's records and the charts it may not look at.
    """

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("performance_view")
        self._ctx = ctx
        role = ctx.session.role
        tabs: list[tuple[str, str, Callable[[], Tab]]] = []
        if role == "social_worker":
            tabs.append(("mine", self.tr("My performance"), lambda: MyPerformanceView(ctx)))
        if role in ("supervisor", "admin"):
            tabs.append(("queue", self.tr("Approval queue"), lambda: ApprovalQueueView(ctx)))
            tabs.append(("records", self.tr("Monthly records"),
                         lambda: MonthlyRecordsView(ctx)))
        if role in ("supervisor", "admin", "clerk"):
            tabs.append(("dashboard", self.tr("Dashboard"), lambda: DashboardView(ctx)))
        self._makers = {key: make for key, _label, make in tabs}
        self._built: dict[str, Tab] = {}
        self._pages: dict[str, QWidget] = {}
        self.tabs = QTabWidget()
        self.tabs.setObjectName("performance_tabs")
        self.tabs.setDocumentMode(True)
        self.tabs.setStyleSheet(TABS_STYLE)
        for key, label, _make in tabs:
            page = QWidget()
            page.setObjectName(f"performance_page_{key}")
            QVBoxLayout(page).setContentsMargins(0, 0, 0, 0)
            self._pages[key] = page
            self.tabs.addTab(page, label)
        self.tabs.tabBar().setVisible(self.tabs.count() > 1)
        self.tabs.currentChanged.connect(self._build_current)
        self._build_current()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        for number in range(1, min(self.tabs.count(), 3) + 1):
            QShortcut(QKeySequence(f"Alt+{number}"), self,
                      lambda n=number: self.tabs.setCurrentIndex(n - 1),
                      context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        ctx.changes.changes_applied.connect(self.on_changes)

    # -- the tabs, built when first wanted ---------------------------------------------

    def _tab(self, key: str) -> Tab | None:
        """The tab ``key`` (built now if it was not yet), or ``None`` for another role."""
        if key in self._built:
            return self._built[key]
        make = self._makers.get(key)
        if make is None:
            return None
        tab = self._built[key] = make()
        page = self._pages[key]
        layout = page.layout()
        assert layout is not None
        layout.addWidget(tab)
        tab.show()  # added to a page that may be on screen already
        return tab

    def _build_current(self) -> None:
        for key, page in self._pages.items():
            if page is self.tabs.currentWidget():
                self._tab(key)

    @property
    def mine(self) -> MyPerformanceView | None:
        return cast(MyPerformanceView | None, self._tab("mine"))

    @property
    def queue(self) -> ApprovalQueueView | None:
        return cast(ApprovalQueueView | None, self._tab("queue"))

    @property
    def records(self) -> MonthlyRecordsView | None:
        return cast(MonthlyRecordsView | None, self._tab("records"))

    @property
    def dashboard(self) -> DashboardView | None:
        return cast(DashboardView | None, self._tab("dashboard"))

    def show_tab(self, widget: QWidget) -> None:
        for key, tab in self._built.items():
            if tab is widget:
                self.tabs.setCurrentWidget(self._pages[key])

    def on_changes(self, changes: ChangeSet) -> None:
        """A local write or a sync changed these records (the context's one signal).
        Tabs not built yet read everything when they are built."""
        for tab in self._built.values():
            tab.on_changes(changes)
