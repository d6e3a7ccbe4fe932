"""A social worker's "My performance": their records month by month and this month's live
preview on the left, the chosen one on the right (:class:`RecordPanel`).

The list is small (one record a month); it is read in the background and read again
when records, or the data behind the preview (visits, tickets, households), change.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import cast

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from gulou_desk.performance_desk import MyPerformance, read_my_performance
from gulou_desk.store.changes import OUTBOX, ChangeSet
from gulou_desk.store.performance_queries import RecordView
from ui.background import OpError, Progress, Reread
from ui.palette import qss
from ui.performance import export
from ui.performance import labels as L
from ui.performance.record_panel import RecordPanel
from ui.shell.context import DeskContext

log = logging.getLogger(__name__)

PREVIEW_KEY = "preview"
PREVIEW_SOURCES = ("visit", "ticket", "ticket_event", "household", "grid")
"""Entities whose changes move this month's live preview."""

LIST_STYLE = qss("""
QListWidget#months_list { border: none; background: @panel; outline: none; }
QListWidget#months_list::item { border-bottom: 1px solid @gridline; }
QListWidget#months_list::item:selected { background: @selected; }
QWidget#months_panel { background: @panel; border-right: 1px solid @border; }
QLabel#month_title { font-weight: 600; color: @ink; }
QLabel#month_extra { color: @muted; }
""")


class MonthRow(QWidget):
    """One line of the months list: the month, its status chip, its score."""

    def __init__(self, title: str, status: str, chip: str, extra: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel(title)
        self.title.setObjectName("month_title")
        self.chip = QLabel(chip)
        self.chip.setObjectName("month_chip")
        self.chip.setStyleSheet(L.chip_style(status))
        self.extra = QLabel(extra)
        self.extra.setObjectName("month_extra")
        top = QHBoxLayout()
        top.setSpacing(6)
        top.addWidget(self.title, 1)
        top.addWidget(self.chip)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addWidget(self.extra)


class MyPerformanceView(QWidget):
    """The worker's records and live preview (see the module docstring).

    Signals:
        loaded(): the list was read (again).
    """

    loaded = Signal()

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("my_performance")
        self._ctx = ctx
        self.data: MyPerformance | None = None
        self._read = Reread(self, "read_my_performance", self._work, self._loaded,
                            self._failed)
        self._wanted: str | None = None

        panel = QWidget()
        panel.setObjectName("months_panel")
        panel.setStyleSheet(LIST_STYLE)
        heading = QLabel(self.tr("My performance"))
        heading.setObjectName("page_title")
        self.months = QListWidget()
        self.months.setObjectName("months_list")
        self.months.currentItemChanged.connect(self._chosen)
        self.export_button = QPushButton(self.tr("Export to Excel…"))
        self.export_button.setObjectName("export_my_records")
        self.export_button.setToolTip(self.tr("Your monthly records as a workbook (Ctrl+E)"))
        self.export_button.clicked.connect(self.export_excel)
        self.status_label = QLabel()
        self.status_label.setObjectName("field_hint")
        self.status_label.setWordWrap(True)
        panel_layout = QVBoxLayout(panel)
        panel_layout.setContentsMargins(10, 12, 10, 10)
        panel_layout.setSpacing(8)
        panel_layout.addWidget(heading)
        panel_layout.addWidget(self.months, 1)
        panel_layout.addWidget(self.status_label)
        panel_layout.addWidget(self.export_button)
        self.panel = RecordPanel(ctx)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("my_performance_splitter")
        self.splitter.addWidget(panel)
        self.splitter.addWidget(self.panel)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([260, 900])
        panel.setMinimumWidth(200)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        QShortcut(QKeySequence("Ctrl+E"), self, self.export_excel)
        ctx.settings.restore_layout(self)
        self.reload()

    @property
    def loading(self) -> bool:
        return self._read.running

    def reload(self) -> None:
        self._read.run()

    def _work(self) -> Callable[[Progress], MyPerformance]:
        desk, today = self._ctx.desk, self._ctx.now()
        return lambda progress: read_my_performance(desk, today.date())

    def _loaded(self, data: MyPerformance) -> None:
        self.data = data
        current = self._wanted or self.current_key()
        self.months.blockSignals(True)
        self.months.clear()
        if data.preview is not None:
            preview = data.preview
            self._add(PREVIEW_KEY, MonthRow(
                L.month_label(preview.period), "preview", self.tr("Live preview"),
                L.fill(self.tr("Suggested score %1 · up to %2"),
                       L.format_score(preview.suggested_score),
                       preview.through.isoformat())))
        for record in data.records:
            self._add(record.id, MonthRow(
                L.month_label(record.period), record.status, L.status_label(record.status),
                self._extra(record, record.id in data.pending)))
        self.months.blockSignals(False)
        self._fit_months()
        keys = self.entry_keys()
        if current not in keys:
            current = self._default_key(data)
        self._wanted = None
        if current is not None:
            self.select(current)
        elif not keys:
            self.panel.clear(self.tr("No performance records yet"), self.tr(
                "Your monthly records appear here once the server has computed them."))
        self.status_label.setText("" if data.records else self.tr(
            "The server computes each month's record from your synced visits and tickets."))
        self.export_button.setEnabled(bool(data.records))
        self.loaded.emit()

    def _failed(self, error: OpError) -> None:
        self.status_label.setText(error.message)

    def _extra(self, record: RecordView, pending: bool) -> str:
        if pending:
            return self.tr("Waiting to be sent")
        if record.score is not None:
            return L.fill(self.tr("Score %1"), L.format_score(record.score))
        return L.fill(self.tr("Suggested score %1"), L.format_score(record.suggested_score))

    def _default_key(self, data: MyPerformance) -> str | None:
        """A month returned by the supervisor first (it waits for the worker: the
        sidebar counts it), else this month's record, else the preview."""
        for record in data.records:
            if record.status == "returned":
                return record.id
        current = data.preview.period if data.preview is not None else None
        for record in data.records:
            if record.period == current:
                return record.id
        if data.preview is not None:
            return PREVIEW_KEY
        return data.records[0].id if data.records else None

    def _fit_months(self) -> None:
        """The months' pane as wide as its widest row: in English at 1600×1000 the live
        preview's line ("Suggested score 74.3 · up to 2026-12-05") was wider than the
        pane, and every row's status chip sat past its right edge ("Approvec", "Draft")
        behind a sideways scroll bar. Wider by what is missing, at most half the view."""
        rows = [self.months.itemWidget(self.months.item(i))
                for i in range(self.months.count())]
        widest = max((row.sizeHint().width() for row in rows if row is not None), default=0)
        missing = widest - self.months.viewport().width()
        sizes = self.splitter.sizes()
        if missing <= 0 or len(sizes) != 2 or not all(sizes):
            return
        grow = min(missing, max(0, sum(sizes) // 2 - sizes[0]))
        self.splitter.setSizes([sizes[0] + grow, sizes[1] - grow])

    def _add(self, key: str, row: MonthRow) -> None:
        item = QListWidgetItem()
        item.setData(Qt.ItemDataRole.UserRole, key)
        item.setSizeHint(row.sizeHint())
        self.months.addItem(item)
        self.months.setItemWidget(item, row)

    def entry_keys(self) -> list[str]:
        return [self.months.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(self.months.count())]

    def current_key(self) -> str | None:
        item = self.months.currentItem()
        return cast(str, item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def select(self, key: str) -> None:
        """Show a record (its id) or the live preview (``"preview"``)."""
        for i in range(self.months.count()):
            item = self.months.item(i)
            if item.data(Qt.ItemDataRole.UserRole) == key:
                if self.months.currentItem() is item:
                    self._chosen(item, None)
                else:
                    self.months.setCurrentItem(item)
                return
        self._wanted = key

    def _chosen(self, item: QListWidgetItem | None, previous: object) -> None:
        if item is None or self.data is None:
            return
        key = item.data(Qt.ItemDataRole.UserRole)
        if key == PREVIEW_KEY and self.data.preview is not None:
            self.panel.show_preview(self.data.preview)
        else:
            self.panel.show_record(key)

    def on_changes(self, changes: ChangeSet) -> None:
        """A local write or a sync changed something: read again what it concerns."""
        if changes.touches("performance_record") or changes.touches("staff") or any(
                changes.touches(e) for e in PREVIEW_SOURCES) or changes.touches(OUTBOX):
            self.reload()
        self.panel.refresh_if(changes)

    def export_excel(self) -> None:
        if self.data is None or not self.data.records:
            return
        path = export.ask_save_path(self, self.tr("Export your records to Excel"),
                                    self.tr("performance.xlsx"), export.EXCEL_FILTER, ".xlsx")
        if path is not None:
            self.export_to(path)

    def export_to(self, path: Path) -> None:
        if self.data is None:
            return
        self.status_label.setText(self.tr("Exporting…"))
        export.export_records(
            self, path, self.data.records,
            lambda written: self.status_label.setText(
                L.fill(self.tr("Saved to %1."), str(written))),
            self.status_label.setText)
