"""The questionnaires table: title, code, status, target grids, responses against the
households of those grids, closing time; paged from the local store."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QBrush, QColor
from sqlalchemy.orm import Session

from gulou_desk.desk import Desk
from gulou_desk.store.participation_queries import (
    QuestionnaireRow,
    questionnaire_count,
    questionnaire_page,
)
from ui import palette
from ui.i18n import QT_TRANSLATE_NOOP
from ui.participation import labels as L
from ui.shell.paged_model import Counter, PagedTableModel, Reader
from ui.workflow_labels import fill

COLUMNS: tuple[tuple[str, str], ...] = (
    ("title", QT_TRANSLATE_NOOP("QuestionnaireTableModel", "Title")),
    ("code", QT_TRANSLATE_NOOP("QuestionnaireTableModel", "Code")),
    ("status", QT_TRANSLATE_NOOP("QuestionnaireTableModel", "Status")),
    ("responses", QT_TRANSLATE_NOOP("QuestionnaireTableModel", "Responses")),
)
MY_GRIDS_COLUMNS: tuple[tuple[str, str], ...] = (
    *COLUMNS[:-1],
    ("responses", QT_TRANSLATE_NOOP("QuestionnaireTableModel", "My grids' responses")),
)
"""A social worker's columns: they hold the responses and households of their own grids
only, so the figures are their grids' (the clerk's list shows the whole community's)."""
STREET_COLUMNS: tuple[tuple[str, str], ...] = (
    COLUMNS[0],
    ("community_id", QT_TRANSLATE_NOOP("QuestionnaireTableModel", "Community")),
    *COLUMNS[2:],
)
"""A supervisor's or an admin's columns: their list holds several communities', where
one title is often run in each (社区服务满意度调查 five times over). The community in
the code's place: the code is what residents reply with, and the chosen one's summary
says it; with both, the titles kept three characters at 1024×700."""
SEVERAL_COMMUNITIES = frozenset({"supervisor", "admin"})
TITLE_COLUMN = 0
STATUS_COLORS = {"draft": palette.MUTED, "published": palette.ACCENT,
                 "closed": palette.TEXT, "archived": palette.FAINT}


class QuestionnaireTableModel(PagedTableModel[QuestionnaireRow]):
    """Every questionnaire held here, newest first (see ``PagedTableModel``)."""

    def __init__(self, desk: Desk, parent: QObject | None = None) -> None:
        self._my_grids = desk.role == "social_worker"
        super().__init__(desk, MY_GRIDS_COLUMNS if self._my_grids else STREET_COLUMNS
                         if desk.role in SEVERAL_COMMUNITIES else COLUMNS,
                         "QuestionnaireTableModel", parent)

    def make_reader(self) -> tuple[Reader, Counter]:
        search, order = self.search, self.order_by

        def read(session: Session, offset: int, limit: int) -> Sequence[Any]:
            return questionnaire_page(session, search=search, order_by=order, offset=offset,
                                      limit=limit)

        def count(session: Session) -> int:
            return questionnaire_count(session, search=search)

        return read, count

    def column_data(self, row: QuestionnaireRow, column: int, role: int) -> Any:
        key = self.column_key(column)
        if role == Qt.ItemDataRole.DisplayRole:
            if key == "title":
                return row.title
            if key == "community_id":
                return row.community
            if key == "code":
                return L.code_text(row.code, row.pending)
            if key == "status":
                return L.questionnaire_status(row.status)
            return L.responses_short(row.responses, row.households)
        if role == Qt.ItemDataRole.ToolTipRole:
            if key == "title":
                return "\n".join(t for t in (row.title, row.grids, L.format_time(
                    row.closes_at)) if t)
            if key == "responses":
                return fill("%1\n%2", L.tr(L.MY_GRIDS_RESPONSES_TIP if self._my_grids
                                             else L.RESPONSES_TIP),
                            L.responses_text(row.responses, row.households))
        if role == Qt.ItemDataRole.ForegroundRole and key == "status":
            return QBrush(QColor(STATUS_COLORS.get(row.status, palette.TEXT)))
        return None
