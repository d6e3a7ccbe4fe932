"""The volunteer activities and the participation figures per community: plain tables of
what the section read (``activity_rows``, ``community_figures``)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gulou_desk.store.participation_queries import ActivityRow, CommunityFigures
from ui.participation import labels as L
from ui.record_labels import EMPTY
from ui.workflow_labels import fill

NUMBER = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class TablePage(QWidget):
    """A heading, a line that says what the table counts, and the table."""

    def __init__(self, name: str, heading: str, hint: str, headers: Sequence[str],
                 stretch: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title = QLabel(heading)
        title.setObjectName("page_title")
        note = QLabel(hint)
        note.setObjectName("muted")
        note.setWordWrap(True)
        self.table = QTableWidget(0, len(headers))
        self.table.setObjectName(name)
        self.table.setHorizontalHeaderLabels(list(headers))
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setSectionResizeMode(
            stretch, QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 8)
        layout.setSpacing(8)
        layout.addWidget(title)
        layout.addWidget(note)
        layout.addWidget(self.table, 1)

    def fill_rows(self, rows: Sequence[Sequence[str]], numbers: Sequence[int] = ()) -> None:
        table = self.table
        table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if c in numbers:
                    item.setTextAlignment(NUMBER)
                table.setItem(r, c, item)
        header = table.horizontalHeader()
        for c in range(table.columnCount()):
            if header.sectionResizeMode(c) != QHeaderView.ResizeMode.Stretch:
                table.resizeColumnToContents(c)


class ActivitiesPage(TablePage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("activities_table", self.tr("Volunteer activities"), self.tr(
            "Residents sign up in their groups by replying “报名 活动N”; hours are recorded "
            "when an activity is done."), (
            self.tr("Activity"), self.tr("Code"), self.tr("Status"), self.tr("When"),
            self.tr("Place"), self.tr("Signed up"), self.tr("Came"), self.tr("Hours")), 0,
            parent)

    def show_rows(self, rows: Sequence[ActivityRow]) -> None:
        self.fill_rows([
            (a.title, a.code or EMPTY, L.activity_status(a.status), L.format_time(a.starts_at),
             a.place or EMPTY,
             fill("%1 / %2", str(a.signed_up), str(a.needed)) if a.needed else str(a.signed_up),
             str(a.attended) if a.status == "done" else EMPTY,
             f"{a.hours:.1f}" if a.status == "done" else EMPTY) for a in rows],
            numbers=(5, 6, 7))


class FiguresPage(TablePage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("figures_table", self.tr("Participation by community"), self.tr(
            "Questionnaires run (published or later), their response rate against the "
            "households of the grids they went to, consultations decided, volunteer hours "
            "of activities done."), (
            self.tr("Community"), self.tr("Questionnaires"), self.tr("Responses"),
            self.tr("Response rate"), self.tr("Consultations"), self.tr("Decided"),
            self.tr("Activities done"), self.tr("Volunteer hours")), 0, parent)

    def show_rows(self, rows: Sequence[CommunityFigures]) -> None:
        self.fill_rows([
            (f.name, str(f.questionnaires_run), str(f.responses), L.format_rate(f.rate),
             str(f.consultations), str(f.consultations_decided), str(f.activities_done),
             f"{f.volunteer_hours:.1f}") for f in rows], numbers=tuple(range(1, 8)))
