"""The Performance section (绩效考核): what each role finds there.

* social worker: "My performance" (their records, this month's live preview, the
  self-assessment, submit);
* supervisor (and administrator): the approval queue, the month's records, the dashboard;
* clerk: the dashboard of their community.

One change set reaches every tab: a local write (the backend's ``local_edit_made`` →
:meth:`PerformanceView.on_local_changes`, or the context's own signal when the view runs
alone) and every finished sync (``SyncBridge.sync_finished``: ``report.changed``); each
tab decides whether it must read again.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from gulou_desk.store.changes import ChangeSet
from sync.events import SyncReport
from ui.performance.dashboard import DashboardView
from ui.performance.supervisor_view import ApprovalQueueView, MonthlyRecordsView
from ui.performance.worker_view import MyPerformanceView
from ui.tickets.context import DeskContext, report_changes

TABS_STYLE = """
QTabWidget#performance_tabs::pane { border: none; border-top: 1px solid #e3e7ed; }
QTabBar::tab { padding: 7px 16px; border: none; color: #4b5563; }
QTabBar::tab:selected { color: #1b3f8f; border-bottom: 2px solid #2458c6; font-weight: 600; }
"""


class PerformanceView(QWidget):
    """The section's view: the tabs of the user's role (see the module docstring)."""

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("performance_view")
        self._ctx = ctx
        role = ctx.session.role
        self.mine: MyPerformanceView | None = None
        self.queue: ApprovalQueueView | None = None
        self.records: MonthlyRecordsView | None = None
        self.dashboard: DashboardView | None = None
        self.tabs = QTabWidget()
        self.tabs.setObjectName("performance_tabs")
        self.tabs.setDocumentMode(True)
        self.tabs.setStyleSheet(TABS_STYLE)
        if role == "social_worker":
            self.mine = MyPerformanceView(ctx)
            self.tabs.addTab(self.mine, self.tr("My performance"))
        if role in ("supervisor", "admin"):
            self.queue = ApprovalQueueView(ctx)
            self.records = MonthlyRecordsView(ctx)
            self.tabs.addTab(self.queue, self.tr("Approval queue"))
            self.tabs.addTab(self.records, self.tr("Monthly records"))
        if role in ("supervisor", "admin", "clerk"):
            self.dashboard = DashboardView(ctx)
            self.tabs.addTab(self.dashboard, self.tr("Dashboard"))
        self.tabs.tabBar().setVisible(self.tabs.count() > 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        for number in range(1, min(self.tabs.count(), 3) + 1):
            QShortcut(QKeySequence(f"Alt+{number}"), self,
                      lambda n=number: self.tabs.setCurrentIndex(n - 1),
                      context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        ctx.changes.changes_applied.connect(self.on_changes)
        ctx.bridge.sync_finished.connect(self._sync_finished)

    def show_tab(self, widget: QWidget) -> None:
        self.tabs.setCurrentWidget(widget)

    def on_local_changes(self, changes: ChangeSet, sender: object = None) -> None:
        """The backend's signal: a view (this one or another) wrote through a use case."""
        self.on_changes(changes)

    def on_changes(self, changes: ChangeSet) -> None:
        for tab in (self.mine, self.queue, self.records, self.dashboard):
            if tab is not None:
                tab.on_changes(changes)

    def _sync_finished(self, report: SyncReport) -> None:
        self.on_changes(report_changes(report))
