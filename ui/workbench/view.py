"""The social worker's first screen: drafts to continue, and whom to visit, for a walk.

* "Continue" lists the visit drafts in progress (newest first); Enter or a double click
  reopens one.
* The plan (:func:`gulou_desk.store.visit_plan.visit_plan`) lists the households of the
  worker's grids that are overdue, never visited, due today or due this week, grouped by
  estate and building in walking order, with counts per group. A filter narrows it to
  "due now" or "overdue". Enter, a double click or "New visit" (Ctrl+N) opens a visit
  for the chosen household.
* It reads again when a local write or a sync (the context's one ``changes_applied``
  signal) touches households, visits, templates, grids or drafts — nothing else concerns
  it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt, QTimer
from PySide6.QtGui import (
    QBrush,
    QColor,
    QHideEvent,
    QKeySequence,
    QShortcut,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStackedWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from gulou_desk.desk import Desk
from gulou_desk.domain.cadence import VisitState
from gulou_desk.records import SHANGHAI
from gulou_desk.store.changes import DRAFTS, ChangeSet
from gulou_desk.store.drafts import DraftView, list_drafts
from gulou_desk.store.visit_plan import PlannedHousehold, VisitPlan, visit_plan
from ui import palette
from ui.background import OpError, Progress, Reread
from ui.i18n import PluralContext
from ui.record_labels import tags_text
from ui.shell.context import DeskContext
from ui.shell.empty_state import EmptyState
from ui.visits.dialog import DRAFT_KIND, VisitDialog

log = logging.getLogger(__name__)
translate = QCoreApplication.translate

class Workbench(PluralContext):
    """The texts of this module that carry a count (see :class:`ui.i18n.PluralContext`)."""


WATCHED = ("household", "visit", "visit_template", "grid")
HOUSEHOLD_ROLE = Qt.ItemDataRole.UserRole + 1
DRAFT_ROLE = Qt.ItemDataRole.UserRole + 2
STATE_COLOURS = {VisitState.OVERDUE: palette.DANGER_DEEP,
                 VisitState.NEVER_VISITED: palette.DANGER_DEEP,
                 VisitState.DUE_TODAY: palette.VISIT_DUE_TODAY,
                 VisitState.DUE_THIS_WEEK: palette.VISIT_DUE_THIS_WEEK}


def state_text(state: VisitState, days_overdue: int = 0) -> str:
    if state == VisitState.OVERDUE:
        return Workbench.tr("Overdue %n day(s)", "", days_overdue)
    return {
        VisitState.NEVER_VISITED: translate("Workbench", "Never visited"),
        VisitState.DUE_TODAY: translate("Workbench", "Due today"),
        VisitState.DUE_THIS_WEEK: translate("Workbench", "Due this week"),
    }.get(state, translate("Workbench", "Up to date"))


@dataclass(frozen=True, slots=True)
class WorkbenchData:
    plan: VisitPlan
    drafts: tuple[DraftView, ...]


def workbench_data(session: Session, desk: Desk) -> WorkbenchData:
    """The plan of the worker's grids (everyone's for other roles) and the visit drafts."""
    grids = desk.actor(session).grid_ids if desk.role == "social_worker" else None
    return WorkbenchData(visit_plan(session, worker_grid_ids=grids),
                         tuple(list_drafts(session, DRAFT_KIND)))


def load_workbench(desk: Desk) -> WorkbenchData:
    """Worker thread: :func:`workbench_data` in one read."""
    return desk.read(workbench_data, desk)


def _group_item(text: str) -> QStandardItem:
    item = QStandardItem(text)
    item.setEditable(False)
    return item


def _blanks() -> list[QStandardItem]:
    return [_group_item("") for _ in range(3)]


class WorkbenchView(QWidget):
    """See the module doc."""

    FILTERS = ("all", "due_now", "overdue")

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("workbench")
        self.ctx = ctx
        self.settings = settings = ctx.settings
        self.data: WorkbenchData | None = None
        self.dialogs: list[VisitDialog] = []
        self._read = Reread(self, "load_workbench", self._work, self._show, self._failed)

        title = QLabel(self.tr("Visits to make"))
        title.setObjectName("pageTitle")
        title.setStyleSheet("font-size: 18px; font-weight: 600;")
        self.summary = QLabel()
        self.summary.setObjectName("planSummary")
        self.filter = QComboBox()
        self.filter.setObjectName("planFilter")
        self.filter.addItem(self.tr("Due this week"), "all")
        self.filter.addItem(self.tr("Due now"), "due_now")
        self.filter.addItem(self.tr("Overdue only"), "overdue")
        self.filter.currentIndexChanged.connect(self._fill_plan)
        self.new_button = QPushButton(self.tr("New visit"))
        self.new_button.setToolTip(self.tr("Visit the chosen household (Ctrl+N, Enter)"))
        self.new_button.clicked.connect(self.open_current)
        header = QHBoxLayout()
        header.addWidget(title)
        header.addSpacing(12)
        header.addWidget(self.summary, 1)
        header.addWidget(self.filter)
        header.addWidget(self.new_button)

        self.drafts_label = QLabel(self.tr("Continue"))
        self.drafts_label.setStyleSheet("font-weight: 600;")
        self.drafts = QListWidget()
        self.drafts.setObjectName("visitDrafts")
        self.drafts.setMaximumHeight(96)
        self.drafts.itemActivated.connect(self._draft_activated)

        self.model = QStandardItemModel(0, 4, self)
        self.model.setHorizontalHeaderLabels([self.tr("Household"), self.tr("Due"),
                                              self.tr("Last visit"), self.tr("Tags")])
        self.tree = QTreeView()
        self.tree.setObjectName("visitPlan")
        self.tree.setModel(self.model)
        self.tree.setEditTriggers(QTreeView.EditTrigger.NoEditTriggers)
        self.tree.header().setObjectName("visitPlanHeader")
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.tree.header().resizeSection(0, 320)
        self.tree.header().resizeSection(1, 150)
        self.tree.header().resizeSection(2, 110)
        self.tree.activated.connect(self._item_activated)

        self.empty = EmptyState(
            "workbench", self.tr("No visits due this week"),
            self.tr("Every household of your grids has been visited in time. Drafts you "
                    "start will appear here."), parent=self)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.tree)
        self.stack.addWidget(self.empty)

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.drafts_label)
        layout.addWidget(self.drafts)
        layout.addWidget(self.stack, 1)
        self.drafts_label.hide()
        self.drafts.hide()

        QShortcut(QKeySequence.StandardKey.New, self, self.open_current)
        # No shortcut of its own for "Refresh" (F5): the window's F5 syncs, and the sync's
        # changes refresh this view (``apply_changes``).
        ctx.changes.changes_applied.connect(self.apply_changes)
        QTimer.singleShot(0, lambda: settings.restore_layout(self))
        self.refresh()

    # -- reading -----------------------------------------------------------------------

    def refresh(self) -> None:
        self._read.run()

    def _work(self) -> Callable[[Progress], WorkbenchData]:
        desk = self.ctx.desk
        return lambda progress: load_workbench(desk)

    def _failed(self, error: OpError) -> None:
        self.summary.setText(error.message)

    def _show(self, data: WorkbenchData) -> None:
        self.data = data
        self._fill_drafts()
        self._fill_plan()

    def _fill_drafts(self) -> None:
        assert self.data is not None
        current = self.drafts.currentItem()
        keep = current.data(DRAFT_ROLE) if current is not None else None
        self.drafts.clear()
        for d in self.data.drafts:
            when = d.updated_at.astimezone(SHANGHAI).strftime("%m-%d %H:%M")
            label = str(d.payload.get("household_label") or d.payload.get("household_id"))
            item = QListWidgetItem(self.tr("Continue: %1 (saved %2)").replace(
                "%1", label).replace("%2", when))
            item.setData(DRAFT_ROLE, d.id)
            item.setData(HOUSEHOLD_ROLE, d.payload.get("household_id"))
            self.drafts.addItem(item)
            if d.id == keep:
                self.drafts.setCurrentItem(item)
        shown = bool(self.data.drafts)
        self.drafts.setVisible(shown)
        self.drafts_label.setVisible(shown)

    def _wanted(self, h: PlannedHousehold) -> bool:
        mode = self.filter.currentData()
        if mode == "overdue":
            return h.due.state in (VisitState.OVERDUE, VisitState.NEVER_VISITED)
        if mode == "due_now":
            return h.due.state.is_due
        return True

    def _fill_plan(self) -> None:
        if self.data is None:
            return
        current = self.current_household()
        self.model.removeRows(0, self.model.rowCount())
        plan = self.data.plan
        c = plan.counts
        self.summary.setText(self.tr(
            "Overdue %1 · never visited %2 · due today %3 · this week %4").replace(
            "%1", str(c.overdue)).replace("%2", str(c.never_visited)).replace(
            "%3", str(c.due_today)).replace("%4", str(c.due_this_week)))
        select: QStandardItem | None = None
        shown = 0
        for estate in plan.estates:
            estate_item = _group_item("")
            n = 0
            for building in estate.buildings:
                households = [h for h in building.households if self._wanted(h)]
                if not households:
                    continue
                if building.building:
                    name = self.tr("Building %1").replace("%1", building.building)
                else:
                    name = self.tr("No building")
                building_item = _group_item(self.tr("%1 (%2)").replace(
                    "%1", name).replace("%2", str(len(households))))
                for h in households:
                    row = self._household_row(h, plan.today)
                    building_item.appendRow(row)
                    if h.id == current:
                        select = row[0]
                estate_item.appendRow([building_item, *_blanks()])
                n += len(households)
            if n == 0:
                continue
            shown += n
            estate_item.setText(self.tr("%1 (%2)").replace("%1", estate.estate).replace(
                "%2", str(n)))
            font = estate_item.font()
            font.setBold(True)
            estate_item.setFont(font)
            self.model.appendRow([estate_item, *_blanks()])
        self.tree.expandAll()
        self.stack.setCurrentWidget(self.tree if shown else self.empty)
        if select is not None:
            self.tree.setCurrentIndex(select.index())

    def _household_row(self, h: PlannedHousehold, today: dt.date) -> list[QStandardItem]:
        flat = "".join(f"{v}{s}" for v, s in ((h.unit, "单元"), (h.room, "室")) if v)
        last = (h.last_visit_at.astimezone(SHANGHAI).strftime("%Y-%m-%d")
                if h.last_visit_at else "—")
        days_over = max((today - h.due.due_date).days, 0)
        cells = [QStandardItem(f"{h.head_name}  {flat}".strip()),
                 QStandardItem(state_text(h.due.state, days_over)),
                 QStandardItem(last), QStandardItem(tags_text(h.tags))]
        for cell in cells:
            cell.setEditable(False)
            cell.setData(h.id, HOUSEHOLD_ROLE)
        cells[1].setForeground(QBrush(QColor(STATE_COLOURS.get(h.due.state, palette.NEUTRAL))))
        cells[0].setToolTip(h.address or "")
        return cells

    # -- acting ------------------------------------------------------------------------

    def current_household(self) -> str | None:
        value = self.tree.currentIndex().data(HOUSEHOLD_ROLE)
        return str(value) if value else None

    def household_items(self) -> list[QStandardItem]:
        """The household rows' first cells, top to bottom."""
        out = []
        stack = [self.model.item(i) for i in range(self.model.rowCount())]
        while stack:
            item = stack.pop(0)
            if item.data(HOUSEHOLD_ROLE):
                out.append(item)
            stack[:0] = [item.child(i) for i in range(item.rowCount())]
        return out

    def _item_activated(self, index: QModelIndex) -> None:
        household = index.data(HOUSEHOLD_ROLE)
        if household:
            self.open_visit(str(household))
        else:
            first = index.siblingAtColumn(0)
            self.tree.setExpanded(first, not self.tree.isExpanded(first))

    def _draft_activated(self, item: QListWidgetItem) -> None:
        self.open_visit(item.data(HOUSEHOLD_ROLE), draft_id=item.data(DRAFT_ROLE))

    def open_current(self) -> None:
        if self.drafts.hasFocus() and self.drafts.currentItem() is not None:
            self._draft_activated(self.drafts.currentItem())
            return
        household = self.current_household()
        if household:
            self.open_visit(household)

    def open_visit(self, household_id: str | None, *, draft_id: str | None = None
                   ) -> VisitDialog:
        dialog = VisitDialog(self.ctx, household_id=household_id, draft_id=draft_id,
                             parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _r: self._dialog_closed(dialog))
        self.dialogs.append(dialog)
        dialog.show()
        return dialog

    def _dialog_closed(self, dialog: VisitDialog) -> None:
        if dialog in self.dialogs:
            self.dialogs.remove(dialog)
        self.refresh()

    # -- change notices ----------------------------------------------------------------

    def apply_changes(self, changes: ChangeSet) -> None:
        if any(changes.touches(e) for e in (*WATCHED, DRAFTS)):
            self.refresh()

    def hideEvent(self, event: QHideEvent) -> None:
        self.settings.save_layout(self)
        # The window is closing or the worker went elsewhere: keep what open visits hold.
        for dialog in self.dialogs:
            if dialog.has_unsaved():
                dialog.save_now(quiet=True)
        super().hideEvent(event)
