"""The Households section: search, the lazy table, the detail pane, and editing.

* Typing in the search box filters after 100 ms of quiet; the search runs in the
  background, so typing never waits for the store.
* The table is :class:`~ui.households.model.HouseholdTableModel` (windowed, sortable);
  its column widths and the splitter are remembered (``ui.settings``). The address
  takes the room the other columns leave, so all of them stay on screen; a list too
  narrow for the phone or the care tags too leaves them to the detail pane.
* The current row's household shows in the detail pane; Enter moves there, Ctrl+E edits
  the household, Ctrl+F goes back to the search box.
* It reads and writes through the account's desk (``ctx.desk``). After an edit it tells
  the context (``ctx.wrote``: the backend syncs soon, every view hears of it), and, like
  after a sync, refreshes only what the change set touches (households, residents, and
  visits and tickets for the filters and the history).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QEvent, QItemSelection, QLocale, QObject, QSignalBlocker, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from gulou_desk.store.changes import ChangeSet
from ui import palette
from ui.background import Lane, Op, OpError, Progress, ask, show_error
from ui.households.detail import HouseholdDetail
from ui.households.dialogs import RecordDialog, household_dialog, resident_dialog
from ui.households.filters import FilterBar
from ui.households.model import COLUMNS, NATURAL, HouseholdTableModel
from ui.icons import icon
from ui.record_labels import choice_label
from ui.shell.context import DeskContext
from ui.shell.empty_state import EmptyState
from ui.visits.dialog import VisitDialog

log = logging.getLogger(__name__)

SEARCH_DEBOUNCE_MS = 100
"""The pause in typing that starts a search. A search is cheap now (its first page and a
count up to 1,000, 10–60 ms on a street's store; the next keystroke drops a search not
started yet and the answer of one under way), so the pause need not hide its cost: it
only spares the reads between the keys of a word typed in one go."""
ARRIVING_REFRESH_MS = 1500
"""While a first sync brings the households in, the list reads again at most this often
as pages arrive, so the households show as soon as they are in the store; and at most
every four times as long as a read takes (a district's 735,000 households are sorted by
name without an index then: about a second), so the list does not slow the sync down."""
DETAIL_DEBOUNCE_MS = 60
"""Moving through the list with the arrow keys reads only where the user stops."""

_COLUMN_WIDTHS = {"head_name": 72, "address": 160, "phone": 100, "tags": 96,
                  "last_visit_at": 84, "status": 52}
"""Each column's first width (or its title's, if wider); 地址 takes the room left."""
_ADDRESS = next(i for i, c in enumerate(COLUMNS) if c.key == "address")
_WHEN_ROOM = tuple(i for key in ("tags", "phone")
                  for i, c in enumerate(COLUMNS) if c.key == key)
"""Columns the detail pane shows too, in the order they get room: a list too narrow for
them and a readable address (1024×700, in English, or with the detail pane dragged
wider) leaves them out, the phone first, rather than push 上次走访 and 状态 off its
right edge."""
_ADDRESS_ROOM = 160
"""The least width the address keeps (about ten characters)."""
_TAGS_WIDEST = 240
"""The care tags take room to spare up to this width (four or five tags)."""
_FIT_CONTENTS = tuple(i for i, c in enumerate(COLUMNS) if c.key in ("last_visit_at", "status"))


class HouseholdsView(QWidget):
    """The households of the local copy (see the module doc)."""

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("households_view")
        self._ctx = ctx
        self._desk = desk = ctx.desk
        settings = ctx.settings
        self._dialog: RecordDialog | None = None

        title = QLabel(self.tr("Households"))
        title.setObjectName("page_title")
        self.count_label = QLabel()
        self.count_label.setObjectName("households_count")
        self.count_label.setStyleSheet(f"color: {palette.MUTED};")
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("households_search")
        self._placeholder = self.tr("Name, pinyin initials (zs), address or phone")
        self.search_edit.setPlaceholderText(self._placeholder)
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(320)
        self.search_edit.setToolTip(self.tr("Search households (Ctrl+F)"))
        self.search_edit.addAction(icon("households", selected=None),
                                   QLineEdit.ActionPosition.LeadingPosition)
        self.search_edit.installEventFilter(self)
        top = QHBoxLayout()
        top.setContentsMargins(20, 16, 20, 8)
        top.setSpacing(12)
        top.addWidget(title)
        top.addWidget(self.count_label, 0, Qt.AlignmentFlag.AlignBottom)
        top.addStretch(1)
        top.addWidget(self.search_edit)

        self.model = HouseholdTableModel(desk, self)
        self.table = QTableView()
        self.table.setTabKeyNavigation(False)  # Tab: on to the next control
        self.table.setObjectName("households_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setCornerButtonEnabled(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(30)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        # Not "households_columns": a layout kept under that name stretched 状态 past the
        # list's right edge at 1024×700.
        header.setObjectName("households_header")
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        # Widths from the rows on screen only. Qt's default measures 1,000 rows for every
        # "fit to contents" column and sizeHintForColumn: after each keystroke's reset that
        # asked the model for rows it had not read (five more pages read in the background)
        # and took 100–480 ms of the GUI thread on a street's store.
        header.setResizeContentsPrecision(0)
        for column, spec in enumerate(COLUMNS):
            # Wide enough for the title in either language ("Head of household" / 户主).
            header.resizeSection(column, max(_COLUMN_WIDTHS[spec.key],
                                             header.sectionSizeHint(column)))
        # The address takes the room the others leave: every column stays on screen. A
        # date and a status are short and never cut ("Moved out" is longer than 已迁出).
        header.setSectionResizeMode(_ADDRESS, QHeaderView.ResizeMode.Stretch)
        for column in _FIT_CONTENTS:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.viewport().installEventFilter(self)
        self.table.setSortingEnabled(True)
        header.setSortIndicator(NATURAL, Qt.SortOrder.AscendingOrder)
        header.sortIndicatorChanged.connect(self._sort_requested)
        self.table.activated.connect(lambda _index: self.open_detail())
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)

        self.no_results = EmptyState("households", "", "")
        self.no_results.setObjectName("households_empty")
        self.list_stack = QStackedWidget()
        self.list_stack.addWidget(self.table)
        self.list_stack.addWidget(self.no_results)

        self.detail = HouseholdDetail(desk, self)
        self.detail.online = ctx.online
        self.detail.history.online = ctx.online
        # As wide as its content needs (the pane scrolls only up and down): no minimum here.
        self.detail.edit_household_requested.connect(self.edit_household)
        self.detail.add_resident_requested.connect(self.add_resident)
        self.detail.edit_resident_requested.connect(self.edit_resident)
        self.detail.resident_status_requested.connect(self.confirm_resident_status)
        self.detail.history.visit_requested.connect(self.new_visit)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("households_splitter")
        self.splitter.addWidget(self.list_stack)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([740, 400])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(top)
        self.filter_bar = FilterBar(desk, settings, self)
        self.filter_bar.filters_changed.connect(self.model.set_filters)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.splitter, 1)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DEBOUNCE_MS)
        self._search_timer.timeout.connect(self._run_search)
        self.search_edit.textChanged.connect(lambda _text: self._search_timer.start())
        self._detail_timer = QTimer(self)
        self._detail_timer.setSingleShot(True)
        self._detail_timer.setInterval(DETAIL_DEBOUNCE_MS)
        self._detail_timer.timeout.connect(self._show_current)

        self._shortcut("Ctrl+F", self.focus_search)
        self._shortcut("Ctrl+E", self.edit_current)

        self.model.reloaded.connect(self._reloaded)
        self.model.counted.connect(self._show_count)
        self.model.load_failed.connect(self._load_failed)
        self.model.modelReset.connect(self._model_reset)
        ctx.changes.changes_applied.connect(self.apply_changes)
        self._arriving_timer = QTimer(self)
        self._arriving_timer.setSingleShot(True)
        self._arriving_timer.setInterval(ARRIVING_REFRESH_MS)
        self._arriving_timer.timeout.connect(self._refresh_while_indexing)
        ctx.bridge.sync_progressed.connect(self._sync_progressed)
        ctx.bridge.sync_failed.connect(lambda _reason, _message: self._refresh_while_indexing())
        settings.restore_layout(self)
        if self.model.rowCount() == 0 and not self.model.loading:
            self.model.load()

    def _shortcut(self, keys: str, slot: Callable[[], None]) -> QShortcut:
        shortcut = QShortcut(QKeySequence(keys), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(slot)
        return shortcut

    def _sort_requested(self, column: int, order: Qt.SortOrder) -> None:
        """A column that cannot be sorted keeps the indicator where it was."""
        if not self.model.can_sort(column):
            header = self.table.horizontalHeader()
            blocker = QSignalBlocker(header)
            header.setSortIndicator(*self.model.sort_state)
            blocker.unblock()

    # -- search -------------------------------------------------------------------------

    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def _run_search(self) -> None:
        self.model.set_search(self.search_edit.text())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Down or Enter in the search box goes to the list (first row selected); the
        list's width decides which columns fit."""
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_columns()
        if watched is self.search_edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if self._search_timer.isActive():
                    self._search_timer.stop()
                    self._run_search()
                self.table.setFocus(Qt.FocusReason.OtherFocusReason)
                if self.model.rowCount() and not self.table.selectionModel().hasSelection():
                    self.table.selectRow(0)
                return True
        return super().eventFilter(watched, event)

    def _sync_progressed(self, progress: object) -> None:
        """A first sync brings households in: read the list again soon (throttled)."""
        if not self.model.indexed and not self._arriving_timer.isActive():
            self._arriving_timer.start(max(ARRIVING_REFRESH_MS,
                                           int(4000 * self.model.read_seconds)))

    def _refresh_while_indexing(self) -> None:
        if not self.model.indexed:
            self.model.refresh()

    def _show_count(self, total: int) -> None:
        """The count beside the title: "1,000+" while a broad search is still being
        counted (its first page shows meanwhile), then the whole count."""
        search = self.model.search_text
        if not self.model.exact:
            at_least = QLocale().toString(self.model.count_at_once)
            if search:
                text = self.tr("%1+ found")
            elif self.model.indexed:
                text = self.tr("%1+ households")
            else:
                text = self.tr("%1+ households so far, by name")
            self.count_label.setText(text.replace("%1", at_least))
        elif search:
            self.count_label.setText(self.tr("%n found", "", total))
        elif self.model.indexed:
            self.count_label.setText(self.tr("%n household(s)", "", total))
        else:
            self.count_label.setText(self.tr("%n household(s) so far, by name", "", total))

    def _reloaded(self, total: int) -> None:
        search = self.model.search_text
        indexed = self.model.indexed
        self._show_count(total)
        self.search_edit.setPlaceholderText(
            self._placeholder if indexed else self.tr("Search is ready when the first sync ends"))
        if total:
            self.list_stack.setCurrentWidget(self.table)
            self._fit_head_column()
            return
        filters = self.filter_bar.filters()
        if not indexed and (search or (filters is not None and filters.visit is not None)):
            self.no_results.set_texts(
                self.tr("Search is being prepared"),
                self.tr("Search and the visit filters work once the first sync ends. "
                        "Meanwhile an empty search box lists the households here so far."),
            )
        elif search:
            self.no_results.set_texts(
                self.tr("No household matches “%1”").replace("%1", search),
                self.tr("Try part of the name, the pinyin initials (zs for 张三), part of the "
                        "address (3栋) or a phone number."),
            )
        else:
            self.no_results.set_texts(
                self.tr("No households yet"),
                self.tr("The households of your area arrive with the first sync. You can "
                        "keep this window open meanwhile."),
            )
        self.list_stack.setCurrentWidget(self.no_results)

    def _fit_columns(self) -> None:
        """Show the columns of :data:`_WHEN_ROOM` that fit beside the others and an
        address of :data:`_ADDRESS_ROOM`; room to spare widens the care tags first."""
        header = self.table.horizontalHeader()
        room = self.table.viewport().width() - _ADDRESS_ROOM - sum(
            header.sectionSize(c) for c in range(len(COLUMNS))
            if c != _ADDRESS and c not in _WHEN_ROOM)
        for column in _WHEN_ROOM:
            wanted = max(_COLUMN_WIDTHS[COLUMNS[column].key], header.sectionSizeHint(column))
            fits = room >= wanted
            if header.isSectionHidden(column) == fits:
                header.setSectionHidden(column, not fits)
                if fits:
                    header.resizeSection(column, wanted)
            if fits:
                room -= header.sectionSize(column)
        tags = _WHEN_ROOM[0]
        if room > 0 and not header.isSectionHidden(tags):
            # Room to spare (a wide window): the care tags of the rows shown in full.
            wider = min(self.table.sizeHintForColumn(tags), _TAGS_WIDEST)
            if wider > header.sectionSize(tags):
                header.resizeSection(tags, min(wider, header.sectionSize(tags) + room))

    def _fit_head_column(self) -> None:
        """Widen 户主 when the rows shown need it ("徐龙  居民：张雪", a household found
        through a resident), up to a third of the list; never narrow what the person
        set."""
        header = self.table.horizontalHeader()
        wanted = min(self.table.sizeHintForColumn(0), self.table.viewport().width() // 3)
        if wanted > header.sectionSize(0):
            header.resizeSection(0, wanted)
        self._fit_columns()

    def _load_failed(self, message: str) -> None:
        self.count_label.setText(message)

    def _model_reset(self) -> None:
        """After a new search or sort: the list from its top (the best matches; a place
        scrolled to in the last list means nothing in this one), and the household shown
        selected if it is still listed."""
        self.table.scrollToTop()
        shown = self.detail.household_id
        if shown is None:
            return
        row = self.model.loaded_row_of(shown)
        if row is not None:
            self.table.selectRow(row)

    # -- detail ---------------------------------------------------------------------------

    def current_household_id(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.household_id(rows[0].row()) if rows else None

    def _selection_changed(self, selected: QItemSelection, deselected: QItemSelection) -> None:
        self._detail_timer.start()

    def _show_current(self) -> None:
        household_id = self.current_household_id()
        if household_id is not None and household_id != self.detail.household_id:
            self.detail.show_household(household_id)

    def open_detail(self) -> None:
        """Enter on a row: show its household now and move to its residents."""
        self._detail_timer.stop()
        household_id = self.current_household_id()
        if household_id is None:
            return
        if household_id != self.detail.household_id:
            self.detail.show_household(household_id)
        sizes = self.splitter.sizes()
        if len(sizes) == 2 and sizes[1] == 0:
            self.splitter.setSizes([max(sizes[0] - 420, 300), 420])
        self.detail.focus_residents()

    # -- editing --------------------------------------------------------------------------

    def edit_current(self) -> None:
        """Ctrl+E: edit the household shown (or the one selected in the list)."""
        if self.detail.details is not None:
            self.edit_household(self.detail.details.id)
            return
        household_id = self.current_household_id()
        if household_id is not None:
            self.detail.show_household(household_id)
            self.detail.shown.connect(self._edit_when_shown)

    def _edit_when_shown(self, details: object) -> None:
        self.detail.shown.disconnect(self._edit_when_shown)
        if details is not None:
            self.edit_household(self.detail.details.id if self.detail.details else "")

    def edit_household(self, household_id: str) -> RecordDialog | None:
        details = self.detail.details
        if details is None or details.id != household_id or self._dialog is not None:
            return None
        return self._open(household_dialog(self._desk, details.household, self))

    def add_resident(self, household_id: str) -> RecordDialog | None:
        if self._dialog is not None:
            return None
        return self._open(resident_dialog(self._desk, household_id, None, self))

    def edit_resident(self, resident_id: str) -> RecordDialog | None:
        details = self.detail.details
        resident = details.resident(resident_id) if details is not None else None
        if details is None or resident is None or self._dialog is not None:
            return None
        return self._open(resident_dialog(self._desk, details.id, resident, self))

    def new_visit(self, household_id: str) -> QWidget:
        """The visit form for this household (its draft, if one was started)."""
        dialog = VisitDialog(self._ctx, household_id=household_id, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def _open(self, dialog: RecordDialog) -> RecordDialog:
        self._dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self._saved)
        dialog.finished.connect(lambda _code: self._dialog_closed(dialog))
        dialog.open()
        return dialog

    def _dialog_closed(self, dialog: RecordDialog) -> None:
        if self._dialog is dialog:
            self._dialog = None

    @property
    def open_dialog(self) -> RecordDialog | None:
        return self._dialog

    def confirm_resident_status(self, resident_id: str, status: str) -> QMessageBox | None:
        """Ask before marking a resident moved out or deceased (a non-blocking box)."""
        details = self.detail.details
        resident = details.resident(resident_id) if details is not None else None
        if resident is None:
            return None
        return ask(
            self, "confirm_resident_status", self.tr("Change a resident's status"),
            self.tr("Mark %1 as “%2”?").replace("%1", str(resident["name"])).replace(
                "%2", choice_label("status", status)),
            self.tr("The resident stays on record; the change is sent with the next sync."),
            self.tr("Change"), lambda: self.set_resident_status(resident_id, status))

    def set_resident_status(self, resident_id: str, status: str) -> None:
        desk = self._desk

        def work(progress: Progress) -> ChangeSet:
            return desk.update("resident", resident_id, {"status": status})

        Op(self, work, lane=Lane.WRITE, name="resident_status").success(
            lambda changes: self._saved(changes, resident_id)
        ).failure(self._write_failed).run()

    def _write_failed(self, error: OpError) -> None:
        show_error(self, error.message)

    def _saved(self, changes: ChangeSet, record_id: str) -> None:
        if not changes:
            return
        self._ctx.wrote(changes)  # every view hears of it, this one too (apply_changes)
        if changes.touches("resident"):
            self.detail.select_resident(record_id)

    # -- refreshing -----------------------------------------------------------------------

    def apply_changes(self, changes: ChangeSet) -> None:
        """Refresh what a change set touches (from this or another view, or a sync)."""
        visits = changes.touches("visit")
        if visits or changes.touches("ticket"):
            # Visit states and open tickets: what the filters and the history show. A
            # visit also moves its household's 上次走访 (the search index has it in the
            # visit's own transaction), in the list and in the pane above 走访记录: both
            # read again, or they kept the date before the visit just listed below it.
            if visits or self.filter_bar.filters() is not None:
                self.model.refresh()
            if self.detail.household_id is not None:
                if visits:
                    self.detail.reload()  # its details and its history
                else:
                    self.detail.history.reload()
        households, residents = changes.touches("household"), changes.touches("resident")
        if not (households or residents):
            return
        if households:
            self.model.refresh()
        shown = self.detail.household_id
        if shown is not None and (residents or changes.touches_record("household", shown)):
            self.detail.reload()
