"""The list behind one figure (drill-down): the visits, due visits or tickets it counted.

A non-modal dialog beside the record, so the user can keep it open while reading; the
rows are read in the background (:func:`gulou_desk.performance_desk.read_drill`), sortable and
filterable.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from gulou_desk.desk import Desk
from gulou_desk.performance_desk import Preview, read_drill
from gulou_desk.store import performance_queries as pq
from gulou_desk.store.ticket_queries import ticket_detail
from ui.background import Op, OpError, OpHandle, Progress
from ui.performance import labels as L
from ui.performance.models import DrillModel, SortFilterProxy
from ui.shell.empty_state import EmptyState
from ui.tickets.detail import TicketDetailView, TicketPane


class DrillDownDialog(QDialog):
    """Shows the rows behind a figure; :meth:`show_figure` loads another one."""

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("drill_down_dialog")
        self.setModal(False)
        self.resize(820, 480)
        self._desk = desk
        self._loading: OpHandle | None = None
        self._generation = 0
        self.figure: str | None = None
        self.opened: QDialog | None = None
        """The visit or ticket last opened from the list (read-only)."""
        self.title_label = QLabel()
        self.title_label.setObjectName("dialog_title")
        self.hint_label = QLabel()
        self.hint_label.setObjectName("dialog_intro")
        self.hint_label.setWordWrap(True)
        self.filter_edit = QLineEdit()
        self.filter_edit.setObjectName("drill_filter")
        self.filter_edit.setPlaceholderText(self.tr("Filter the list (Ctrl+F)"))
        self.filter_edit.setClearButtonEnabled(True)
        self.model = DrillModel(self)
        self.proxy = SortFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.filter_edit.textChanged.connect(self.proxy.setFilterFixedString)
        self.table = QTableView()
        self.table.setTabKeyNavigation(False)  # Tab: on to the next control
        self.table.setObjectName("drill_table")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.activated.connect(self.open_row)
        self.table.setToolTip(self.tr("Double-click (or Enter) to open the visit or the "
                                      "ticket, to read"))
        header = self.table.horizontalHeader()
        header.setObjectName("drill_header")
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.empty = EmptyState("performance", self.tr("Nothing counted"),
                                self.tr("No visit or ticket is behind this figure."))
        self.loading_label = QLabel(self.tr("Reading the list…"))
        self.loading_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.loading_label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        top = QHBoxLayout()
        top.addWidget(self.title_label, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.hint_label)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.stack, 1)
        layout.addWidget(buttons)
        QShortcut(QKeySequence.StandardKey.Find, self, self.filter_edit.setFocus)

    @property
    def loading(self) -> bool:
        return self._loading is not None

    def show_figure(self, record: pq.RecordView | Preview, figure: str,
                    today: dt.date) -> None:
        """Show the dialog and read the rows behind ``figure`` of ``record``."""
        self.figure = figure
        who = record.worker_name if isinstance(record, pq.RecordView) else None
        month = L.month_label(record.period)
        self.setWindowTitle(L.figure_label(figure))
        self.title_label.setText(L.fill(self.tr("%1 · %2"), L.figure_label(figure),
                                        f"{who} · {month}" if who else month))
        self.hint_label.setText(L.figure_hint(figure))
        self.filter_edit.clear()
        self.stack.setCurrentWidget(self.loading_label)
        if self._loading is not None:
            self._loading.cancel()
        self._generation += 1
        generation = self._generation
        desk = self._desk

        def work(progress: Progress) -> list[pq.DrillRow]:
            return read_drill(desk, record, figure, today)

        self._loading = Op(self, work, name="drill_down").success(
            lambda rows: self._loaded(generation, figure, rows)).failure(
            lambda error: self._failed(generation, error)).run()
        self.show()
        self.raise_()
        self.activateWindow()

    def _loaded(self, generation: int, figure: str, rows: list[pq.DrillRow]) -> None:
        if generation != self._generation:
            return
        self._loading = None
        self.model.show(figure, rows)
        self.proxy.sort(-1)
        self.title_label.setText(L.fill(self.tr("%1 (%n row(s))", "", len(rows)),
                                        self.title_label.text()))
        self.stack.setCurrentWidget(self.table if rows else self.empty)
        self.table.resizeColumnsToContents()
        header = self.table.horizontalHeader()
        for column in range(self.model.columnCount()):
            header.resizeSection(column, min(max(header.sectionSize(column), 80), 280))

    def open_row(self, index: QModelIndex) -> None:
        """Open the visit or the ticket behind a row, read-only (a due visit opens the
        visit that met it, when the row has one)."""
        row = self.model.row_at(self.proxy.mapToSource(index).row())
        if isinstance(row, pq.VisitRow):
            # Imported here: ui.visits.record uses ui.performance.export, so importing it
            # with this module makes a cycle when ui.visits is imported first.
            from ui.visits.record import open_visit_record

            self.opened = open_visit_record(self._desk, row.visit_id, self)
        elif isinstance(row, pq.TicketRow):
            dialog = TicketReadDialog(self._desk, row.ticket_id, self)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.show()
            dialog.raise_()
            dialog.activateWindow()
            self.opened = dialog

    def _failed(self, generation: int, error: OpError) -> None:
        if generation != self._generation:
            return
        self._loading = None
        self.empty.set_texts(self.tr("The list could not be read"), error.message)
        self.stack.setCurrentWidget(self.empty)


class TicketReadDialog(QDialog):
    """A ticket behind a figure, to read: the tickets section's detail pane without its
    steps and comment box (nothing is done from here)."""

    def __init__(self, desk: Desk, ticket_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ticket_read_dialog")
        self.setWindowTitle(self.tr("Ticket"))
        self.setModal(False)
        self.resize(620, 560)
        self.detail = TicketDetailView(desk.now, self)
        for widget in (self.detail.comment_box, self.detail.comment_button):
            widget.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.detail, 1)
        layout.addWidget(buttons)

        def read(progress: Progress) -> TicketPane | None:
            found = desk.read(ticket_detail, ticket_id)
            return None if found is None else TicketPane(found, {})

        Op(self, read, name="drill_ticket").success(self._loaded).run()

    def _loaded(self, pane: TicketPane | None) -> None:
        if pane is not None:
            self.detail.show_pane(pane)
            for widget in (self.detail.comment_box, self.detail.comment_button):
                widget.hide()
