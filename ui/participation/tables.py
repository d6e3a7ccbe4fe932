"""The volunteer activities and the participation figures per community: plain tables of
what the section read (``activity_rows``, ``community_figures``)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gulou_desk.store.participation_queries import ActivityRow, CommunityFigures
from ui.participation import labels as L
from ui.participation.pane import preview_page, wechat_bubble
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
        self._headers = list(headers)
        self._stretch = stretch
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setSectionResizeMode(
            stretch, QHeaderView.ResizeMode.Stretch)
        self.top = QHBoxLayout()
        self.top.addWidget(title, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 8)
        layout.setSpacing(8)
        layout.addLayout(self.top)
        layout.addWidget(note)
        layout.addWidget(self.table, 1)
        self.body = layout

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
        self._fit_columns()

    def _fit_columns(self, two_lines: bool = False) -> None:
        """The columns as wide as their texts, the stretch column the rest. Where that
        leaves the stretch column less than its texts need (a 1024 px window in English:
        "Questionnaires", "Activities done" … left the community 66 px, "汇林绿…"), the
        headers of two words or more go on two lines and the columns are fitted again."""
        table, header = self.table, self.table.horizontalHeader()
        for c, text in enumerate(self._headers):
            words = text.split(" ")
            if two_lines and c != self._stretch and len(words) > 1:
                half = (len(words) + 1) // 2
                text = " ".join(words[:half]) + "\n" + " ".join(words[half:])
            item = table.horizontalHeaderItem(c)
            if item is not None and item.text() != text:
                item.setText(text)
        for c in range(table.columnCount()):
            if header.sectionResizeMode(c) != QHeaderView.ResizeMode.Stretch:
                table.resizeColumnToContents(c)
        if two_lines:
            return
        metrics = table.fontMetrics()
        cells = (table.item(r, self._stretch) for r in range(table.rowCount()))
        texts = [cell.text() for cell in cells if cell is not None]
        need = max((metrics.horizontalAdvance(t) for t in texts), default=0) + 16
        others = sum(header.sectionSize(c) for c in range(table.columnCount())
                     if c != self._stretch and not table.isColumnHidden(c))
        if table.viewport().width() - others < need:
            self._fit_columns(two_lines=True)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_columns()  # wider, the headers go back on one line


PREVIEW_MOST = 280
"""The most height an activity's message takes under the list (a long one scrolls)."""


class ActivitiesPage(TablePage):
    """The activities; the chosen one's recruiting message as residents see it.

    Signals:
        new_requested(): "New activity" was clicked.
        publish_requested(str): publish this activity.
        complete_requested(str): record who came to this activity (it is then done).
    """

    new_requested = Signal()
    publish_requested = Signal(str)
    complete_requested = Signal(str)

    def __init__(self, role: str, parent: QWidget | None = None) -> None:
        super().__init__("activities_table", self.tr("Volunteer activities"), self.tr(
            "Residents sign up in their groups by replying “报名 活动N”; hours are recorded "
            "when an activity is done."), (
            self.tr("Activity"), self.tr("Code"), self.tr("Status"), self.tr("When"),
            self.tr("Place"), self.tr("Signed up"), self.tr("Came"), self.tr("Hours")), 0,
            parent)
        self.rows: list[ActivityRow] = []
        self.new_button = QPushButton(self.tr("New activity"))
        self.new_button.setObjectName("new_activity")
        self.new_button.setProperty("primary", True)
        self.publish_button = QPushButton(self.tr("Publish"))
        self.publish_button.setObjectName("activity_publish")
        self.publish_button.setToolTip(self.tr("Post it to its groups; residents sign up "
                                               "by replying with its code"))
        self.complete_button = QPushButton(self.tr("Record who came"))
        self.complete_button.setObjectName("activity_complete")
        self.complete_button.setToolTip(self.tr("The activity is done; the volunteers' "
                                                "hours count"))
        for button in (self.new_button, self.publish_button, self.complete_button):
            button.setVisible(role != "supervisor")
        self.publish_button.setEnabled(False)
        self.complete_button.setEnabled(False)
        self.bubble = wechat_bubble("")
        self.preview = preview_page(self.bubble, self.tr("Gu Bao (as residents see it)"))
        self.preview.setMaximumHeight(PREVIEW_MOST)
        self.preview.hide()
        self.top.addWidget(self.complete_button)
        self.top.addWidget(self.publish_button)
        self.top.addWidget(self.new_button)
        self.body.addWidget(self.preview)
        self.new_button.clicked.connect(self.new_requested)
        self.publish_button.clicked.connect(self._publish)
        self.complete_button.clicked.connect(self._complete)
        self.table.currentCellChanged.connect(lambda *_args: self._chosen())

    def chosen(self) -> ActivityRow | None:
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def _chosen(self) -> None:
        activity = self.chosen()
        self.publish_button.setEnabled(activity is not None and activity.status == "draft")
        self.complete_button.setEnabled(activity is not None
                                        and activity.status == "published")
        self.preview.setVisible(activity is not None)
        self.bubble.setText(activity.message if activity is not None else "")
        QTimer.singleShot(0, self._fit_preview)  # once the new text is laid out

    def _fit_preview(self) -> None:
        """The message as high as it reads whole (up to :data:`PREVIEW_MOST`): the list
        above scrolls instead. Left to what the list spared, at 1024×700 it had its
        first line and a scroll bar."""
        page = self.preview.widget()
        if page is None:
            return
        layout = page.layout()
        need = page.sizeHint().height()
        if layout is not None and layout.hasHeightForWidth():  # wrapped in a narrow pane
            need = max(need, layout.totalHeightForWidth(self.preview.viewport().width()))
        self.preview.setMinimumHeight(min(need + 2 * self.preview.frameWidth(), PREVIEW_MOST))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.preview.isVisible():
            self._fit_preview()  # narrower, the message wraps onto more lines

    def _complete(self) -> None:
        activity = self.chosen()
        if activity is not None:
            self.complete_requested.emit(activity.id)

    def _publish(self) -> None:
        activity = self.chosen()
        if activity is not None:
            self.publish_requested.emit(activity.id)

    def show_rows(self, rows: Sequence[ActivityRow]) -> None:
        chosen = self.chosen()
        self.rows = list(rows)
        self.fill_rows([
            (a.title, a.code or EMPTY, L.activity_status(a.status), L.format_time(a.starts_at),
             a.place or EMPTY,
             fill("%1 / %2", str(a.signed_up), str(a.needed)) if a.needed else str(a.signed_up),
             str(a.attended) if a.status == "done" else EMPTY,
             f"{a.hours:.1f}" if a.status == "done" else EMPTY) for a in rows],
            numbers=(5, 6, 7))
        if chosen is not None:
            for i, a in enumerate(self.rows):
                if a.id == chosen.id:
                    self.table.setCurrentCell(i, 0)
        self._chosen()


class FiguresPage(TablePage):
    """Each community's figures; on a social worker's desk (``my_grids``) those of their
    own grids, which is all their desk holds of the responses and households: it says so,
    beside a clerk's larger figures for the same community."""

    def __init__(self, parent: QWidget | None = None, *, my_grids: bool = False) -> None:
        super().__init__("figures_table", self.tr("Participation in my grids") if my_grids
                         else self.tr("Participation by community"), self.tr(
            "Questionnaires that went to my grids and their responses from my grids (the "
            "community's clerk sees the whole community's), consultations decided, "
            "volunteer hours of activities done.") if my_grids else self.tr(
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
