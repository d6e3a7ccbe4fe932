"""Dialogs of the ticket steps: what each step needs from the user, and nothing more.

Each dialog emits ``submitted(args)`` with the step's arguments as the domain expects
them (:data:`gulou_desk.domain.workflows.TICKET_TRANSITIONS`); the view runs the step.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from gulou_desk.domain import sla
from gulou_desk.domain.workflows import MAX_EXTENSION_DAYS
from gulou_desk.records import OPEN_TICKET_STATUSES, TICKET_PRIORITIES, TICKET_STATUSES
from gulou_desk.store.inbox_queries import HouseholdGuess, search_households
from gulou_desk.store.ticket_queries import (
    StaffOption,
    TicketRow,
    assignable_staff,
    duplicate_suggestions,
    grids_here,
    ticket_candidates,
)
from ui.background import Op, Progress
from ui.relative_time import describe_since
from ui.shell.context import DeskContext
from ui.shell.step_dialog import StepDialog
from ui.tickets.labels import category_long_label, ticket_name
from ui.workflow_labels import fill, merge_target_closed, priority_label, status_label

ID_ROLE = Qt.ItemDataRole.UserRole
SEARCH_DELAY_MS = 250


def category_combo(selected: str | None = None) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName("category")
    for category in sla.categories():
        combo.addItem(category_long_label(category.code), category.code)
    if selected and combo.findData(selected) < 0 and sla.category(selected) is not None:
        # A ticket keeps a category retired since: it shows, marked retired, and stays
        # unless the clerk picks one in force (the server accepts it unchanged).
        combo.addItem(fill(QCoreApplication.translate("Tickets", "%1 · retired"),
                           category_long_label(selected)), selected)
    index = combo.findData(selected) if selected else -1
    combo.setCurrentIndex(max(index, 0) if selected else combo.findData("other"))
    return combo


def priority_combo(selected: str | None = "normal") -> QComboBox:
    combo = QComboBox()
    combo.setObjectName("priority")
    for priority in TICKET_PRIORITIES:
        combo.addItem(priority_label(priority), priority)
    combo.setCurrentIndex(max(combo.findData(selected or "normal"), 0))
    return combo


def text_box(placeholder: str = "", height: int = 90) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setPlaceholderText(placeholder)
    box.setTabChangesFocus(True)
    box.setMinimumHeight(height)
    return box


class TriageDialog(StepDialog):
    """分类定级: category (with its SLA) and priority; the due time follows from them."""

    def __init__(self, ctx: DeskContext, ticket: dict[str, Any],
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, self.tr("Triage the ticket"), self.tr(
            "The category sets the deadline in working days; an urgent ticket is due "
            "within one working day."), parent=parent)
        self.category = category_combo(ticket.get("category"))
        self.priority = priority_combo(ticket.get("priority"))
        self.form.addRow(self.tr("Category"), self.category)
        self.form.addRow(self.tr("Priority"), self.priority)

    def collect(self) -> dict[str, Any] | None:
        return {"category": self.category.currentData(), "priority": self.priority.currentData()}


class TextStepDialog(StepDialog):
    """A step that takes one text: a reason, a resolution, a comment."""

    def __init__(self, ctx: DeskContext, ticket_id: str, *, action: str, field: str,
                 title: str, intro: str, label: str, required: bool, ok_text: str | None = None,
                 placeholder: str = "", parent: QWidget | None = None) -> None:
        super().__init__(ctx, title, intro, draft_kind=f"ticket_{action}", record_id=ticket_id,
                         ok_text=ok_text, parent=parent)
        self.field = field
        self.required = required
        self.text = text_box(placeholder)
        self.text.setObjectName("step_text")
        self.form.addRow(label, self.text)

    def collect(self) -> dict[str, Any] | None:
        text = self.text.toPlainText().strip()
        if self.required and not text:
            self.show_error(self.tr("Please write something here first."))
            self.text.setFocus()
            return None
        return {self.field: text} if text else {}

    def draft_payload(self) -> dict[str, Any]:
        return {"text": self.text.toPlainText()}

    def apply_draft(self, payload: dict[str, Any]) -> None:
        self.text.setPlainText(str(payload.get("text") or ""))


class ExtensionDialog(StepDialog):
    """延期 (assignee): how many more working days, and why."""

    def __init__(self, ctx: DeskContext, ticket_id: str, parent: QWidget | None = None) -> None:
        super().__init__(ctx, self.tr("Ask for more time"), self.tr(
            "A supervisor decides; until then the due time stays as it is."),
            draft_kind="ticket_request_extension", record_id=ticket_id,
            ok_text=self.tr("Send the request"), parent=parent)
        self.days = QSpinBox()
        self.days.setObjectName("days")
        self.days.setRange(1, MAX_EXTENSION_DAYS)
        self.days.setValue(3)
        self.days.setSuffix(self.tr(" working days"))
        self.reason = text_box(self.tr("e.g. waiting for a spare part from the maintenance "
                                       "company"))
        self.reason.setObjectName("reason")
        self.form.addRow(self.tr("More time"), self.days)
        self.form.addRow(self.tr("Why"), self.reason)

    def collect(self) -> dict[str, Any] | None:
        reason = self.reason.toPlainText().strip()
        if not reason:
            self.show_error(self.tr("Please say why more time is needed."))
            return None
        return {"days": self.days.value(), "reason": reason}

    def draft_payload(self) -> dict[str, Any]:
        return {"reason": self.reason.toPlainText()}

    def apply_draft(self, payload: dict[str, Any]) -> None:
        self.reason.setPlainText(str(payload.get("reason") or ""))


class ApproveExtensionDialog(StepDialog):
    """Approve an extension (supervisor): the due time moves by the working days given."""

    def __init__(self, ctx: DeskContext, request: tuple[int, str] | None,
                 parent: QWidget | None = None) -> None:
        intro = (fill(self.tr("The assignee asked for %1 more working days: %2"),
                      str(request[0]), request[1]) if request else
                 self.tr("The due time moves later by the working days you give."))
        super().__init__(ctx, self.tr("Approve more time"), intro,
                         ok_text=self.tr("Approve"), parent=parent)
        self.days = QSpinBox()
        self.days.setObjectName("days")
        self.days.setRange(1, MAX_EXTENSION_DAYS)
        self.days.setValue(request[0] if request else 3)
        self.days.setSuffix(self.tr(" working days"))
        self.comment = QLineEdit()
        self.comment.setObjectName("comment")
        self.form.addRow(self.tr("More time"), self.days)
        self.form.addRow(self.tr("Comment"), self.comment)

    def collect(self) -> dict[str, Any] | None:
        args: dict[str, Any] = {"days": self.days.value()}
        if self.comment.text().strip():
            args["comment"] = self.comment.text().strip()
        return args


class CloseDialog(StepDialog):
    """回访: the follow-up call. 不满意 does not close the ticket: it is sent back (发回重办).

    It shows whom to call (the resident's name and phone) and is not modal: during the
    call the clerk reads the ticket's resolution and timeline in the window behind it.
    Choosing the answer and confirming is the one step that records the call.
    """

    def __init__(self, ctx: DeskContext, ticket_id: str, resident: str = "",
                 phone: str = "", parent: QWidget | None = None, *, group: str = "") -> None:
        super().__init__(ctx, self.tr("Follow-up call"), self.tr(
            "Call the resident and ask whether the problem is solved to their satisfaction."),
            draft_kind="ticket_close", record_id=ticket_id, parent=parent)
        self.resident_label = QLabel(resident or self.tr("Not known: see the ticket"))
        self.resident_label.setObjectName("resident")
        self.resident_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse)
        self.phone_label = QLabel(phone or self.tr("No phone number on record"))
        self.phone_label.setObjectName("phone")
        self.phone_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.form.addRow(self.tr("Call"), self.resident_label)
        self.form.addRow(self.tr("Phone"), self.phone_label)
        if group and not phone:
            # Most requests come from a WeChat group, with no phone: "没有登记电话" under
            # "请致电居民" left the clerk nothing to do. The group is where to ask.
            ask_in = QLabel(group)
            ask_in.setObjectName("ask_in")
            ask_in.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.form.addRow(self.tr("Ask in the group"), ask_in)
        self.group = QButtonGroup(self)
        box = QVBoxLayout()
        self.choices: dict[str, QRadioButton] = {}
        for value, text in (("satisfied", self.tr("Satisfied (满意)")),
                            ("basically_satisfied", self.tr("Basically satisfied (基本满意)")),
                            ("dissatisfied", self.tr("Dissatisfied (不满意)"))):
            button = QRadioButton(text)
            button.setObjectName(f"satisfaction_{value}")
            self.group.addButton(button)
            self.choices[value] = button
            box.addWidget(button)
            button.toggled.connect(self._update)
        holder = QWidget()
        holder.setLayout(box)
        box.setContentsMargins(0, 0, 0, 0)
        self.form.addRow(self.tr("The resident is"), holder)
        self.comment = text_box(self.tr("What the resident said (optional)"), 70)
        self.comment.setObjectName("comment")
        self.form.addRow(self.tr("Notes"), self.comment)
        self.reopen_note = QLabel(self.tr(
            "Dissatisfied: the ticket is not closed. It is sent back to be handled again "
            "(发回重办): it returns to its assignee with a new deadline."))
        self.reopen_note.setObjectName("setting_warning")
        self.reopen_note.setWordWrap(True)
        self.reopen_note.hide()
        self.form.addRow(self.reopen_note)
        self._update()

    def open(self) -> None:
        """Shown without blocking the window: the ticket stays readable during the call."""
        self.setWindowModality(Qt.WindowModality.NonModal)
        self.show()

    def satisfaction(self) -> str | None:
        for value, button in self.choices.items():
            if button.isChecked():
                return value
        return None

    def _update(self) -> None:
        dissatisfied = self.satisfaction() == "dissatisfied"
        self.reopen_note.setVisible(dissatisfied)
        self.ok_button.setText(self.tr("Send back (发回重办)") if dissatisfied
                               else self.tr("Close the ticket"))

    def collect(self) -> dict[str, Any] | None:
        value = self.satisfaction()
        if value is None:
            self.show_error(self.tr("Choose how satisfied the resident is."))
            return None
        args: dict[str, Any] = {"satisfaction": value}
        if self.comment.toPlainText().strip():
            args["comment"] = self.comment.toPlainText().strip()
        return args

    def draft_payload(self) -> dict[str, Any]:
        return {"comment": self.comment.toPlainText(), "satisfaction": self.satisfaction()}

    def apply_draft(self, payload: dict[str, Any]) -> None:
        self.comment.setPlainText(str(payload.get("comment") or ""))
        chosen = payload.get("satisfaction")
        self.group.setExclusive(False)
        for value, button in self.choices.items():
            button.setChecked(value == chosen)
        self.group.setExclusive(True)
        self._update()


class AssignDialog(StepDialog):
    """派单: choose a colleague of the community; the grid's own workers come first."""

    def __init__(self, ctx: DeskContext, ticket: dict[str, Any],
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, self.tr("Assign the ticket"), self.tr(
            "Choose who handles it. Workers of the ticket's grid are listed first."),
            ok_text=self.tr("Assign"), parent=parent)
        self._current = ticket.get("assignee_id")
        self.filter = QLineEdit()
        self.filter.setObjectName("staff_filter")
        self.filter.setPlaceholderText(self.tr("Filter by name"))
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._apply_filter)
        self.people = QListWidget()
        self.people.setObjectName("staff_list")
        self.people.setMinimumHeight(220)
        self.people.itemDoubleClicked.connect(lambda _item: self.accept())
        self.form.addRow(self.filter)
        self.form.addRow(self.people)
        desk, grid_id = ctx.desk, ticket.get("grid_id")

        def read(progress: Progress) -> list[StaffOption]:
            return desk.read(assignable_staff, grid_id)

        Op(self, read, name="assignable_staff").success(self._show).run()

    def _show(self, options: list[StaffOption]) -> None:
        from ui.navigation import role_title

        self.people.clear()
        for option in options:
            where = self.tr("this grid") if option.in_grid else role_title(option.role)
            item = QListWidgetItem(f"{option.name}  ·  {where}")
            item.setData(ID_ROLE, option.id)
            if option.id == self._current:
                item.setText(fill(self.tr("%1 (assigned now)"), item.text()))
            self.people.addItem(item)
        if self.people.count():
            self.people.setCurrentRow(0)
        if not options:
            self.show_error(self.tr("No colleagues of this community are in your copy yet. "
                                    "Sync, then try again."))

    def _apply_filter(self, text: str) -> None:
        needle = text.strip()
        for row in range(self.people.count()):
            item = self.people.item(row)
            item.setHidden(bool(needle) and needle not in item.text())

    def collect(self) -> dict[str, Any] | None:
        item = self.people.currentItem()
        if item is None or item.isHidden():
            self.show_error(self.tr("Choose a colleague."))
            return None
        return {"assignee_id": item.data(ID_ROLE)}


class TicketPicker(QWidget):
    """Search the local tickets and pick one (link a message to it, merge into it).

    Each candidate shows its number, title, status, grid and age. With ``suggest_for``
    (a ticket to merge), its likely duplicates are listed first, marked as such; a
    search by number or title then finds any ticket, also one no longer open (so that the
    dialog can say why it cannot be chosen). With ``preselect`` false nothing is chosen
    until the person chooses. A search that finds nothing says so.
    """

    def __init__(self, ctx: DeskContext, *, exclude_id: str | None = None,
                 grid_id: str | None = None, statuses: tuple[str, ...] | None = None,
                 on_chosen: Callable[[], None] | None = None,
                 suggest_for: dict[str, Any] | None = None, preselect: bool = True,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._exclude = exclude_id
        self._grid = grid_id
        self._statuses = statuses
        self._suggest_for = suggest_for
        self._preselect = preselect
        self.rows: dict[str, TicketRow] = {}
        self.search = QLineEdit()
        self.search.setObjectName("ticket_search")
        self.search.setPlaceholderText(self.tr("Number or title"))
        self.search.setClearButtonEnabled(True)
        self.results = QListWidget()
        self.results.setObjectName("ticket_results")
        self.results.setMinimumHeight(220)
        self.results.setWordWrap(True)
        if on_chosen is not None:
            self.results.itemDoubleClicked.connect(lambda _item: on_chosen())
        self.nothing = QLabel()
        self.nothing.setObjectName("dialog_intro")
        self.nothing.setWordWrap(True)
        self.nothing.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addWidget(self.nothing)
        layout.addWidget(self.results)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.search_now)
        self.search.textChanged.connect(lambda _text: self._timer.start())
        self.searched = 0
        """How many searches have been shown (for tests and waiting)."""
        self.search_now()

    def search_now(self) -> None:
        desk, text = self._ctx.desk, self.search.text().strip()
        exclude, grid, statuses = self._exclude, self._grid, self._statuses
        suggest_for = self._suggest_for

        # A merge's search by number or title finds any ticket: one no longer open is
        # refused with the reason, rather than not found.
        wanted = TICKET_STATUSES if suggest_for is not None and text else statuses

        def read(progress: Progress) -> tuple[list[TicketRow], list[TicketRow]]:
            suggested: list[TicketRow] = []
            if suggest_for is not None and not text:
                suggested = desk.read(duplicate_suggestions, suggest_for)
            if wanted is None:
                found = desk.read(ticket_candidates, search=text, exclude_id=exclude,
                                  grid_id=grid)
            else:
                found = desk.read(ticket_candidates, search=text, exclude_id=exclude,
                                  grid_id=grid, statuses=wanted)
            return suggested, found

        Op(self, read, name="ticket_candidates").success(self._show).run()

    def describe(self, row: TicketRow) -> str:
        now = self._ctx.now()
        parts = [f"{ticket_name(row.number)}  {row.title}", status_label(row.status)]
        if row.grid_name:
            parts.append(row.grid_name)
        if row.created_at is not None:
            parts.append(fill(self.tr("opened %1"), describe_since(row.created_at, now)))
        return "  ·  ".join(parts)

    def _show(self, result: tuple[list[TicketRow], list[TicketRow]]) -> None:
        suggested, found = result
        self.results.clear()
        self.rows = {}
        shown: set[str] = set()
        for row in suggested:
            item = QListWidgetItem(fill(self.tr("Likely the same: %1"), self.describe(row)))
            item.setData(ID_ROLE, row.id)
            item.setToolTip(self.tr("Same household, or same grid and category with a "
                                    "similar description, opened within two weeks"))
            font = item.font()
            font.setBold(True)
            item.setFont(font)
            self.results.addItem(item)
            shown.add(row.id)
            self.rows[row.id] = row
        for row in found:
            if row.id in shown:
                continue
            item = QListWidgetItem(self.describe(row))
            item.setData(ID_ROLE, row.id)
            item.setToolTip(row.title)
            self.results.addItem(item)
            self.rows[row.id] = row
        text = self.search.text().strip()
        empty = not self.rows
        self.nothing.setText(fill(self.tr("No ticket matches “%1”. Try the number, or "
                                          "other words of the title."), text) if text
                             else self.tr("There are no tickets to choose from here."))
        self.nothing.setVisible(empty)
        if self.rows and self._preselect:
            self.results.setCurrentRow(0)
        self.searched += 1

    def chosen_id(self) -> str | None:
        item = self.results.currentItem()
        if item is None or not item.isSelected():
            return None
        return str(item.data(ID_ROLE))

    def chosen(self) -> TicketRow | None:
        chosen = self.chosen_id()
        return None if chosen is None else self.rows.get(chosen)


class MergeDialog(StepDialog):
    """合并: this ticket is a duplicate; choose the ticket that survives.

    Nothing is chosen at first (a merge hides this ticket: the person chooses). Likely
    duplicates come first; a ticket that is no longer open is refused here with the
    reason, as the domain and the server refuse it.
    """

    def __init__(self, ctx: DeskContext, ticket: dict[str, Any],
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, self.tr("Merge a duplicate"), self.tr(
            "This ticket reports the same problem as another one. Choose the ticket that "
            "stays (the survivor): this one is marked merged and its messages move there. "
            "The survivor keeps the earlier deadline. You can split it back out later."),
            ok_text=self.tr("Merge"), parent=parent)
        self.setMinimumWidth(600)
        self.picker = TicketPicker(
            ctx, exclude_id=str(ticket.get("id")), grid_id=ticket.get("grid_id"),
            statuses=tuple(sorted(OPEN_TICKET_STATUSES)), suggest_for=dict(ticket),
            preselect=False, on_chosen=self.accept, parent=self)
        self.form.addRow(self.picker)

    def collect(self) -> dict[str, Any] | None:
        chosen = self.picker.chosen()
        if chosen is None:
            self.show_error(self.tr("Choose the ticket to merge into."))
            return None
        if chosen.status not in OPEN_TICKET_STATUSES:
            self.show_error(merge_target_closed(chosen.status))
            return None
        return {"into_id": chosen.id}


class NewTicketDialog(StepDialog):
    """A request that came in person, by phone or from the 12345 hotline: a ticket at once.

    Why a ticket and not an inbox message first: the clerk is already talking to the
    resident and can say what the problem is, so the request is triaged on the spot; one
    ``create`` mutation carries it (the server numbers it and places it in the grid of
    the household or of the grid chosen), and the resident's words go to the description.
    An inbox message would only add a step that nobody needs.
    """

    SOURCES = ("walk_in", "phone", "hotline")

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, self.tr("New ticket"), self.tr(
            "For a request made in person, by phone or through the 12345 hotline."),
            draft_kind="ticket_new", ok_text=self.tr("Open the ticket"), parent=parent)
        self.setMinimumWidth(560)
        # Every field as wide as the form: a list filled after the dialog shows (the
        # grids) is never cut to its first width ("请选择网…").
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.desk = ctx.desk
        from ui.workflow_labels import source_label

        self.source = QComboBox()
        self.source.setObjectName("source")
        for source in self.SOURCES:
            self.source.addItem(source_label(source), source)
        self.resident = QLineEdit()
        self.resident.setObjectName("resident")
        self.resident.setPlaceholderText(self.tr("Name and phone of the resident"))
        self.household_search = QLineEdit()
        self.household_search.setObjectName("household_search")
        self.household_search.setPlaceholderText(self.tr("Head of household, address or phone"))
        self.household_search.setClearButtonEnabled(True)
        self.households = QListWidget()
        self.households.setObjectName("household_results")
        self.households.setMaximumHeight(110)
        self.households.currentItemChanged.connect(self._household_chosen)
        self.grid = QComboBox()
        self.grid.setObjectName("grid")
        self.title_edit = QLineEdit()
        self.title_edit.setObjectName("title")
        self.title_edit.setMaxLength(128)
        self.category = category_combo()
        self.priority = priority_combo()
        self.description = text_box(self.tr("What the resident reports"), 80)
        self.description.setObjectName("description")
        self.form.addRow(self.tr("Came in by"), self.source)
        self.form.addRow(self.tr("Resident"), self.resident)
        self.form.addRow(self.tr("Household"), self.household_search)
        self.form.addRow("", self.households)
        self.form.addRow(self.tr("Grid"), self.grid)
        self.form.addRow(self.tr("Title"), self.title_edit)
        self.form.addRow(self.tr("Category"), self.category)
        self.form.addRow(self.tr("Priority"), self.priority)
        self.form.addRow(self.tr("Description"), self.description)
        self._hh_grids: dict[str, str | None] = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self._find_households)
        self.household_search.textChanged.connect(lambda _t: self._timer.start())
        desk = ctx.desk

        def read(progress: Progress) -> list[tuple[str, str]]:
            return desk.read(grids_here)

        Op(self, read, name="grids_here").success(self._show_grids).run()

    def _show_grids(self, grids: list[tuple[str, str]]) -> None:
        current = self.grid.currentData()
        self.grid.clear()
        self.grid.addItem(self.tr("Choose a grid"), None)
        for grid_id, name in grids:
            self.grid.addItem(name, grid_id)
        if current:
            self.grid.setCurrentIndex(max(self.grid.findData(current), 0))

    def _find_households(self) -> None:
        text = self.household_search.text().strip()
        if not text:
            self.households.clear()
            return
        desk = self.desk

        def read(progress: Progress) -> list[HouseholdGuess]:
            return desk.read(search_households, text, limit=10)

        Op(self, read, name="search_households").success(self._show_households).run()

    def _show_households(self, found: list[HouseholdGuess]) -> None:
        self.households.clear()
        self._hh_grids = {g.id: g.grid_id for g in found}
        none = QListWidgetItem(self.tr("No household (only the grid)"))
        none.setData(ID_ROLE, None)
        self.households.addItem(none)
        for guess in found:
            item = QListWidgetItem(f"{guess.head_name}  ·  {guess.address}")
            item.setData(ID_ROLE, guess.id)
            self.households.addItem(item)
        if found:
            self.households.setCurrentRow(1)

    def _household_chosen(self, item: QListWidgetItem | None, _previous: object) -> None:
        household_id = item.data(ID_ROLE) if item is not None else None
        grid_id = self._hh_grids.get(household_id) if household_id else None
        if grid_id:
            self.grid.setCurrentIndex(max(self.grid.findData(grid_id), 0))

    def household_id(self) -> str | None:
        item = self.households.currentItem()
        value = item.data(ID_ROLE) if item is not None else None
        return str(value) if value else None

    def collect(self) -> dict[str, Any] | None:
        title = self.title_edit.text().strip()
        grid_id = self.grid.currentData()
        if not title:
            self.show_error(self.tr("Give the ticket a short title."))
            self.title_edit.setFocus()
            return None
        if not grid_id:
            self.show_error(self.tr("Choose the household or the grid the request is about."))
            return None
        description = self.description.toPlainText().strip()
        resident = self.resident.text().strip()
        if resident:
            description = fill(self.tr("Resident: %1"), resident) + (
                "\n" + description if description else "")
        return {
            "source": self.source.currentData(), "title": title, "grid_id": grid_id,
            "household_id": self.household_id(), "category": self.category.currentData(),
            "priority": self.priority.currentData(), "description": description or None,
        }

    def draft_payload(self) -> dict[str, Any]:
        return {"title": self.title_edit.text(), "resident": self.resident.text(),
                "description": self.description.toPlainText()}

    def apply_draft(self, payload: dict[str, Any]) -> None:
        self.title_edit.setText(str(payload.get("title") or ""))
        self.resident.setText(str(payload.get("resident") or ""))
        self.description.setPlainText(str(payload.get("description") or ""))
