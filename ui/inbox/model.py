"""The inbox table: one group's messages (or all), paged from the local store; unread ones
(new and not yet looked at here) in bold."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from sqlalchemy.orm import Session

from gulou_desk.desk import Desk
from gulou_desk.records import now as shanghai_now
from gulou_desk.store.inbox_queries import MessageView, inbox_count, inbox_page
from ui import palette
from ui.i18n import QT_TRANSLATE_NOOP
from ui.shell.paged_model import Counter, PagedTableModel, Reader
from ui.tickets.labels import format_time, short_time, ticket_name
from ui.workflow_labels import fill, inbox_status_label, source_label

translate = QCoreApplication.translate

COLUMNS: tuple[tuple[str, str], ...] = (
    ("sent_at", QT_TRANSLATE_NOOP("InboxTableModel", "Time")),
    ("group_name", QT_TRANSLATE_NOOP("InboxTableModel", "Group")),
    ("sender_name", QT_TRANSLATE_NOOP("InboxTableModel", "Sender")),
    ("text", QT_TRANSLATE_NOOP("InboxTableModel", "Message")),
    ("keyword", QT_TRANSLATE_NOOP("InboxTableModel", "Keyword")),
    ("status", QT_TRANSLATE_NOOP("InboxTableModel", "Status")),
)
GROUP_COLUMN = 1
SENDER_COLUMN = 2
TEXT_COLUMN = 3
KEYWORD_COLUMN = 4
STATUS_COLUMN = 5
HANDLED_COLOR = palette.MUTED
FIRST_ORDER = "-sent_at"
"""Newest first, until the user sorts by a column."""


class InboxTableModel(PagedTableModel[MessageView]):
    def __init__(self, desk: Desk, is_unread: Callable[[MessageView], bool],
                 clock: Callable[[], dt.datetime] = shanghai_now,
                 parent: QObject | None = None, page_size: int = 200) -> None:
        super().__init__(desk, COLUMNS, "InboxTableModel", parent, page_size,
                         order_by=FIRST_ORDER)
        self._is_unread = is_unread
        self._clock = clock
        self.group: str | None = None
        self.status_filter = "new"

    def set_group(self, group: str | None) -> None:
        """``group``: a key of :func:`~gulou_desk.store.inbox_queries.group_key`, or
        ``None`` for every group."""
        self.group = group
        self.requery()

    def set_status_filter(self, status_filter: str) -> None:
        self.status_filter = status_filter
        self.requery()

    def make_reader(self) -> tuple[Reader, Counter]:
        group, status, search = self.group, self.status_filter, self.search
        order = self.order_by or FIRST_ORDER

        def read(session: Session, offset: int, limit: int) -> Sequence[Any]:
            return inbox_page(session, group=group, status_filter=status, search=search,
                              order_by=order, offset=offset, limit=limit)

        def count(session: Session) -> int:
            return inbox_count(session, group=group, status_filter=status, search=search)

        return read, count

    def column_data(self, row: MessageView, column: int, role: int) -> Any:
        key = self.column_key(column)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, key)
        if role == Qt.ItemDataRole.ToolTipRole:
            if key == "text":
                return row.text
            if key == "sent_at":
                return format_time(row.sent_at)
            if key == "group_name":
                return self._display(row, key)
            if key == "status" and row.pending:
                return translate("InboxTableModel", "Your step is not sent yet")
            return None
        if role == Qt.ItemDataRole.FontRole and self._is_unread(row):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and row.status != "new":
            return QBrush(QColor(HANDLED_COLOR))
        return None

    def _display(self, row: MessageView, key: str) -> str:
        if key == "sent_at":
            return short_time(row.sent_at, self._clock())
        if key == "group_name":
            return row.group_name or source_label(row.source)
        if key == "sender_name":
            return row.sender_name or "—"
        if key == "text":
            return " ".join(row.text.split())
        if key == "keyword":
            return row.keyword or ""
        status = inbox_status_label(row.status)
        if row.status in ("converted", "linked") and row.ticket_id:
            status = fill(translate("InboxTableModel", "%1 %2"), status,
                          ticket_name(row.ticket_number))
        if row.pending:
            status += " …"
        return status

    def message_rows(self, ids: set[str]) -> list[int]:
        return [i for i, row in enumerate(self._rows) if row.id in ids]

    def redraw_rows(self, rows: list[int]) -> None:
        for row in rows:
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
