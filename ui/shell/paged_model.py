"""A table model that pages through the local store in the background.

The model holds the rows read so far and the total that match. The view asks for more
when it scrolls to the end (``canFetchMore`` / ``fetchMore``); the next page is read by an
:class:`~ui.background.Op` (READ lane) and appended when it arrives, so the GUI thread
never waits on SQL. :meth:`PagedTableModel.reload` reads the count and the first page(s)
together and resets the model in one step (no flash of an empty table); answers that
belong to an older reload (a new search, a new sort) are dropped.

The model also keeps what the user asked for that every paged table has: the search text
(:meth:`set_search`) and the order, a column's key ascending or ``-key`` descending
(:meth:`sort`, from a click on a header). The columns are given as (order key, header)
pairs, the headers marked with ``QT_TRANSLATE_NOOP`` in the subclass's translation context.

Subclasses say how to read (:meth:`make_reader`: a function of a session, offset and
limit, built on the GUI thread from the current search and order) and how a row reads
(:meth:`column_data`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from sqlalchemy.orm import Session

from gulou_desk.desk import Desk
from ui.background import Op, OpError, Progress

log = logging.getLogger(__name__)

R = TypeVar("R")
PAGE_SIZE = 200
ID_ROLE = Qt.ItemDataRole.UserRole
"""``data(index, ID_ROLE)``: the record id of the row."""

Reader = Callable[[Session, int, int], Sequence[Any]]
Counter = Callable[[Session], int]
Column = tuple[str, str]
"""(order key, header text marked for translation)."""
_Index = QModelIndex | QPersistentModelIndex


class PagedTableModel(QAbstractTableModel, Generic[R]):
    """Rows of type ``R`` (each with an ``id``), read a page at a time.

    Signals:
        loaded(): a reload finished (the rows and the total are new).
        load_failed(str): a read failed; carries the sentence for the user.
    """

    loaded = Signal()
    load_failed = Signal(str)

    def __init__(self, desk: Desk, columns: Sequence[Column], context: str,
                 parent: QObject | None = None, page_size: int = PAGE_SIZE,
                 order_by: str | None = None) -> None:
        """``context``: the translation context the headers are marked in; ``order_by``:
        the order before the user sorts (``None``: the reader's own default)."""
        super().__init__(parent)
        self._desk = desk
        self._page_size = page_size
        self._columns = tuple(columns)
        self._headers = [QCoreApplication.translate(context, title) for _key, title in columns]
        self.search = ""
        self.order_by = order_by
        self._rows: list[R] = []
        self._total = 0
        self._generation = 0
        self._fetching = False
        self._reloading = False
        self._reload_again = False

    # -- for subclasses ------------------------------------------------------------------

    def make_reader(self) -> tuple[Reader, Counter]:
        """(read a page, count) for the current search and order; built on the GUI
        thread, called in a worker thread."""
        raise NotImplementedError

    def column_data(self, row: R, column: int, role: int) -> Any:
        raise NotImplementedError

    # -- what the user asked for -------------------------------------------------------

    def headers(self) -> Sequence[str]:
        return self._headers

    def column_key(self, column: int) -> str:
        """The column's order key (``column`` is a valid column)."""
        return self._columns[column][0]

    def set_search(self, text: str) -> None:
        self.search = text.strip()
        self.requery()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self._columns):
            return
        key = self.column_key(column)
        self.order_by = key if order == Qt.SortOrder.AscendingOrder else f"-{key}"
        self.requery()

    # -- reading -----------------------------------------------------------------------

    @property
    def total(self) -> int:
        """How many rows match (loaded or not)."""
        return self._total

    @property
    def is_loading(self) -> bool:
        return self._reloading or self._fetching

    def rows(self) -> list[R]:
        return list(self._rows)

    def row_at(self, row: int) -> R | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, record_id: str) -> int | None:
        for i, row in enumerate(self._rows):
            if getattr(row, "id", None) == record_id:
                return i
        return None

    def reload(self) -> None:
        """Read the count and as many rows as are shown now (at least a page), then
        reset. Coalesced: a reload asked for while one runs runs once after it."""
        if self._reloading:
            self._reload_again = True
            return
        self._reloading = True
        self._generation += 1
        generation = self._generation
        read, count = self.make_reader()
        limit = max(self._page_size, len(self._rows))
        desk = self._desk

        def first_page(session: Session) -> tuple[list[Any], int]:
            total = count(session)
            return list(read(session, 0, limit)), total

        def work(progress: Progress) -> tuple[list[Any], int]:
            return desk.read(first_page)

        Op(self, work, name=f"{type(self).__name__}.reload").success(
            lambda result: self._reloaded(generation, *result)
        ).failure(self._failed).run()

    def requery(self) -> None:
        """Read again after what the rows are of changed (a queue, a group, a search, an
        order): a load under way reads the rows asked for before, so its result is
        dropped, not shown for a moment as the new ones (and ``loaded`` is said only of
        the rows asked for now). A plain :meth:`reload` (the same rows, changed) keeps the
        load under way and runs once more after it."""
        self._generation += 1
        self.reload()

    def _reloaded(self, generation: int, rows: list[R], total: int) -> None:
        self._reloading = False
        if generation == self._generation:
            self.beginResetModel()
            self._rows = rows
            self._total = max(total, len(rows))
            self._fetching = False
            self.endResetModel()
            self.loaded.emit()
        if self._reload_again:
            self._reload_again = False
            self.reload()

    def _failed(self, error: OpError) -> None:
        self._reloading = False
        self._fetching = False
        self._reload_again = False
        self.load_failed.emit(error.message)

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        if parent.isValid():
            return False
        return not self.is_loading and len(self._rows) < self._total

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent):
            return
        self._fetching = True
        generation = self._generation
        offset = len(self._rows)
        read, _count = self.make_reader()
        desk, limit = self._desk, self._page_size

        def work(progress: Progress) -> list[Any]:
            return list(desk.read(read, offset, limit))

        Op(self, work, name=f"{type(self).__name__}.fetch_more").success(
            lambda rows: self._fetched(generation, offset, rows)
        ).failure(self._failed).run()

    def _fetched(self, generation: int, offset: int, rows: list[R]) -> None:
        self._fetching = False
        if generation != self._generation or offset != len(self._rows) or not rows:
            if not rows and generation == self._generation:
                self._total = len(self._rows)  # fewer than counted: rows went meanwhile
            return
        self.beginInsertRows(QModelIndex(), offset, offset + len(rows) - 1)
        self._rows.extend(rows)
        self.endInsertRows()

    # -- Qt ----------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers())

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(self.headers())):
            return self.headers()[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.parent().isValid():
            return None
        row = self.row_at(index.row())
        if row is None or not 0 <= index.column() < len(self.headers()):
            return None
        if role == ID_ROLE:
            return getattr(row, "id", None)
        return self.column_data(row, index.column(), role)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def refresh_column(self, column: int) -> None:
        """Redraw one column (the countdown, as time passes)."""
        if self._rows:
            self.dataChanged.emit(self.index(0, column), self.index(len(self._rows) - 1, column))
