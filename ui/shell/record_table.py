"""A short read-only list of records held in memory (staff, covers, groups, a consultation's
comments): the table every tabbed section builds alike.

Long lists read from the store page through :class:`~ui.shell.paged_model.PagedTableModel`
(tickets, inbox, households); these are lists of tens or a few hundred rows read whole in
one background read, so a :class:`RecordTable` is filled at once. What it does the same
way everywhere: rows are selected whole, one at a time, never edited; each row's first cell
carries the record's id; a refill (a search, a sync) keeps the chosen record chosen
without telling the selection's listeners twice; a cell too narrow for its text shows it
whole as a tooltip; one column takes the room left, the others fit their content (or keep
a width of their own). With an :class:`~ui.shell.empty_state.EmptyState` attached
(:meth:`RecordTable.attach_empty`), the empty state stands in for a table with no rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from ui.shell.empty_state import EmptyState

RECORD_ID = Qt.ItemDataRole.UserRole + 1
"""``item.data(RECORD_ID)`` of a row's first cell: the record's id."""

Row = tuple[str, Sequence[str]]
"""(record id, the row's cells)."""


class RecordTable(QTableWidget):
    """Records as rows (see the module docstring).

    ``stretch``: the column that takes the room left (``None``: the last one);
    ``widths``: columns with a width of their own (the user may still size them);
    ``wrap``: text wraps and rows grow to show it whole.
    """

    def __init__(self, name: str, headers: Sequence[str], *, stretch: int | None = None,
                 widths: Mapping[int, int] | None = None, wrap: bool = False,
                 selectable: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(0, len(headers), parent)
        self.setObjectName(name)
        self.setHorizontalHeaderLabels(list(headers))
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setTabKeyNavigation(False)  # read, not edited: Tab goes on to the next control
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection if selectable
                              else QAbstractItemView.SelectionMode.NoSelection)
        self.verticalHeader().setVisible(False)
        header = self.horizontalHeader()
        stretch = len(headers) - 1 if stretch is None else stretch
        for column in range(len(headers)):
            if column == stretch:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
            elif widths and column in widths:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
                self.setColumnWidth(column, widths[column])
            else:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.setWordWrap(wrap)
        if wrap:
            self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.empty: EmptyState | None = None

    def attach_empty(self, empty: EmptyState) -> EmptyState:
        """Show ``empty`` (placed beside the table by the caller) instead of the table while
        it has no rows."""
        self.empty = empty
        self._show_rows_or_empty()
        return empty

    def show_rows(self, rows: Sequence[Row]) -> None:
        """Put ``rows`` in the table, keeping the chosen record chosen (the selection's
        listeners are not told: the caller refreshes what depends on it)."""
        keep = self.selected_id()
        self.blockSignals(True)
        self.selectionModel().blockSignals(True)
        self.clearSelection()
        # Else the row that takes a gone record's place would become the chosen one.
        self.selectionModel().clearCurrentIndex()
        self.setRowCount(len(rows))
        for r, (record_id, cells) in enumerate(rows):
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if c == 0:
                    item.setData(RECORD_ID, record_id)
                self.setItem(r, c, item)
            if record_id == keep:
                self.selectRow(r)
        self.selectionModel().blockSignals(False)
        self.blockSignals(False)
        self.viewport().update()
        self._show_rows_or_empty()

    def selected_id(self) -> str | None:
        """The chosen (selected) record's id."""
        chosen = self.selectionModel().selectedRows()
        item = self.item(chosen[0].row(), 0) if chosen else None
        value = item.data(RECORD_ID) if item is not None else None
        return str(value) if value else None

    def _show_rows_or_empty(self) -> None:
        if self.empty is None:
            return
        empty = self.rowCount() == 0
        self.setVisible(not empty)
        self.empty.setVisible(empty)
