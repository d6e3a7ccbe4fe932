"""The dashboard (supervisor and clerk): visits per week against plan, tickets by category
and status, the overdue trend, satisfaction, and per-grid and per-worker tables; filters by
months (from / to) and community / grid; "Export to Excel".

:func:`~gulou_desk.store.performance_queries.dashboard` takes seconds at street size: it
runs as an op on the READ lane, with a busy bar and a Cancel button, first when the view
is shown, then when a filter changes (a newer request replaces a running one). A sync
that brings new data does not recompute it at once: the view says the figures are older
than the data and offers "Refresh".
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCharts import QChart, QChartView
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QPainter, QResizeEvent, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from gulou_desk.domain import performance
from gulou_desk.performance_desk import DashboardScope, read_dashboard, read_scope
from gulou_desk.store import performance_queries as pq
from gulou_desk.store.changes import ChangeSet
from gulou_desk.store.gubao_queries import urgent_counts_for
from ui.background import Op, OpError, OpHandle, Progress
from ui.palette import qss
from ui.performance import charts, export
from ui.performance import labels as L
from ui.performance.models import GroupModel, SortFilterProxy
from ui.shell.context import DeskContext

log = logging.getLogger(__name__)

DATA_SOURCES = ("visit", "ticket", "ticket_event", "household", "grid", "staff")
"""Entities the dashboard is computed from."""
URGENT_SOURCES = ("inbox_message", "ticket")
"""Entities the open urgent alerts' count is read from (read again when they change)."""
DEFAULT_MONTHS = 3
TWO_COLUMNS_FROM = 1000
"""The charts stand side by side on a dashboard this wide (1600×1000); narrower (about
800 px at 1024×700) one under the other, so that the tickets chart's category names
and the axis titles read whole."""

DASHBOARD_STYLE = qss("""
QWidget#dashboard_body { background: @white; }
QFrame#filter_bar { background: @panel; border-bottom: 1px solid @border; }
QLabel#field_hint { color: @muted; }
QLabel#dashboard_stale { color: @warning_dark; }
QPushButton#dashboard_urgent { border: none; background: transparent; color: @accent;
                               padding: 2px 0; text-align: right; }
QPushButton#dashboard_urgent[alarm="true"] { color: @danger; font-weight: 600; }
QTableView { border: 1px solid @border; gridline-color: @gridline; }
QHeaderView::section { background: @panel; border: none; border-bottom: 1px solid @border;
                       padding: 5px 6px; color: @text_secondary; }
""")


def _group_table(name: str, model: GroupModel, parent: QWidget) -> tuple[QTableView,
                                                                          SortFilterProxy]:
    proxy = SortFilterProxy(parent)
    proxy.setSourceModel(model)
    table = QTableView()
    table.setTabKeyNavigation(False)  # Tab: on to the next control
    table.setObjectName(name)
    table.setModel(proxy)
    table.setSortingEnabled(True)
    table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(28)
    table.setMinimumHeight(260)
    header = table.horizontalHeader()
    header.setObjectName(f"{name}_header")
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    return table, proxy


class DashboardView(QWidget):
    """The dashboard (see the module docstring).

    Signals:
        computed(): a dashboard was computed and drawn.
        scope_loaded(): the filters' communities and grids were read.
    """

    computed = Signal()
    scope_loaded = Signal()

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dashboard")
        self.setStyleSheet(DASHBOARD_STYLE)
        self._ctx = ctx
        self.board: pq.Dashboard | None = None
        self.scope: DashboardScope | None = None
        self._running: OpHandle | None = None
        self._generation = 0
        self._started = False
        self._stale = False

        # Filters.
        bar = QFrame()
        bar.setObjectName("filter_bar")
        self.from_combo = QComboBox()
        self.from_combo.setObjectName("dashboard_from")
        self.to_combo = QComboBox()
        self.to_combo.setObjectName("dashboard_to")
        for combo in (self.from_combo, self.to_combo):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.community_combo = QComboBox()
        self.community_combo.setObjectName("dashboard_community")
        self.grid_combo = QComboBox()
        self.grid_combo.setObjectName("dashboard_grid")
        # As wide as their longest name: eight "x" wide, a clerk's own community read
        # "汇林绿洲社" (Chinese characters are about twice an "x").
        for combo in (self.community_combo, self.grid_combo):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.setObjectName("dashboard_refresh")
        self.refresh_button.setToolTip(self.tr("Compute the dashboard again from the latest "
                                               "data on this computer"))
        self.refresh_button.clicked.connect(self.compute)
        self.export_button = QPushButton(self.tr("Export to Excel…"))
        self.export_button.setObjectName("dashboard_export")
        self.export_button.setToolTip(self.tr("The dashboard's tables as a workbook (Ctrl+E)"))
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(self.export_excel)
        filters = QHBoxLayout(bar)
        filters.setContentsMargins(12, 8, 12, 8)
        filters.setSpacing(6)
        for text, widget in ((self.tr("From"), self.from_combo), (self.tr("to"), self.to_combo),
                             (self.tr("Community"), self.community_combo),
                             (self.tr("Grid"), self.grid_combo)):
            label = QLabel(text)
            label.setBuddy(widget)
            filters.addWidget(label)
            filters.addWidget(widget)
            filters.addSpacing(6)
        filters.addStretch(1)
        filters.addWidget(self.refresh_button)
        filters.addWidget(self.export_button)

        # Busy state and messages.
        self.busy_bar = QProgressBar()
        self.busy_bar.setObjectName("dashboard_busy")
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setMaximumWidth(180)
        self.busy_bar.setTextVisible(False)
        self.busy_label = QLabel()
        self.busy_label.setObjectName("field_hint")
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setObjectName("dashboard_cancel")
        self.cancel_button.clicked.connect(self.cancel)
        self.stale_label = QLabel()
        self.stale_label.setObjectName("dashboard_stale")
        self.stale_label.setTextFormat(Qt.TextFormat.RichText)
        self.stale_label.linkActivated.connect(lambda _link: self.compute())
        self.stale_label.hide()
        # The street's open urgent alerts (the 鼓宝 section's counts, a click away), there
        # to click while the figures are computed too.
        self.urgent_button = QPushButton()
        self.urgent_button.setObjectName("dashboard_urgent")
        self.urgent_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.urgent_button.setToolTip(self.tr("Open the alert rules in the Gubao section, "
                                              "with the open urgent alerts per community"))
        self.urgent_button.clicked.connect(self.open_urgent_alerts)
        self.urgent_button.hide()
        status = QHBoxLayout()
        status.setContentsMargins(12, 4, 12, 0)
        status.addWidget(self.busy_bar)
        status.addWidget(self.busy_label, 1)
        status.addStretch(1)
        status.addWidget(self.stale_label)
        status.addWidget(self.cancel_button)
        status.addWidget(self.urgent_button)

        # Charts.
        self.chart_views: dict[str, QChartView] = {}
        grid = QGridLayout()
        grid.setSpacing(10)
        for key in charts.CHART_KEYS:
            view = QChartView()
            view.setObjectName(f"chart_view_{key}")
            view.setRenderHint(QPainter.RenderHint.Antialiasing)
            view.setMinimumHeight(340)
            view.setChart(self._placeholder(key))
            self.chart_views[key] = view
        self.chart_grid = grid
        self._chart_columns = 0
        self._arrange_charts()

        # Tables.
        self.grid_model = GroupModel(grid=True, parent=self)
        self.worker_model = GroupModel(grid=False, parent=self)
        self.grid_table, self.grid_proxy = _group_table("dashboard_grids", self.grid_model,
                                                        self)
        self.worker_table, self.worker_proxy = _group_table("dashboard_workers",
                                                            self.worker_model, self)
        self.table_filter = QLineEdit()
        self.table_filter.setObjectName("dashboard_table_filter")
        self.table_filter.setPlaceholderText(self.tr("Filter the tables (Ctrl+F)"))
        self.table_filter.setClearButtonEnabled(True)
        self.table_filter.textChanged.connect(self.grid_proxy.setFilterFixedString)
        self.table_filter.textChanged.connect(self.worker_proxy.setFilterFixedString)
        self.tables = QTabWidget()
        self.tables.setObjectName("dashboard_tables")
        self.tables.addTab(self.grid_table, self.tr("By grid"))
        self.tables.addTab(self.worker_table, self.tr("By social worker"))

        body = QWidget()
        body.setObjectName("dashboard_body")
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(12, 8, 12, 12)
        body_layout.setSpacing(10)
        self.period_label = QLabel()
        self.period_label.setObjectName("field_hint")
        body_layout.addWidget(self.period_label)
        body_layout.addLayout(grid)
        body_layout.addWidget(self.table_filter)
        body_layout.addWidget(self.tables)
        scroll = QScrollArea()
        scroll.setObjectName("dashboard_scroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        self.scroll_area = scroll
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(bar)
        layout.addLayout(status)
        layout.addWidget(scroll, 1)
        QShortcut(QKeySequence("Ctrl+E"), self, self.export_excel)
        QShortcut(QKeySequence.StandardKey.Find, self, self.table_filter.setFocus)
        self._set_busy(False)
        ctx.settings.restore_layout(self)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._arrange_charts()

    def _arrange_charts(self) -> None:
        """Two charts side by side on a wide dashboard, one under the other on a narrow
        one (:data:`TWO_COLUMNS_FROM`)."""
        columns = 2 if self.width() >= TWO_COLUMNS_FROM else 1
        if columns == self._chart_columns:
            return
        self._chart_columns = columns
        for i, key in enumerate(charts.CHART_KEYS):
            view = self.chart_views[key]
            self.chart_grid.removeWidget(view)
            self.chart_grid.addWidget(view, i // columns, i % columns)

    # -- starting ---------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.start()

    def start(self) -> None:
        """Read the filters' choices, then compute (once: later the filters drive it)."""
        if self._started:
            return
        self._started = True
        desk, today = self._ctx.desk, self._ctx.now().date()
        self.read_urgent()
        self._set_busy(True, self.tr("Reading the communities and grids…"))
        Op(self, lambda progress: read_scope(desk, today),
           name="dashboard_scope").success(
            self._scope_loaded).failure(self._failed).run()

    def _scope_loaded(self, scope: DashboardScope) -> None:
        self.scope = scope
        for combo in (self.from_combo, self.to_combo, self.community_combo, self.grid_combo):
            combo.blockSignals(True)
            combo.clear()
        periods = list(scope.periods) or [performance.period_of(self._ctx.now().date())]
        for period in periods:  # short English months: the bar is full at 1024 px
            self.from_combo.addItem(L.month_label(period, short=True), period)
            self.to_combo.addItem(L.month_label(period, short=True), period)
        self.to_combo.setCurrentIndex(0)
        self.from_combo.setCurrentIndex(min(DEFAULT_MONTHS - 1, len(periods) - 1))
        self.community_combo.addItem(self.tr("All"), None)
        for place in scope.communities:
            self.community_combo.addItem(place.name, place.id)
        if len(scope.communities) == 1:
            self.community_combo.setCurrentIndex(1)
        self._fill_grids()
        for combo in (self.from_combo, self.to_combo, self.community_combo, self.grid_combo):
            combo.blockSignals(False)
        self.from_combo.currentIndexChanged.connect(self._period_changed)
        self.to_combo.currentIndexChanged.connect(self._period_changed)
        self.community_combo.currentIndexChanged.connect(self._community_changed)
        self.grid_combo.currentIndexChanged.connect(lambda _i: self.compute())
        self.scope_loaded.emit()
        self.compute()

    def _fill_grids(self) -> None:
        self.grid_combo.blockSignals(True)
        self.grid_combo.clear()
        self.grid_combo.addItem(self.tr("All"), None)
        community = self.community_combo.currentData()
        for place in self.scope.grids if self.scope is not None else ():
            if community is None or place.community_id == community:
                self.grid_combo.addItem(place.name, place.id)
        self.grid_combo.blockSignals(False)

    def _community_changed(self, _index: int) -> None:
        self._fill_grids()
        self.compute()

    def _period_changed(self, _index: int) -> None:
        # Keep from ≤ to: the lists are latest first, so "from" sits at or below "to".
        if self.from_combo.currentIndex() < self.to_combo.currentIndex():
            sender = self.sender()
            other = self.to_combo if sender is self.from_combo else self.from_combo
            other.blockSignals(True)
            other.setCurrentIndex(self.from_combo.currentIndex() if sender is self.from_combo
                                  else self.to_combo.currentIndex())
            other.blockSignals(False)
        self.compute()

    # -- filters ----------------------------------------------------------------------

    def filters(self) -> dict[str, str | None]:
        return {"period_from": self.from_combo.currentData(),
                "period_to": self.to_combo.currentData(),
                "community_id": self.community_combo.currentData(),
                "grid_id": self.grid_combo.currentData()}

    def set_filters(self, *, period_from: str | None = None, period_to: str | None = None,
                    community_id: str | None = None, grid_id: str | None = None) -> None:
        """Choose filters as the user would (each change recomputes)."""
        for combo, value in ((self.to_combo, period_to), (self.from_combo, period_from),
                             (self.community_combo, community_id),
                             (self.grid_combo, grid_id)):
            if value is not None:
                index = combo.findData(value)
                if index >= 0:
                    combo.setCurrentIndex(index)

    # -- computing --------------------------------------------------------------------

    @property
    def computing(self) -> bool:
        return self._running is not None

    def compute(self) -> None:
        """Compute the dashboard for the current filters in the background."""
        if self.scope is None:
            self.start()
            return
        f = self.filters()
        if not f["period_from"] or not f["period_to"]:
            return
        if self._running is not None:
            self._running.cancel()
        self._generation += 1
        generation = self._generation
        desk, today = self._ctx.desk, self._ctx.now().date()
        period_from, period_to = str(f["period_from"]), str(f["period_to"])
        community_id, grid_id = f["community_id"], f["grid_id"]
        scope = self.scope

        def work(progress: Progress) -> pq.Dashboard:
            return read_dashboard(desk, period_from=period_from, period_to=period_to,
                                  community_id=community_id, grid_id=grid_id, today=today,
                                  scope=scope)

        self._set_busy(True, self.tr("Computing the dashboard… this takes a few seconds for "
                                     "a whole street."))
        self._running = Op(self, work, name="dashboard").success(
            lambda board: self._computed(generation, board)).failure(
            lambda error: self._compute_failed(generation, error)).on_cancel(
            lambda: self._cancelled(generation)).run()

    def cancel(self) -> None:
        if self._running is not None:
            self._running.cancel()

    def _cancelled(self, generation: int) -> None:
        if generation == self._generation:
            self._running = None
            self._set_busy(False, self.tr("Cancelled: the charts show the last figures "
                                          "computed."))

    def _computed(self, generation: int, board: pq.Dashboard) -> None:
        if generation != self._generation:
            return
        self._running = None
        self.board = board
        self._stale = False
        self.stale_label.hide()
        self._set_busy(False)
        self._draw(board)
        self.export_button.setEnabled(True)
        self.computed.emit()

    def _compute_failed(self, generation: int, error: OpError) -> None:
        if generation != self._generation:
            return
        self._running = None
        self._failed(error)

    def _failed(self, error: OpError) -> None:
        self._set_busy(False, error.message)

    def _set_busy(self, busy: bool, text: str = "") -> None:
        self.busy_bar.setVisible(busy)
        self.cancel_button.setVisible(busy)
        self.busy_label.setText(text)
        self.busy_label.setVisible(bool(text))
        self.refresh_button.setEnabled(not busy)
        self.scroll_area.setEnabled(not busy)

    def _placeholder(self, key: str) -> QChart:
        chart = QChart()
        chart.setTitle(L.tr(charts.TITLES[key]))
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        return chart

    def _draw(self, board: pq.Dashboard) -> None:
        for key, builder in charts.BUILDERS.items():
            view = self.chart_views[key]
            old = view.chart()
            view.setChart(builder(board))
            if old is not None:
                old.deleteLater()
        self.grid_model.set_rows(board.by_grid)
        self.worker_model.set_rows(board.by_worker)
        for table in (self.grid_table, self.worker_table):
            table.resizeColumnsToContents()
        first, last = board.window.first, board.window.last
        self.period_label.setText(L.fill(
            self.tr("%1 to %2 · %3 · computed from the data on this computer"),
            first.isoformat(), last.isoformat(), self._scope_text()))

    def _scope_text(self) -> str:
        grid = self.grid_combo.currentData()
        community = self.community_combo.currentData()
        if grid is not None:
            return self.grid_combo.currentText()
        if community is not None:
            return self.community_combo.currentText()
        return self.tr("all communities")

    def chart(self, key: str) -> QChart:
        return self.chart_views[key].chart()

    # -- changes and export ----------------------------------------------------------

    def read_urgent(self) -> None:
        """Count the open urgent alerts of the user's place in the background."""
        desk = self._ctx.desk

        def work(progress: Progress) -> int:
            def count(session: Session) -> int:
                actor = desk.actor(session)
                return sum(n for _name, n in urgent_counts_for(
                    session, actor.role, actor.community_id, actor.street_id))
            return desk.read(count)

        Op(self, work, name="dashboard_urgent").success(self._show_urgent).failure(
            lambda error: log.info("urgent alerts not counted: %s", error.message)).run()

    def _show_urgent(self, count: int) -> None:
        button = self.urgent_button
        button.setText(L.fill(self.tr("Open urgent alerts: %1 ›"), str(count)) if count
                       else self.tr("No urgent alert is open ›"))
        button.setProperty("alarm", bool(count))
        button.style().unpolish(button)
        button.style().polish(button)
        button.show()

    def open_urgent_alerts(self) -> None:
        """The 鼓宝 section's alert rules, where the counts stand per community."""
        from ui.gubao.view import GubaoView
        from ui.tickets.notifier import open_section

        window = self.window()
        open_section(window, "gubao")
        page = getattr(window, "page", None)
        view = page("gubao").findChild(GubaoView) if callable(page) else None
        if view is not None:
            view.show_alerts()

    def on_changes(self, changes: ChangeSet) -> None:
        """New data (a sync, a local write): say the figures are older than the data;
        count the open urgent alerts again."""
        if any(changes.touches(e) for e in URGENT_SOURCES):
            self.read_urgent()
        if self.board is None or not any(changes.touches(e) for e in DATA_SOURCES):
            return
        self._stale = True
        self.stale_label.setText(L.fill(self.tr("New data arrived since. %1"),
                                        f"<a href='#refresh'>{self.tr('Refresh')}</a>"))
        self.stale_label.show()

    def export_excel(self) -> None:
        if self.board is None:
            return
        f = self.filters()
        path = export.ask_save_path(
            self, self.tr("Export the dashboard to Excel"),
            L.fill(self.tr("dashboard-%1-%2.xlsx"), str(f["period_from"]),
                   str(f["period_to"])), export.EXCEL_FILTER, ".xlsx")
        if path is not None:
            self.export_to(path)

    def export_to(self, path: Path) -> None:
        if self.board is None:
            return
        community = (self.community_combo.currentText()
                     if self.community_combo.currentData() is not None else None)
        grid = self.grid_combo.currentText() if self.grid_combo.currentData() is not None \
            else None
        self.busy_label.setText(self.tr("Exporting…"))
        self.busy_label.show()
        export.export_dashboard(
            self, path, self.board, community, grid,
            lambda written: self._say(L.fill(self.tr("Saved to %1."), str(written))),
            self._say)

    def _say(self, text: str) -> None:
        self.busy_label.setText(text)
        self.busy_label.setVisible(bool(text))
