"""The tickets table: one queue's tickets, paged from the local store, with a due countdown
coloured by urgency (overdue red, due today orange, due tomorrow amber, on track green,
clock stopped grey)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPainter, QPixmap
from sqlalchemy.orm import Session

from gulou_desk.desk import Desk
from gulou_desk.domain import sla
from gulou_desk.domain.sla import Urgency
from gulou_desk.records import now as shanghai_now
from gulou_desk.store.search_names import place_pinyin
from gulou_desk.store.ticket_queries import (
    DEFAULT_ORDER,
    Queue,
    TicketRow,
    ticket_count,
    ticket_page,
)
from ui import palette
from ui.i18n import QT_TRANSLATE_NOOP
from ui.shell.paged_model import Counter, PagedTableModel, Reader
from ui.tickets.labels import countdown_short, format_time, ticket_name, urgency_label
from ui.workflow_labels import category_label, fill, priority_label, status_label

translate = QCoreApplication.translate

URGENCY_COLORS: dict[Urgency, str] = {
    Urgency.OVERDUE: palette.DANGER,
    Urgency.DUE_TODAY: palette.DUE_TODAY,
    Urgency.DUE_SOON: palette.DUE_SOON,
    Urgency.ON_TRACK: palette.ON_TRACK,
    Urgency.PAUSED: palette.MUTED,
}
ESCALATED_COLOR = palette.DANGER
PENDING_COLOR = palette.MUTED

COLUMNS: tuple[tuple[str, str], ...] = (
    ("number", QT_TRANSLATE_NOOP("TicketTableModel", "Number")),
    ("title", QT_TRANSLATE_NOOP("TicketTableModel", "Title")),
    ("category", QT_TRANSLATE_NOOP("TicketTableModel", "Category")),
    ("priority", QT_TRANSLATE_NOOP("TicketTableModel", "Priority")),
    ("status", QT_TRANSLATE_NOOP("TicketTableModel", "Status")),
    ("assignee", QT_TRANSLATE_NOOP("TicketTableModel", "Assignee")),
    ("grid", QT_TRANSLATE_NOOP("TicketTableModel", "Grid")),
    ("due_at", QT_TRANSLATE_NOOP("TicketTableModel", "Due")),
)
"""(order key of :func:`ticket_page`, header)."""
DUE_COLUMN = 7
TITLE_COLUMN = 1


@cache
def urgency_dot(color: str) -> QIcon:
    """A small filled circle in ``color`` (the due column's marker)."""
    pixmap = QPixmap(12, 12)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(color))
    painter.drawEllipse(2, 2, 8, 8)
    painter.end()
    return QIcon(pixmap)


def category_reading_order() -> tuple[str, ...]:
    """The catalogue's category codes (retired ones too) in the order their names read in
    the UI's language: by pinyin in Chinese (环境卫生 before 市政设施), alphabetically in
    English; the column sorts by what it shows, not by the codes behind it."""
    codes = [c.code for c in sla.all_categories()]
    return tuple(sorted(codes, key=lambda code: (place_pinyin(category_label(code)), code)))


class TicketTableModel(PagedTableModel[TicketRow]):
    """One queue's tickets (see :class:`~ui.shell.paged_model.PagedTableModel`)."""

    def __init__(self, desk: Desk, clock: Callable[[], dt.datetime] = shanghai_now,
                 parent: QObject | None = None, page_size: int = 200) -> None:
        super().__init__(desk, COLUMNS, "TicketTableModel", parent, page_size)
        self._clock = clock
        self.queue = Queue.ALL

    def set_queue(self, queue: Queue) -> None:
        self.queue = queue
        self.order_by = None
        self.requery()

    def current_order(self) -> str:
        return self.order_by or DEFAULT_ORDER.get(self.queue, "due_at")

    def make_reader(self) -> tuple[Reader, Counter]:
        desk, queue, search, order = self._desk, self.queue, self.search, self.order_by
        now = self._clock()
        names = category_reading_order() if (order or "").lstrip("-") == "category" else ()

        def read(session: Session, offset: int, limit: int) -> Sequence[Any]:
            return ticket_page(session, queue, desk.actor(session), now, search=search,
                               order_by=order, category_order=names, offset=offset,
                               limit=limit)

        def count(session: Session) -> int:
            return ticket_count(session, queue, desk.actor(session), now, search=search)

        return read, count

    def column_data(self, row: TicketRow, column: int, role: int) -> Any:
        key = self.column_key(column)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, key)
        if key == "due_at":
            return self._due_data(row, role)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, key)
        if role == Qt.ItemDataRole.ForegroundRole:
            if key == "number" and row.escalated:
                return QBrush(QColor(ESCALATED_COLOR))
            if row.pending and key == "title":
                return QBrush(QColor(PENDING_COLOR))
        if role == Qt.ItemDataRole.FontRole and key == "number" and row.escalated:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def _display(self, row: TicketRow, key: str) -> str:
        if key == "number":
            return ticket_name(row.number)
        if key == "title":
            return row.title
        if key == "category":
            return category_label(row.category)
        if key == "priority":
            return priority_label(row.priority)
        if key == "status":
            return status_label(row.status)
        if key == "assignee":
            return row.assignee_name or "—"
        if key == "grid":
            return row.grid_name or "—"
        return countdown_short(row.countdown(self._clock()))

    def _tooltip(self, row: TicketRow, key: str) -> str | None:
        if key == "number" and row.escalated:
            return translate("TicketTableModel", "Escalated for supervision")
        if key == "title":
            if row.pending:
                return fill(translate("TicketTableModel", "%1 (your changes are not sent yet)"),
                            row.title)
            return row.title
        return None

    def _due_data(self, row: TicketRow, role: int) -> Any:
        shown = row.countdown(self._clock())
        color = URGENCY_COLORS.get(shown.urgency)
        if role == Qt.ItemDataRole.ForegroundRole and color is not None:
            return QBrush(QColor(color))
        if role == Qt.ItemDataRole.DecorationRole and color is not None:
            return urgency_dot(color)
        if role == Qt.ItemDataRole.FontRole and shown.urgency in (Urgency.OVERDUE,
                                                                   Urgency.DUE_TODAY):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole and shown.due_at is not None:
            return fill(translate("TicketTableModel", "Due %1 · %2"),
                        format_time(shown.due_at), urgency_label(shown.urgency))
        return None

    def urgency_of(self, row: int) -> Urgency | None:
        ticket = self.row_at(row)
        return None if ticket is None else ticket.countdown(self._clock()).urgency
