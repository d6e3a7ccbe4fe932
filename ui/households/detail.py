"""The detail pane of the households view: one household's fields and its residents.

The pane reads the household and its residents in the background (``Op``, READ lane)
whenever it is asked to show one, and asks the view (signals) to edit; it never writes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from gulou_desk.desk import Desk
from gulou_desk.domain import addresses, cadence
from gulou_desk.record_types import ResidentRecord
from gulou_desk.store.household_queries import HouseholdDetails, household_details
from ui import palette
from ui.background import Op, OpError, Progress
from ui.record_labels import EMPTY, display_value, field_label
from ui.shell.context import OnlineReads
from ui.shell.empty_state import EmptyState
from ui.shell.history import HistoryDialog
from ui.visits.history import HouseholdHistory

_Index = QModelIndex | QPersistentModelIndex

RESIDENT_COLUMNS = ("name", "relation", "status", "gender", "birth_date", "phone", "id_number")
"""The narrow pane shows who and how they are first (姓名, 关系, 状态: read without scrolling
sideways); the ID number, widest, comes last."""
INACTIVE = palette.FAINT
"""Residents who moved out or died are greyed, not hidden."""
HISTORY_MIN_HEIGHT = 240
"""The visits and tickets below the residents keep room for a few entries."""
HOUSEHOLD_FIELDS = ("phone", "grid_id", "tags", "visit_cadence_days", "last_visit_at",
                    "status", "notes")


class ResidentsModel(QAbstractTableModel):
    """The residents of one household (a handful of rows: held in full)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[ResidentRecord] = []

    def set_residents(self, residents: Sequence[ResidentRecord]) -> None:
        self.beginResetModel()
        self._rows = list(residents)
        self.endResetModel()

    def resident(self, row: int) -> ResidentRecord | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, resident_id: str) -> int | None:
        return next((i for i, r in enumerate(self._rows) if r["id"] == resident_id), None)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(RESIDENT_COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if (role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal
                and 0 <= section < len(RESIDENT_COLUMNS)):
            field = RESIDENT_COLUMNS[section]
            if field == "relation":  # the pane is narrow: "Relation to the head" is long
                return QCoreApplication.translate("HouseholdDetail", "Relation")
            return field_label("resident", field)
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemNeverHasChildren)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or index.parent().isValid():
            return None
        resident = self.resident(index.row())
        if resident is None:
            return None
        field = RESIDENT_COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return display_value("resident", field, resident.get(field))
        if role == Qt.ItemDataRole.ForegroundRole and resident.get("status") != "active":
            return QColor(INACTIVE)
        if role == Qt.ItemDataRole.UserRole:
            return resident["id"]
        return None


class HouseholdDetail(QWidget):
    """Shows one household (or a hint to choose one).

    Signals:
        edit_household_requested(str): "Edit" for the shown household (its id).
        add_resident_requested(str): "Add resident" (the household's id).
        edit_resident_requested(str): a resident is to be edited (its id).
        resident_status_requested(str, str): mark a resident ``moved_out`` / ``deceased``.
        shown(object): the pane shows new content (``HouseholdDetails`` or ``None``).
    """

    edit_household_requested = Signal(str)
    add_resident_requested = Signal(str)
    edit_resident_requested = Signal(str)
    resident_status_requested = Signal(str, str)
    shown = Signal(object)

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("household_detail")
        self._desk = desk
        self._household_id: str | None = None
        self._generation = 0
        self.details: HouseholdDetails | None = None

        self.stack = QStackedWidget()
        self.placeholder = EmptyState(
            "households", self.tr("Choose a household"),
            self.tr("Its details and residents appear here. Press Enter in the list to come "
                    "here, Ctrl+E to edit."),
        )
        self.placeholder.title_label.setFixedWidth(300)
        self.placeholder.text_label.setFixedWidth(300)
        self.stack.addWidget(self.placeholder)

        content = QWidget()
        content.setObjectName("household_detail_content")
        self.title_label = QLabel()
        self.title_label.setObjectName("page_title")
        self.title_label.setWordWrap(True)
        self.address_label = QLabel()
        self.address_label.setObjectName("dialog_intro")
        self.address_label.setWordWrap(True)
        self.address_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.edit_button = QPushButton(self.tr("Edit household"))
        self.edit_button.setObjectName("edit_household")
        self.edit_button.setToolTip(self.tr("Edit the household (Ctrl+E)"))
        self.edit_button.clicked.connect(self.request_edit)
        self.household_history_button = QPushButton(self.tr("History"))
        self.household_history_button.setObjectName("household_history")
        self.household_history_button.setToolTip(self.tr("Every change to this household"))
        self.household_history_button.clicked.connect(self._household_history)
        heading = QHBoxLayout()
        heading.addWidget(self.title_label, 1)
        heading.addWidget(self.edit_button, 0, Qt.AlignmentFlag.AlignTop)
        heading.addWidget(self.household_history_button, 0, Qt.AlignmentFlag.AlignTop)

        self.fields_form = QFormLayout()
        self.fields_form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.fields_form.setHorizontalSpacing(16)
        self.fields_form.setVerticalSpacing(6)
        self.field_values: dict[str, QLabel] = {}
        for name in HOUSEHOLD_FIELDS:
            value = QLabel()
            value.setObjectName(f"value_{name}")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.field_values[name] = value
            label = QLabel(field_label("household", name))
            label.setObjectName("setting_hint")
            self.fields_form.addRow(label, value)

        self.residents_title = QLabel()
        self.residents_title.setObjectName("section_title")
        self.residents_title.setStyleSheet("font-weight: 600; font-size: 12pt;")
        self.add_resident_button = QPushButton(self.tr("Add resident"))
        self.add_resident_button.setObjectName("add_resident")
        self.add_resident_button.clicked.connect(self._add_resident)
        self.edit_resident_button = QPushButton(self.tr("Edit"))
        self.edit_resident_button.setObjectName("edit_resident")
        self.edit_resident_button.clicked.connect(self._edit_resident)
        self.moved_out_button = QPushButton(self.tr("Moved out"))
        self.moved_out_button.setObjectName("mark_moved_out")
        self.moved_out_button.setToolTip(self.tr("Mark the resident as moved out"))
        self.moved_out_button.clicked.connect(lambda: self._mark("moved_out"))
        self.deceased_button = QPushButton(self.tr("Deceased"))
        self.deceased_button.setObjectName("mark_deceased")
        self.deceased_button.setToolTip(self.tr("Mark the resident as deceased"))
        self.deceased_button.clicked.connect(lambda: self._mark("deceased"))
        self.resident_history_button = QPushButton(self.tr("History"))
        self.resident_history_button.setObjectName("resident_history")
        self.resident_history_button.setToolTip(self.tr("Every change to this resident"))
        self.resident_history_button.clicked.connect(self._resident_history)
        self.online: OnlineReads | None = None
        """Where a record's history is read (the server; set by the view)."""
        residents_bar = QHBoxLayout()
        residents_bar.addWidget(self.residents_title, 1)
        residents_bar.addWidget(self.add_resident_button)
        # What can be done to the selected resident, under the list (the pane is narrow).
        resident_actions = QHBoxLayout()
        resident_actions.addStretch(1)
        for button in (self.edit_resident_button, self.moved_out_button,
                       self.deceased_button, self.resident_history_button):
            resident_actions.addWidget(button)

        self.residents_model = ResidentsModel(self)
        self.residents_table = QTableView()
        self.residents_table.setTabKeyNavigation(False)  # Tab: on to the next control
        self.residents_table.setObjectName("residents_table")
        self.residents_table.setModel(self.residents_model)
        self.residents_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.residents_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.residents_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.residents_table.verticalHeader().hide()
        self.residents_table.setAlternatingRowColors(True)
        self.residents_table.setWordWrap(False)
        header = self.residents_table.horizontalHeader()
        header.setObjectName("residents_columns")
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(RESIDENT_COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(44)
        self.residents_table.activated.connect(lambda _index: self._edit_resident())
        self.residents_table.selectionModel().selectionChanged.connect(self._update_buttons)

        layout = QVBoxLayout(content)
        layout.setContentsMargins(20, 16, 20, 12)
        layout.setSpacing(10)
        layout.addLayout(heading)
        # Under the buttons, the pane's whole width: "Edit household" beside it broke
        # "1栋1单元101室" in two at 1024×700 in English.
        layout.addWidget(self.address_label)
        layout.addLayout(self.fields_form)
        layout.addSpacing(4)
        layout.addLayout(residents_bar)
        layout.addWidget(self.residents_table, 1)
        layout.addLayout(resident_actions)
        self.history = HouseholdHistory(desk, content)
        self.history.setMinimumHeight(HISTORY_MIN_HEIGHT)
        layout.addWidget(self.history, 1)
        self.content = content
        # The pane scrolls as a whole: every resident is listed (the list is as tall as
        # its rows), whatever the window's height.
        self.scroll_area = _VerticalScroll()
        self.scroll_area.setObjectName("household_detail_scroll")
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setWidget(content)
        self.stack.addWidget(self.scroll_area)
        self.residents_table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.residents_table.setSizeAdjustPolicy(
            QAbstractScrollArea.SizeAdjustPolicy.AdjustIgnored)

        self.missing = EmptyState(
            "households", self.tr("This household is no longer here"),
            self.tr("It was removed, or it is no longer in your area. The list is up to date."),
        )
        self.missing.title_label.setFixedWidth(300)
        self.missing.text_label.setFixedWidth(300)
        self.stack.addWidget(self.missing)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.stack)
        self._update_buttons()

    # -- showing ------------------------------------------------------------------------

    @property
    def household_id(self) -> str | None:
        return self._household_id

    def show_household(self, household_id: str | None) -> None:
        """Show a household (read in the background); ``None`` shows the hint."""
        self._household_id = household_id
        self._generation += 1
        if household_id is None:
            self.details = None
            self.stack.setCurrentWidget(self.placeholder)
            self._update_buttons()
            self.shown.emit(None)
            return
        generation, desk = self._generation, self._desk
        self.history.show_household(household_id)

        def work(progress: Progress) -> HouseholdDetails | None:
            return desk.read(household_details, household_id)

        Op(self, work, name="household_details").success(
            lambda details: self._show(generation, details)
        ).failure(lambda error: self._failed(generation, error)).run()

    def reload(self) -> None:
        if self._household_id is not None:
            self.show_household(self._household_id)

    def _show(self, generation: int, details: HouseholdDetails | None) -> None:
        if generation != self._generation:
            return
        selected = self.selected_resident_id()
        self.details = details
        if details is None:
            self.stack.setCurrentWidget(self.missing)
            self.residents_model.set_residents([])
            self._update_buttons()
            self.shown.emit(None)
            return
        household = details.household
        self.title_label.setText(household["head_name"] or EMPTY)
        self.address_label.setText(_address(household))
        self.address_label.setToolTip(household.get("address") or "")
        for name, label in self.field_values.items():
            if name == "grid_id":
                label.setText(details.grid_name or EMPTY)
            elif name == "last_visit_at":  # as the list and the visits below say it
                label.setText(display_value("household", name, details.last_visit_at))
            elif name == "visit_cadence_days":
                days = household["visit_cadence_days"]
                # "按关怀标签" alone left a worker to work out what that meant for a
                # household with no tag (every 90 days): the days it comes to are said.
                label.setText(self.tr("every %n day(s)", "", days) if days
                              else self.tr("as its care tags say: every %n day(s)", "",
                                           cadence.default_cadence_days(
                                               household.get("tags") or ())))
            else:
                label.setText(display_value("household", name, household.get(name)))
        self.residents_title.setText(self.tr("Residents (%1)").replace(
            "%1", str(len(details.residents))))
        self.residents_model.set_residents(details.residents)
        row = self.residents_model.row_of(selected) if selected else None
        if row is not None:
            self.residents_table.selectRow(row)
        self._fit_residents()
        self.stack.setCurrentWidget(self.scroll_area)
        self._update_buttons()
        self.shown.emit(details)

    def _fit_residents(self) -> None:
        """The residents' list as tall as its rows (the pane scrolls, not the list)."""
        table = self.residents_table
        rows = self.residents_model.rowCount()
        height = table.horizontalHeader().sizeHint().height() + 2 * table.frameWidth()
        height += sum(table.rowHeight(r) for r in range(rows)) if rows else \
            table.verticalHeader().defaultSectionSize()
        scrollbar = table.horizontalScrollBar()
        height += scrollbar.sizeHint().height()  # room for it, shown or not: no jumping
        table.setFixedHeight(height)

    def _failed(self, generation: int, error: OpError) -> None:
        if generation == self._generation:
            self.missing.set_texts(self.tr("The household could not be read"), error.message)
            self.stack.setCurrentWidget(self.missing)

    # -- residents ----------------------------------------------------------------------

    def selected_resident_id(self) -> str | None:
        rows = self.residents_table.selectionModel().selectedRows()
        if not rows:
            return None
        resident = self.residents_model.resident(rows[0].row())
        return str(resident["id"]) if resident else None

    def select_resident(self, resident_id: str) -> None:
        row = self.residents_model.row_of(resident_id)
        if row is not None:
            self.residents_table.selectRow(row)

    def focus_residents(self) -> None:
        self.residents_table.setFocus()
        if self.residents_model.rowCount() and not self.residents_table.selectionModel(
        ).hasSelection():
            self.residents_table.selectRow(0)

    def _update_buttons(self) -> None:
        has_household = self.details is not None
        resident_id = self.selected_resident_id()
        resident = self.details.resident(resident_id) if (
            self.details is not None and resident_id) else None
        self.edit_button.setEnabled(has_household)
        self.household_history_button.setEnabled(has_household)
        self.add_resident_button.setEnabled(has_household)
        self.edit_resident_button.setEnabled(resident is not None)
        status = resident.get("status") if resident else None
        self.moved_out_button.setEnabled(resident is not None and status == "active")
        self.deceased_button.setEnabled(resident is not None and status != "deceased")
        self.resident_history_button.setEnabled(resident is not None)

    def _household_history(self) -> None:
        if self.details is None:
            return
        dialog = HistoryDialog(self._desk, self.online, "household", self.details.id,
                               str(self.details.household.get("head_name") or ""), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def _resident_history(self) -> None:
        resident_id = self.selected_resident_id()
        resident = self.details.resident(resident_id) if (
            self.details is not None and resident_id) else None
        if resident is None or resident_id is None:
            return
        dialog = HistoryDialog(self._desk, self.online, "resident", resident_id,
                               str(resident.get("name") or ""), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def request_edit(self) -> None:
        if self.details is not None:
            self.edit_household_requested.emit(self.details.id)

    def _add_resident(self) -> None:
        if self.details is not None:
            self.add_resident_requested.emit(self.details.id)

    def _edit_resident(self) -> None:
        resident_id = self.selected_resident_id()
        if resident_id is not None:
            self.edit_resident_requested.emit(resident_id)

    def _mark(self, status: str) -> None:
        resident_id = self.selected_resident_id()
        if resident_id is not None:
            self.resident_status_requested.emit(resident_id, status)


class _VerticalScroll(QScrollArea):
    """Scrolls up and down only: as wide as its content needs at least (the splitter
    keeps the pane that wide), so nothing in the pane is cut at the side."""

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        content = self.widget()
        if content is None:
            return hint
        width = content.minimumSizeHint().width() + self.verticalScrollBar().sizeHint().width()
        return QSize(max(hint.width(), width), hint.height())


def _address(household: Mapping[str, Any]) -> str:
    """The address as the list says it (estate and flat, from the parts); the full postal
    address is the label's tooltip."""
    return addresses.short_address(
        household.get("estate"), household.get("building"), household.get("unit"),
        household.get("room"), household.get("address")) or QCoreApplication.translate(
        "HouseholdDetail", "no address")
