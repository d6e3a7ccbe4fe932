"""The supervisor's lists: the approval queue and a month's records, each beside a
:class:`~ui.performance.record_panel.RecordPanel`.

* **Approval queue**: the submitted records of the supervisor's street, the longest
  waiting first (:func:`~gulou_desk.store.performance_queries.approval_queue`). A decision
  the server refused (``stale``: the worker changed the record meanwhile) is marked on the
  record's row and announced once in a notice; the record shows why.
* **Monthly records**: every record of a chosen month (all statuses), with the figures
  side by side, and "Export to Excel".

Keys: J / K (or Alt+Down / Alt+Up) next / previous record, Ctrl+F filter, Ctrl+E export.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from gulou_desk.domain import performance
from gulou_desk.performance_desk import (
    Queue,
    read_period_records,
    read_queue,
    undo_decision,
)
from gulou_desk.store.changes import REJECTIONS, ChangeSet
from gulou_desk.store.performance_queries import RecordView
from sync.events import SyncProgress
from ui.background import Lane, Op, OpError, Progress, Reread
from ui.i18n import QT_TRANSLATE_NOOP
from ui.palette import qss
from ui.performance import export
from ui.performance import labels as L
from ui.performance.models import (
    ID_ROLE,
    RecordsModel,
    SortFilterProxy,
    period_columns,
    queue_columns,
)
from ui.performance.record_panel import RecordPanel
from ui.shell import whole_figures
from ui.shell.context import DeskContext
from ui.shell.empty_state import EmptyState
from ui.shell.toast import Toast

log = logging.getLogger(__name__)

LIST_STYLE = qss("""
QTableView#queue_table, QTableView#period_table { border: none; gridline-color: @gridline; }
QHeaderView::section { background: @panel; border: none; border-bottom: 1px solid @border;
                       padding: 5px 6px; color: @text_secondary; }
QLabel#view_notice { color: @danger; background: @danger_bg; border: 1px solid @danger_border;
                     border-radius: 6px; padding: 6px 10px; }
QLabel#field_hint { color: @muted; }
""")


def _table(name: str) -> QTableView:
    table = QTableView()
    table.setTabKeyNavigation(False)  # Tab: on to the record and its decision
    table.setObjectName(name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setSortingEnabled(True)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(30)
    header = table.horizontalHeader()
    header.setObjectName(f"{name}_header")
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    whole_figures.install(table)  # the list scrolls sideways: never "27" for 273
    return table


class _ListAndRecord(QWidget):
    """A filterable, sortable table of records beside the record panel."""

    def __init__(self, ctx: DeskContext, name: str, model: RecordsModel,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.model = model
        self.proxy = SortFilterProxy(self)
        self.proxy.setSourceModel(model)
        self.table = _table(f"{name}_table")
        self.table.setModel(self.proxy)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.filter_edit = QLineEdit()
        self.filter_edit.setObjectName(f"{name}_filter")
        self.filter_edit.setPlaceholderText(L.tr(QT_TRANSLATE_NOOP("Performance",
                                                            "Filter by name (Ctrl+F)")))
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self.proxy.setFilterFixedString)
        self.empty = EmptyState("performance", "", "")
        for label in (self.empty.title_label, self.empty.text_label):
            label.setFixedWidth(180)  # the list may be narrow: wrap, never cut
        self.list_stack = QStackedWidget()
        self.list_stack.addWidget(self.table)
        self.list_stack.addWidget(self.empty)
        self.panel = RecordPanel(ctx)
        self.left = QWidget()
        # The list scrolls sideways in its own table; it gives the record its room at a
        # laptop's width (its empty state and headers would otherwise ask for 540 px).
        self.left.setMinimumWidth(240)
        self.list_stack.setMinimumWidth(200)
        self.left_layout = QVBoxLayout(self.left)
        self.left_layout.setContentsMargins(12, 12, 6, 6)
        self.left_layout.setSpacing(8)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName(f"{name}_splitter")
        self.splitter.addWidget(self.left)
        self.splitter.addWidget(self.panel)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([430, 770])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        self.setStyleSheet(LIST_STYLE)
        self._columns_fitted = False
        QShortcut(QKeySequence.StandardKey.Find, self, self.filter_edit.setFocus)
        for keys, step in (("J", 1), ("Alt+Down", 1), ("K", -1), ("Alt+Up", -1)):
            QShortcut(QKeySequence(keys), self, lambda s=step: self.step_by(s))
        self._empty_texts = ("", "")
        self._sync_progress: SyncProgress | None = None
        ctx.bridge.sync_started.connect(self._sync_moved)
        ctx.bridge.sync_progressed.connect(self._sync_moved)
        # Bound methods, not lambdas: Qt disconnects them when this list is destroyed (a
        # sign-out), while the bridge lives on for the next account.
        ctx.bridge.sync_finished.connect(self._sync_ended)
        ctx.bridge.sync_failed.connect(self._sync_ended)

    def _first_sync(self) -> bool:
        """The account's first download is under way (nothing was synced yet): an empty
        list means "not here yet", not "nothing to do"."""
        bridge = self._ctx.bridge
        return bridge.syncing and bridge.last_synced_at is None

    def _sync_moved(self, progress: object = None) -> None:
        if isinstance(progress, SyncProgress):
            self._sync_progress = progress
        self._show_empty_texts()

    def _sync_ended(self, *_args: object) -> None:
        self._sync_moved()

    def _show_empty_texts(self) -> None:
        title, text = self._empty_texts
        if self._first_sync():
            p = self._sync_progress
            if p is not None and p.estimate:
                title = L.fill(self.tr("Syncing… (%1 / %2)"), str(p.done), str(p.estimate))
            elif p is not None:
                title = L.fill(self.tr("Syncing… (%1)"), str(p.done))
            else:
                title = self.tr("Syncing…")
            text = self.tr("The records of your area are being downloaded to this computer "
                           "for the first time; they appear here when it is done.")
        self.empty.set_texts(title, text)

    def current_id(self) -> str | None:
        index = self.table.currentIndex()
        return index.data(ID_ROLE) if index.isValid() else None

    def select(self, record_id: str) -> bool:
        """Choose the record's row; ``False`` when it is not in the list."""
        row = self.model.row_of(record_id)
        if row < 0:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            self.filter_edit.clear()
            index = self.proxy.mapFromSource(self.model.index(row, 0))
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index)
        return True

    def step_by(self, step: int) -> None:
        rows = self.proxy.rowCount()
        if not rows:
            return
        current = self.table.currentIndex().row()
        target = min(max(current + step, 0), rows - 1) if current >= 0 else 0
        self.table.selectionModel().setCurrentIndex(
            self.proxy.index(target, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)

    def _row_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        record_id = current.data(ID_ROLE) if current.isValid() else None
        if record_id:
            self.panel.show_record(record_id)

    def restore_layout(self) -> None:
        """Put back the user's splitter and column widths (the columns fit their
        contents on the first read otherwise)."""
        header = self.table.horizontalHeader()
        before = header.saveState()
        self._ctx.settings.restore_layout(self)
        self._columns_fitted = header.saveState() != before

    def _show_rows(self, rows: list[RecordView], keep: str | None, empty_title: str,
                   empty_text: str, *, advance: bool = True) -> None:
        """Show ``rows``, keeping the record ``keep`` chosen if it is still listed;
        otherwise choose the first row when ``advance`` (or nothing was chosen), else
        leave the panel on the record that left the list."""
        self.model.set_rows(rows)
        self.proxy.invalidate()
        if rows and not self._columns_fitted:
            self._columns_fitted = True
            self.table.resizeColumnsToContents()
        if not rows:
            self._empty_texts = (empty_title, empty_text)
            self._show_empty_texts()
            self.list_stack.setCurrentWidget(self.empty)
        else:
            self.list_stack.setCurrentWidget(self.table)
        if keep is not None and self.select(keep):
            return
        if rows and (advance or keep is None):
            self.step_by(0)


class ApprovalQueueView(_ListAndRecord):
    """Submitted records of the supervisor's street, longest waiting first.

    Signals:
        loaded(): the queue was read (again).
        refused_decisions(int): after a read, how many decisions the server refused that
            the supervisor has not dismissed yet.
    """

    loaded = Signal()
    refused_decisions = Signal(int)

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        model = RecordsModel(queue_columns(self._is_refused))
        super().__init__(ctx, "queue", model, parent)
        self._refused_ids: set[str] = set()
        self._pending_select: str | None = None
        """A record to choose once the queue is read again (an undone decision's)."""
        self.setObjectName("approval_queue")
        model.setParent(self)
        self.queue: Queue | None = None
        self._read = Reread(self, "read_approval_queue", self._work, self._loaded,
                            self._failed)
        self._announced: set[int] = set()
        self._advance = False
        self.heading = QLabel(self.tr("Approval queue"))
        self.heading.setObjectName("page_title")
        self.notice = QLabel()
        self.notice.setObjectName("view_notice")
        self.notice.setWordWrap(True)
        self.notice.setTextFormat(Qt.TextFormat.RichText)
        self.notice.linkActivated.connect(lambda _link: self.show_refused())
        self.notice.hide()
        self.left_layout.addWidget(self.heading)
        self.left_layout.addWidget(self.notice)
        self.left_layout.addWidget(self.filter_edit)
        self.left_layout.addWidget(self.list_stack, 1)
        self.toast: Toast | None = None
        self.panel.step_done.connect(self._step_done)
        self.restore_layout()
        self.reload()

    @property
    def loading(self) -> bool:
        return self._read.running

    def _is_refused(self, record_id: str) -> bool:
        return record_id in self._refused_ids

    def reload(self) -> None:
        self._read.run()

    def _work(self) -> Callable[[Progress], Queue]:
        desk = self._ctx.desk
        return lambda progress: read_queue(desk)

    def _loaded(self, queue: Queue) -> None:
        self.queue = queue
        self._refused_ids = {r.record_id for r in queue.refused}
        keep = self._pending_select or self.current_id()
        self._pending_select = None
        self.heading.setText(L.fill(self.tr("Approval queue (%1)"), str(len(queue.records))))
        advance, self._advance = self._advance, False
        self._show_rows(list(queue.records), keep, self.tr("Nothing to decide"), self.tr(
            "Records your social workers submit appear here, the longest waiting first."),
            advance=advance)
        self._show_refused(queue)
        self.loaded.emit()
        self.refused_decisions.emit(len(queue.refused))

    def _failed(self, error: OpError) -> None:
        self.notice.setText(error.message)
        self.notice.show()

    def _show_refused(self, queue: Queue) -> None:
        refused = queue.refused
        if not refused:
            self.notice.hide()
            return
        text = self.tr("The server did not accept %n of your decisions: the record had "
                       "changed in the meantime.", "", len(refused))
        self.notice.setText(f"{text} <a href='#show'>{self.tr('Show')}</a>")
        self.notice.show()
        fresh = [r for r in refused if r.id not in self._announced]
        if fresh:
            self._announced |= {r.id for r in fresh}
            self._toast().show_message(
                self.tr("A decision of yours was not accepted: the record changed before it "
                        "arrived. Please decide again on what it says now."),
                self.tr("Show"), self.show_refused)

    def _toast(self) -> Toast:
        if self.toast is None:
            self.toast = Toast(self.window())
        return self.toast

    def show_refused(self) -> None:
        """Show the record of the newest refused decision."""
        if self.queue is None or not self.queue.refused:
            return
        record_id = self.queue.refused[0].record_id
        if not self.select(record_id):
            self.table.clearSelection()
            self.panel.show_record(record_id)

    def _step_done(self, action: str) -> None:
        detail = self.panel.detail
        if action in ("approve", "return") and detail is not None:
            self._advance = True  # on to the next record, if any
            record = detail.record
            text = (self.tr("Approved: %1, %2. It is sent to the server at the next sync.")
                    if action == "approve" else
                    self.tr("Returned: %1, %2. It is sent to the server at the next sync."))
            record_id = record.id
            self._toast().show_message(
                L.fill(text, record.worker_name or record.worker_id,
                       L.month_label(record.period)),
                self.tr("Undo"), lambda: self.undo(record_id))

    def undo(self, record_id: str) -> None:
        """Take back the decision just made (the toast's "Undo", until it is sent): the
        record is back in the queue, chosen, as it was."""
        desk = self._ctx.desk

        def undone(changes: ChangeSet) -> None:
            self._ctx.wrote(changes)
            self._pending_select = record_id

        def failed(error: OpError) -> None:
            self._toast().show_message(self.tr(
                "Your decision has been sent to the server already: to take it back, "
                "reopen the record with a reason."))

        Op(self, lambda progress: undo_decision(desk, record_id), lane=Lane.WRITE,
           name="performance_undo").success(undone).failure(failed).run()

    def on_changes(self, changes: ChangeSet) -> None:
        if (changes.touches("performance_record") or changes.touches(REJECTIONS)
                or changes.touches("staff")):
            self.reload()
        self.panel.refresh_if(changes)


class MonthlyRecordsView(_ListAndRecord):
    """Every record of a month (supervisor: their street), with export to Excel.

    Signals:
        loaded(): the month's records were read (again).
    """

    loaded = Signal()

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "period", RecordsModel(period_columns()), parent)
        self.model.setParent(self)
        self.setObjectName("monthly_records")
        self.records: list[RecordView] = []
        self._read = Reread(self, "read_period_records", self._work, self._loaded,
                            self._failed)
        self.period_combo = QComboBox()
        self.period_combo.setObjectName("records_period")
        self.period_combo.setToolTip(self.tr("The month to show"))
        today = ctx.now().date()
        for period in self._periods(today):
            self.period_combo.addItem(L.month_label(period), period)
        # The last complete month: the one to decide on (the current one is still being
        # counted; it stays a choice away).
        self.period_combo.setCurrentIndex(1)
        self.period_combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.export_button = QPushButton(self.tr("Export to Excel…"))
        self.export_button.setObjectName("export_records")
        self.export_button.setToolTip(self.tr("The month's records as a workbook (Ctrl+E)"))
        self.export_button.clicked.connect(self.export_excel)
        self.status_label = QLabel()
        self.status_label.setObjectName("field_hint")
        self.status_label.setWordWrap(True)
        top = QHBoxLayout()
        heading = QLabel(self.tr("Monthly records"))
        heading.setObjectName("page_title")
        # The heading on its own line: the list stays narrow at a laptop's width.
        top.addWidget(self.period_combo, 1)
        top.addWidget(self.export_button)
        self.left_layout.addWidget(heading)
        self.left_layout.addLayout(top)
        self.left_layout.addWidget(self.filter_edit)
        self.left_layout.addWidget(self.list_stack, 1)
        self.left_layout.addWidget(self.status_label)
        self.splitter.setSizes([560, 680])
        QShortcut(QKeySequence("Ctrl+E"), self, self.export_excel)
        self.restore_layout()
        self.reload()

    def _periods(self, today: dt.date) -> list[str]:
        # The months to offer are few and known without the store: the last twelve.
        current = performance.period_of(today)
        y, m = performance.parse_period(current)
        out = []
        for _ in range(12):
            out.append(f"{y:04d}-{m:02d}")
            y, m = (y - 1, 12) if m == 1 else (y, m - 1)
        return out

    @property
    def loading(self) -> bool:
        return self._read.running

    def period(self) -> str:
        return str(self.period_combo.currentData())

    def set_period(self, period: str) -> None:
        index = self.period_combo.findData(period)
        if index < 0:
            self.period_combo.addItem(L.month_label(period), period)
            index = self.period_combo.count() - 1
        self.period_combo.setCurrentIndex(index)

    def reload(self) -> None:
        self._read.run()

    def _work(self) -> Callable[[Progress], tuple[RecordView, ...]]:
        desk, period = self._ctx.desk, self.period()
        return lambda progress: read_period_records(desk, period)

    def _loaded(self, records: tuple[RecordView, ...]) -> None:
        self.records = list(records)
        self._show_rows(self.records, self.current_id(), self.tr("No records for this month"),
                        self.tr("The server computes each social worker's record during the "
                                "month; they appear here after the next sync."))
        self.export_button.setEnabled(bool(records))
        self.loaded.emit()

    def _failed(self, error: OpError) -> None:
        self.status_label.setText(error.message)

    def on_changes(self, changes: ChangeSet) -> None:
        if changes.touches("performance_record") or changes.touches("staff"):
            self.reload()
        self.panel.refresh_if(changes)

    def export_excel(self) -> None:
        if not self.records:
            return
        path = export.ask_save_path(
            self, self.tr("Export the month's records to Excel"),
            L.fill(self.tr("performance-%1.xlsx"), self.period()), export.EXCEL_FILTER,
            ".xlsx")
        if path is not None:
            self.export_to(path)

    def export_to(self, path: Path, done: Callable[[Path], object] | None = None) -> None:
        self.status_label.setText(self.tr("Exporting…"))

        def saved(written: Path) -> None:
            self.status_label.setText(L.fill(self.tr("Saved to %1."), str(written)))
            if done is not None:
                done(written)

        export.export_records(self, path, self.records, saved, self.status_label.setText)

