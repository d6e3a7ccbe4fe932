"""A household's visit history (with photo thumbnails) and its tickets, for its detail pane.

A double click (or Enter) on a visit opens it to read (:mod:`ui.visits.record`); "New
visit…" asks for a visit of this household (``visit_requested``: the households view
opens the visit form, which needs the account's context).

Read in the background with :func:`gulou_desk.store.visit_plan.visits_of` and
:func:`~gulou_desk.store.visit_plan.tickets_of`; thumbnails are made from the photos held
on this device (``Desk.thumbnails``; a photo not downloaded
yet shows as a placeholder). A household has tens of visits, not thousands: plain lists.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QLocale, QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from gulou_desk.desk import Desk
from gulou_desk.records import SHANGHAI
from gulou_desk.store.visit_plan import TicketEntry, VisitEntry, tickets_of, visits_of
from ui import palette
from ui.background import Op, OpError, Progress
from ui.shell.context import OnlineReads
from ui.visits.record import open_visit_record

THUMB_PX = 56
MAX_THUMBS = 4
"""Thumbnails shown per visit in the list (the rest are counted)."""


@dataclass(frozen=True, slots=True)
class HistoryData:
    household_id: str
    visits: tuple[VisitEntry, ...]
    tickets: tuple[TicketEntry, ...]
    thumbnails: dict[str, bytes]
    """sha256 → JPEG bytes of the thumbnails held here."""


def load_history(desk: Desk, household_id: str) -> HistoryData:
    """Worker thread: the visits, the tickets and the thumbnails of the first photos."""
    visits, tickets = desk.read(lambda s: (tuple(visits_of(s, household_id)),
                                           tuple(tickets_of(s, household_id))))
    thumbs = desk.thumbnails(sha for visit in visits for sha in visit.photos[:MAX_THUMBS])
    return HistoryData(household_id, visits, tickets, thumbs)


def _strip(shas: tuple[str, ...], thumbs: dict[str, bytes]) -> QPixmap | None:
    """The visit's first photos side by side, one picture (the list item's icon)."""
    if not shas:
        return None
    shown = shas[:MAX_THUMBS]
    strip = QPixmap(len(shown) * (THUMB_PX + 4), THUMB_PX)
    strip.fill(QColor(0, 0, 0, 0))
    painter = QPainter(strip)
    for i, sha in enumerate(shown):
        pixmap = QPixmap()
        x = i * (THUMB_PX + 4)
        if sha in thumbs and pixmap.loadFromData(thumbs[sha]):
            scaled = pixmap.scaled(THUMB_PX, THUMB_PX, Qt.AspectRatioMode.KeepAspectRatio,
                                   Qt.TransformationMode.SmoothTransformation)
            painter.drawPixmap(x + (THUMB_PX - scaled.width()) // 2,
                               (THUMB_PX - scaled.height()) // 2, scaled)
        else:
            painter.fillRect(x, 0, THUMB_PX, THUMB_PX, QColor(palette.PLACEHOLDER))
    painter.end()
    return strip


class HouseholdHistory(QWidget):
    """Two tabs: the visits (newest first, with thumbnails) and the tickets (open first).

    Signals:
        visit_requested(str): "New visit…" for the shown household (its id).
    """

    visit_requested = Signal(str)

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("householdHistory")
        self.desk = desk
        self.online: OnlineReads | None = None
        """The server's on-demand reads (a visit's 历史); set by the household pane."""
        self.household_id: str | None = None
        self.data: HistoryData | None = None
        self._generation = 0
        self.tabs = QTabWidget()
        self.visits = QListWidget()
        self.visits.setObjectName("visitHistory")
        self.visits.setIconSize(QSize(MAX_THUMBS * (THUMB_PX + 4), THUMB_PX))
        self.visits.setWordWrap(True)
        self.visits.setToolTip(self.tr("Double-click a visit to read it"))
        self.visits.itemActivated.connect(self._open_visit)
        self.new_visit_button = QPushButton(self.tr("New visit…"))
        self.new_visit_button.setObjectName("new_visit")
        self.new_visit_button.setToolTip(self.tr("Record a visit to this household, today "
                                                 "or one made earlier"))
        self.new_visit_button.setEnabled(False)
        self.new_visit_button.clicked.connect(self._request_visit)
        self.tickets = QListWidget()
        self.tickets.setObjectName("householdTickets")
        self.note = QLabel()
        self.note.setObjectName("historyNote")
        self.tabs.addTab(self.visits, self.tr("Visits"))
        self.tabs.addTab(self.tickets, self.tr("Tickets"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        # Above the tabs, not in their corner: in the narrow pane of a small screen the
        # corner took the room of the tabs' titles.
        actions = QHBoxLayout()
        actions.addStretch(1)
        actions.addWidget(self.new_visit_button)
        layout.addLayout(actions)
        layout.addWidget(self.tabs)
        layout.addWidget(self.note)
        self.note.hide()

    def show_household(self, household_id: str | None) -> None:
        self.household_id = household_id
        self._generation += 1
        self.new_visit_button.setEnabled(household_id is not None)
        if household_id is None:
            self.visits.clear()
            self.tickets.clear()
            return
        generation, desk = self._generation, self.desk

        def work(progress: Progress) -> HistoryData:
            return load_history(desk, household_id)

        Op(self, work).success(lambda d: self._show(generation, d)) \
            .failure(lambda e: self._failed(generation, e)).run()

    def reload(self) -> None:
        self.show_household(self.household_id)

    def _failed(self, generation: int, error: OpError) -> None:
        if generation == self._generation:
            self.note.setText(error.message)
            self.note.show()

    def _show(self, generation: int, data: HistoryData) -> None:
        if generation != self._generation:
            return
        self.data = data
        self.note.hide()
        self.visits.clear()
        for v in data.visits:
            when = (v.visited_at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
                    if v.visited_at else "—")
            parts = [when, v.worker_name or "", v.template_title(QLocale().name())]
            text = " · ".join(p for p in parts if p)
            if v.pending:
                text += "  " + self.tr("(not sent yet)")
            if v.follow_up:
                text += "  " + self.tr("follow-up needed")
            if len(v.photos) > MAX_THUMBS:
                text += "  " + self.tr("+%1 photos").replace(
                    "%1", str(len(v.photos) - MAX_THUMBS))
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, v.id)
            strip = _strip(v.photos, data.thumbnails)
            if strip is not None:
                item.setIcon(QIcon(strip))
            self.visits.addItem(item)
        if not data.visits:
            self.visits.addItem(QListWidgetItem(self.tr("No visits yet.")))
        self.tickets.clear()
        for t in data.tickets:
            state = self.tr("open") if t.is_open else self.tr("closed")
            if t.overdue:
                state = self.tr("overdue")
            text = f"{t.number or '—'}  {t.title or ''} · {state}"
            if t.visit_id:
                text += "  " + self.tr("(from a visit)")
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, t.id)
            if t.overdue:
                item.setForeground(QColor(palette.DANGER_DEEP))
            self.tickets.addItem(item)
        if not data.tickets:
            self.tickets.addItem(QListWidgetItem(self.tr("No tickets.")))
        self.tabs.setTabText(0, self.tr("Visits (%1)").replace("%1", str(len(data.visits))))
        self.tabs.setTabText(1, self.tr("Tickets (%1)").replace("%1", str(len(data.tickets))))

    def _request_visit(self) -> None:
        if self.household_id is not None:
            self.visit_requested.emit(self.household_id)

    def _open_visit(self, item: QListWidgetItem) -> None:
        visit_id = item.data(Qt.ItemDataRole.UserRole)
        if not visit_id:  # "No visits yet."
            return
        open_visit_record(self.desk, str(visit_id), self, self.online)  # Enter / double click
