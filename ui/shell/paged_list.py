"""The parts the paged sections (tickets, inbox) build alike.

A section is three panes side by side (:class:`SectionSplitter`): a side list
(:func:`side_panel`: queues, groups), the list pane (:class:`PagedListPane`: a heading, a
search box, a notice line, the paged table or, when it has no rows, an empty state) and a
detail pane. What differs (the side list's content, the columns, the selection, the
detail, the empty texts) stays in each section.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.settings import Settings
from ui.shell.empty_state import EmptyState
from ui.shell.paged_model import PagedTableModel

SEARCH_DELAY_MS = 300
"""The table is searched once typing pauses this long, not at every key."""
NOTICE_MS = 15_000
"""How long a notice stays before it hides itself."""
SECTION_PADDING = 6
"""A header section's padding each side (the sections' style sheets: ``padding: 5px 6px``)."""
SORT_ARROW = 18
"""Room for the sort arrow a sorted column's header draws beside its text."""


def bind_keys(owner: QWidget, keys: Iterable[str], slot: Callable[[], Any]) -> None:
    """Call ``slot`` on each of ``keys`` while the focus is in ``owner`` (or below it):
    two sections that both bind J do not fight over it."""
    for key in keys:
        shortcut = QShortcut(QKeySequence(key), owner)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(slot)


def side_panel() -> tuple[QWidget, QVBoxLayout]:
    """The left pane (styled as ``queue_panel``) and its layout, to fill."""
    panel = QWidget()
    panel.setObjectName("queue_panel")
    panel.setMinimumWidth(150)
    layout = QVBoxLayout(panel)
    layout.setContentsMargins(10, 12, 10, 10)
    layout.setSpacing(8)
    return panel, layout


class NoticeLabel(QLabel):
    """A line that tells what went wrong (a refused step, a failed read) and hides itself
    after :data:`NOTICE_MS`; styled as ``view_notice``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("view_notice")
        self.setWordWrap(True)
        self.hide()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)

    def show_text(self, text: str) -> None:
        """Show ``text`` (an empty one hides the line) for the next :data:`NOTICE_MS`."""
        self.setText(text)
        self.setVisible(bool(text))
        self._timer.start(NOTICE_MS)


class PagedListPane(QWidget):
    """The middle pane: heading, search, notice, and the table of a :class:`PagedTableModel`
    (or its empty state).

    The search box asks the model (:meth:`PagedTableModel.set_search`) once typing pauses;
    a failed read shows in the notice. The table selects rows, sorts through the model
    (turning sorting on asks the model to sort by the header's indicator, as Qt does) and
    lets the user size the columns; ``stretch_column`` takes the room left.
    ``top`` is the heading's row, for a section's own controls.
    """

    def __init__(self, model: PagedTableModel[Any], *, table_name: str, header_name: str,
                 search_name: str, search_hint: str, empty_icon: str, empty_title: str,
                 selection_mode: QAbstractItemView.SelectionMode, stretch_column: int,
                 column_widths: Sequence[tuple[int, int]], heading: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 6, 6)
        layout.setSpacing(8)
        self.heading = QLabel(heading)
        self.heading.setObjectName("page_title")
        self.top = QHBoxLayout()
        self.top.addWidget(self.heading, 1)
        self.search = QLineEdit()
        self.search.setObjectName(search_name)
        self.search.setPlaceholderText(search_hint)
        self.search.setClearButtonEnabled(True)
        # Escape in the search: clear it and go back to the list (J / K, the steps' keys).
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self.search)
        escape.setContext(Qt.ShortcutContext.WidgetShortcut)
        escape.activated.connect(self._leave_search)
        self.notice = NoticeLabel()

        self.table = QTableView()
        self.table.setTabKeyNavigation(False)  # Tab: on to the next control
        self.table.setObjectName(table_name)
        self.table.setModel(model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(selection_mode)
        self.table.setSortingEnabled(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(30)
        header = self.table.horizontalHeader()
        header.setObjectName(header_name)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(stretch_column, QHeaderView.ResizeMode.Stretch)
        self._widths = dict(column_widths)
        self._fit_headers = False
        for column, width in column_widths:
            self.table.setColumnWidth(column, width)
        self.empty = EmptyState(empty_icon, empty_title, "", None)
        self.empty.hide()

        layout.addLayout(self.top)
        layout.addWidget(self.search)
        layout.addWidget(self.notice)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty, 1)

        model.load_failed.connect(self.notice.show_text)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(lambda: model.set_search(self.search.text()))
        self.search.textChanged.connect(lambda _text: self._search_timer.start())

    def fit_headers(self) -> None:
        """Make each column given a width at least as wide as its header's text (as the
        header draws it, with room for the sort arrow): a header longer in one language
        than the width chosen for the other was cut at both ends. Measured once shown,
        in the font the section's style sheet gives the header."""
        self._fit_headers = True
        if self.isVisible():
            self._fit_header_widths()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._fit_headers:
            self._fit_header_widths()

    def _fit_header_widths(self) -> None:
        header = self.table.horizontalHeader()
        metrics = header.fontMetrics()
        for column, width in list(self._widths.items()):
            title = str(self.model.headerData(column, Qt.Orientation.Horizontal) or "")
            needed = metrics.horizontalAdvance(title) + 2 * SECTION_PADDING + SORT_ARROW
            if needed > width:
                self._widths[column] = needed
                self.table.setColumnWidth(column, needed)

    def keep_whole(self, *columns: int) -> None:
        """Widen ``columns`` back to the width they were made with where a remembered
        layout (saved before they were made wider) left them narrower."""
        for column in columns:
            width = self._widths.get(column, 0)
            if self.table.columnWidth(column) < width:
                self.table.setColumnWidth(column, width)

    def show_rows_or_empty(self) -> bool:
        """After a reload: the table, or the empty state when there are no rows. Returns
        whether it is empty (the section then sets the empty state's texts)."""
        empty = self.model.rowCount() == 0
        self.table.setVisible(not empty)
        self.empty.setVisible(empty)
        return empty

    def _leave_search(self) -> None:
        self.search.clear()
        self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def step_by(self, step: int, column: int, from_row: int | None = None) -> None:
        """Make the row ``step`` rows down (up, if negative) current, staying within the
        table; with no current row, start at ``from_row`` (else the first row). Reaching
        the last row read asks for the next page. ``column``: the cell made current."""
        rows = self.model.rowCount()
        if not rows:
            return
        current = self.table.currentIndex().row()
        if current < 0 and from_row is not None:
            current = from_row
        target = 0 if current < 0 else min(max(current + step, 0), rows - 1)
        if target == rows - 1 and self.model.canFetchMore():
            self.model.fetchMore()
        self.table.setCurrentIndex(self.model.index(target, column))
        self.table.scrollTo(self.model.index(target, column))


class SectionSplitter(QSplitter):
    """The side list, the list pane and the detail, side by side (none collapses; of the
    width the window gains the list pane takes three fifths, the detail the rest).

    A layout the user left is put back by :meth:`restore_layout`; when none was, the
    panes are sized once the window has its size (first show): the side list
    ``list_width`` wide, of the rest the list pane ``table_share`` and the detail the
    remainder.
    """

    def __init__(self, name: str, panes: tuple[QWidget, QWidget, QWidget], sizes: list[int],
                 list_width: int, table_share: float, list_share: float = 0.0,
                 list_max: int = 300) -> None:
        """``list_share``: a side list of long names (the inbox's groups) takes this share
        of the width at first (at least ``list_width``, at most ``list_max``) and grows
        with the window; 0: it keeps ``list_width``."""
        super().__init__(Qt.Orientation.Horizontal)
        self.setObjectName(name)
        for pane in panes:
            self.addWidget(pane)
        self.setChildrenCollapsible(False)
        self._list_share, self._list_max = list_share, list_max
        self.setStretchFactor(0, 1 if list_share else 0)
        self.setStretchFactor(1, 3)
        self.setStretchFactor(2, 2)
        self.setSizes(sizes)
        self._list_width = list_width
        self._table_share = table_share
        self._restored = False
        self._sized = False

    def fill(self, owner: QWidget) -> None:
        """Make this splitter the whole of ``owner``."""
        layout = QVBoxLayout(owner)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self)

    def restore_layout(self, settings: Settings, root: QWidget) -> None:
        """Put back the layout remembered for ``root`` (this splitter, its headers)."""
        before = self.saveState()
        settings.restore_layout(root)
        self._restored = self.saveState() != before

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._sized:
            self._sized = True
            if not self._restored:
                # Once the window has its size: the list, then the table before the detail.
                QTimer.singleShot(0, self._first_sizes)

    def _first_sizes(self) -> None:
        # The splitter's own width (a laptop's 1024 px window leaves it about 800): sized
        # for more than it has, it would shrink the table first and cut its texts.
        total = self.width() - 2 if self.width() > 400 else 900
        # A list of long names keeps its width down to a quarter of a narrow window (the
        # inbox's groups at 1024 px: a fifth, 159 px, left "…1网格…" of "汇林绿洲第1网格居民群").
        side = min(self._list_width, total // 4 if self._list_share else total // 5)
        if self._list_share:
            side = max(side, min(int(total * self._list_share), self._list_max))
        rest = total - side
        table = int(rest * self._table_share)
        self.setSizes([side, table, rest - table])
