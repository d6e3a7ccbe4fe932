"""The households table: a windowed, lazy item model over the local store.

A supervisor's copy holds a whole street (57,000 households), so the model never loads
the table. It knows the number of matching rows (``rowCount`` is the real total once
counted, so the scroll bar is honest) and keeps at most :data:`MAX_CACHED_PAGES` pages of
:data:`PAGE_SIZE` rows; a row the view asks for that is not cached shows empty for a
moment while its page is read in the background (``ui.background.Op``, READ lane) and
``dataChanged`` fills it in. Nothing here reads the store on the GUI thread.

Searching and sorting start a new *generation*: the first page and a count up to
:data:`COUNT_AT_ONCE` are read together, then the model resets at once (no flash of empty
rows); a search that matches more (``w`` in a district: 300,000 households) shows its
first page at once and is counted in full right after (:attr:`HouseholdTableModel.exact`
says which; ``counted`` tells when the count came). Answers of an older generation are
dropped, and a keystroke's reads not started yet are never run.
:meth:`HouseholdTableModel.refresh` re-reads what is shown without a reset, so the view
keeps its scroll position and selection.

The store is read through the account's desk with
:mod:`gulou_desk.store.household_queries` (the one place that knows which store query
answers a search).
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)

from gulou_desk.desk import Desk
from gulou_desk.store.household_queries import (
    RegisterRead,
    count_households,
    household_page,
    register_pages,
)
from gulou_desk.store.search import HouseholdHit, SearchFilters
from ui.background import Lane, Op, OpError, OpHandle, Progress
from ui.i18n import QT_TRANSLATE_NOOP
from ui.record_labels import EMPTY, choice_label, format_datetime, tags_text

log = logging.getLogger(__name__)

PAGE_SIZE = 200
MAX_CACHED_PAGES = 24
COUNT_AT_ONCE = 1000
"""A search is counted with its first page up to this many matches; more are counted
afterwards, and the list shows "1,000+" meanwhile."""
"""At most this many pages (4,800 rows) are held in memory, however far the user scrolls."""

ID_ROLE = Qt.ItemDataRole.UserRole
"""``data(index, ID_ROLE)``: the household id of the row (``None`` until loaded)."""

_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    title: str
    """English source text, context ``HouseholdTableModel``."""
    order: tuple[str, ...] | None
    """What the store sorts by when this column is sorted (ascending); ``None``: the
    column cannot be sorted."""


COLUMNS: tuple[Column, ...] = (
    Column("head_name", QT_TRANSLATE_NOOP("HouseholdTableModel", "Head"), ("head_name",)),
    Column("address", QT_TRANSLATE_NOOP("HouseholdTableModel", "Address"), ("address",)),
    Column("phone", QT_TRANSLATE_NOOP("HouseholdTableModel", "Phone"), ("phone",)),
    Column("tags", QT_TRANSLATE_NOOP("HouseholdTableModel", "Care tags"), None),
    Column("last_visit_at", QT_TRANSLATE_NOOP("HouseholdTableModel", "Last visit"),
           ("last_visit_at",)),
    Column("status", QT_TRANSLATE_NOOP("HouseholdTableModel", "Status"), ("status",)),
)
ADDRESS_COLUMN = 1
NATURAL = -1
"""The sort "column" of the natural order: by address, or by how well a search matches."""


def _descending(order: Sequence[str]) -> tuple[str, ...]:
    return tuple(name[1:] if name.startswith("-") else f"-{name}" for name in order)


class HouseholdTableModel(QAbstractTableModel):
    """Households matching a search, in the chosen order, read page by page.

    Signals:
        reloaded(int): a search, sort or refresh finished; carries the number of rows
            (when :attr:`exact` is false, more are still being counted).
        counted(int): the whole count of a search that matched more than
            :data:`COUNT_AT_ONCE` came, after ``reloaded``; carries the number of rows.
        load_failed(str): reading the store failed (a translated sentence).
    """

    reloaded = Signal(int)
    counted = Signal(int)
    load_failed = Signal(str)

    def __init__(self, desk: Desk, parent: QObject | None = None, *,
                 page_size: int = PAGE_SIZE, max_pages: int = MAX_CACHED_PAGES,
                 count_at_once: int | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._page_size = page_size
        self._max_pages = max(2, max_pages)
        self._total = 0
        self._exact = True
        self._count_at_once = COUNT_AT_ONCE if count_at_once is None else count_at_once
        self._counting: OpHandle | None = None
        self._pages: OrderedDict[int, list[HouseholdHit]] = OrderedDict()
        self._wanted: set[int] = set()
        self._in_flight: dict[int, OpHandle] = {}
        self._generation = 0
        self._reload: OpHandle | None = None
        self._loading = False
        self._indexed = True
        self._read_started = 0.0
        self.read_seconds = 0.0
        """How long the last search, sort or refresh took to read."""
        self._search = ""
        self._filters: SearchFilters | None = None
        self._order: tuple[str, ...] | None = None
        self._sort_state: tuple[int, Qt.SortOrder] = (NATURAL, Qt.SortOrder.AscendingOrder)
        self._fetch_soon = QTimer(self)
        self._fetch_soon.setSingleShot(True)
        self._fetch_soon.setInterval(0)
        self._fetch_soon.timeout.connect(self._fetch_wanted)

    # -- what the view asks -------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._total

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            return QCoreApplication.translate("HouseholdTableModel", COLUMNS[section].title)
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | (
            Qt.ItemFlag.ItemNeverHasChildren)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or index.parent().isValid():
            return None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, ID_ROLE):
            return None
        household = self.row_at(index.row())
        if household is None:
            return None
        if role == ID_ROLE:
            return household.id
        key = COLUMNS[index.column()].key
        if role == Qt.ItemDataRole.ToolTipRole:
            if key == "address":
                return household.full_address
            if key == "tags" and household.tags:
                return tags_text(household.tags)
            if key == "head_name" and household.matched_name:
                return QCoreApplication.translate(
                    "HouseholdTableModel", "Found by %1, who lives here").replace(
                    "%1", household.matched_name)
            return None
        return _display(household, key)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by a column; :data:`NATURAL` (-1): by address, or by match when searching.
        A column that cannot be sorted (care tags) is ignored."""
        wanted: tuple[str, ...] | None
        if column == NATURAL or column < 0:
            column, wanted = NATURAL, None
        elif column < len(COLUMNS) and COLUMNS[column].order is not None:
            wanted = COLUMNS[column].order
            if wanted is not None and order == Qt.SortOrder.DescendingOrder:
                wanted = _descending(wanted)
        else:
            return
        self._sort_state = (column, order)
        if wanted == self._order and self._generation:
            return
        self._order = wanted
        self._start_reload(reset=True)

    @staticmethod
    def can_sort(column: int) -> bool:
        return column == NATURAL or (0 <= column < len(COLUMNS)
                                     and COLUMNS[column].order is not None)

    @property
    def sort_state(self) -> tuple[int, Qt.SortOrder]:
        """The column sorted by (:data:`NATURAL` for none) and its order."""
        return self._sort_state

    # -- what the view tells ------------------------------------------------------------

    @property
    def search_text(self) -> str:
        return self._search

    @property
    def indexed(self) -> bool:
        """Whether the last read found the search index there (``False`` while a first
        sync brings the households in: listed by name, a search finds nothing yet)."""
        return self._indexed

    @property
    def count_at_once(self) -> int:
        """How far a search is counted with its first page (:data:`COUNT_AT_ONCE`)."""
        return self._count_at_once

    @property
    def exact(self) -> bool:
        """Whether ``rowCount`` is the whole count; ``False`` while a search that matched
        more than :data:`COUNT_AT_ONCE` is still being counted (``rowCount`` is a lower
        bound then, and every row up to it is there)."""
        return self._exact

    @property
    def loading(self) -> bool:
        """A search, sort or refresh is being read."""
        return self._loading

    def set_search(self, text: str) -> None:
        """Show the households matching ``text`` (empty: all); reads in the background."""
        text = " ".join(text.split())
        if text == self._search and self._generation:
            return
        self._search = text
        self._start_reload(reset=True)

    def set_filters(self, filters: SearchFilters | None) -> None:
        """Narrow the list (grid, building, tags, visit state, open tickets)."""
        if filters == self._filters and self._generation:
            return
        self._filters = filters
        self._start_reload(reset=True)

    def load(self) -> None:
        """The first read (the view calls it once it is set up)."""
        self._start_reload(reset=True)

    def refresh(self) -> None:
        """Read again what is shown (after a sync or an edit), keeping the view's place."""
        if self._generation == 0:
            self.load()
            return
        self._start_reload(reset=False)

    def row_at(self, row: int) -> HouseholdHit | None:
        """The household of a row if its page is loaded; otherwise asks for the page."""
        if not 0 <= row < self._total:
            return None
        page_no, offset = divmod(row, self._page_size)
        page = self._pages.get(page_no)
        if page is None:
            self._want(page_no)
            return None
        self._pages.move_to_end(page_no)
        return page[offset] if offset < len(page) else None

    def household_id(self, row: int) -> str | None:
        household = self.row_at(row)
        return household.id if household is not None else None

    def loaded_row_of(self, household_id: str) -> int | None:
        """The row of a household among the loaded pages, or ``None``."""
        for page_no, page in self._pages.items():
            for offset, household in enumerate(page):
                if household.id == household_id:
                    return page_no * self._page_size + offset
        return None

    def cached_rows(self) -> int:
        """How many rows are held in memory (bounded by ``max_pages × page_size``)."""
        return sum(len(page) for page in self._pages.values())

    # -- reading ------------------------------------------------------------------------

    def _start_reload(self, *, reset: bool) -> None:
        self._generation += 1
        generation = self._generation
        self._cancel_all()
        desk, search, order, size = self._desk, self._search, self._order, self._page_size
        filters = self._filters
        # A refresh re-reads the pages the view used last (what is on screen), a reset
        # only the first one. A reset counts only up to what it needs to show its first
        # page; a refresh counts in full (its rows must not shrink and grow back).
        pages = [0] if reset else (list(self._pages)[-3:] or [0])
        at_most = self._count_at_once if reset else None
        self._loading = True
        self._read_started = time.monotonic()

        def work(progress: Progress) -> RegisterRead:
            return desk.read(register_pages, search, order, pages, size, filters,
                             count_at_most=at_most)

        self._reload = (
            Op(self, work, lane=Lane.READ, name="households_reload")
            .success(lambda result: self._reloaded(generation, reset, result))
            .failure(lambda error: self._failed(generation, error))
            .run()
        )

    def _reloaded(self, generation: int, reset: bool, read: RegisterRead) -> None:
        if generation != self._generation:
            return
        self._reload = None
        self._loading = False
        self.read_seconds = time.monotonic() - self._read_started
        self._indexed = read.indexed
        total, pages = read.total, read.pages
        self._exact = read.exact
        if reset:
            self.beginResetModel()
            self._total = total
            self._pages = OrderedDict(pages)
            self.endResetModel()
        else:
            if total > self._total:
                self.beginInsertRows(QModelIndex(), self._total, total - 1)
                self._total = total
                self.endInsertRows()
            elif total < self._total:
                self.beginRemoveRows(QModelIndex(), total, self._total - 1)
                self._total = total
                self.endRemoveRows()
            self._pages = OrderedDict(pages)
            if total:
                self.dataChanged.emit(self.index(0, 0), self.index(total - 1, len(COLUMNS) - 1))
        if not read.exact:
            self._count_all(generation)
        self.reloaded.emit(total)

    def _count_all(self, generation: int) -> None:
        """Count a search in full after its first page is shown (the rows it adds are
        read as they are scrolled to)."""
        desk, search, filters = self._desk, self._search, self._filters

        def work(progress: Progress) -> int:
            return desk.read(count_households, search, filters)

        self._counting = (
            Op(self, work, lane=Lane.READ, name="households_count")
            .success(lambda total: self._counted(generation, total))
            .failure(lambda error: self._failed(generation, error))
            .run()
        )

    def _counted(self, generation: int, total: int) -> None:
        if generation != self._generation:
            return
        self._counting = None
        self._exact = True
        if total > self._total:
            self.beginInsertRows(QModelIndex(), self._total, total - 1)
            self._total = total
            self.endInsertRows()
        elif total < self._total:  # only if the store changed in between
            self.beginRemoveRows(QModelIndex(), total, self._total - 1)
            self._total = total
            self.endRemoveRows()
        self.counted.emit(total)

    def _failed(self, generation: int, error: OpError) -> None:
        if generation != self._generation:
            return
        self._reload = None
        self._loading = False
        self.load_failed.emit(error.message)

    def _want(self, page_no: int) -> None:
        if page_no in self._in_flight or page_no in self._wanted or self._loading:
            return
        self._wanted.add(page_no)
        if not self._fetch_soon.isActive():
            self._fetch_soon.start()

    def _fetch_wanted(self) -> None:
        """Start reading the pages asked for (not from inside ``data()``: from a timer)."""
        wanted, self._wanted = sorted(self._wanted), set()
        for page_no in wanted:
            self._fetch_page(page_no)

    def _fetch_page(self, page_no: int) -> None:
        generation = self._generation
        desk, search, order, size = self._desk, self._search, self._order, self._page_size
        filters = self._filters

        def work(progress: Progress) -> list[HouseholdHit]:
            return desk.read(household_page, search, order, page_no * size, size, filters)

        self._in_flight[page_no] = (
            Op(self, work, lane=Lane.READ, name="households_page")
            .success(lambda rows: self._page_read(generation, page_no, rows))
            .failure(lambda error: self._page_failed(generation, page_no, error))
            .run()
        )

    def _page_read(self, generation: int, page_no: int, rows: list[HouseholdHit]) -> None:
        if generation != self._generation:
            return
        self._in_flight.pop(page_no, None)
        self._pages[page_no] = rows
        self._evict(keep=page_no)
        first = page_no * self._page_size
        last = min(first + len(rows), self._total) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(COLUMNS) - 1))

    def _page_failed(self, generation: int, page_no: int, error: OpError) -> None:
        if generation != self._generation:
            return
        self._in_flight.pop(page_no, None)
        self.load_failed.emit(error.message)

    def _evict(self, keep: int) -> None:
        while len(self._pages) > self._max_pages:
            oldest = next(iter(self._pages))
            if oldest == keep:
                self._pages.move_to_end(oldest)
                continue
            del self._pages[oldest]

    def _cancel_all(self) -> None:
        for handle in self._handles():
            handle.cancel()
        self._in_flight.clear()
        self._wanted.clear()
        self._reload = None
        self._counting = None

    def _handles(self) -> Iterable[OpHandle]:
        yield from self._in_flight.values()
        if self._reload is not None:
            yield self._reload
        if self._counting is not None:
            yield self._counting


def _display(household: HouseholdHit, key: str) -> str:
    if key == "head_name":
        if household.matched_name:  # found through a resident: the row says whom
            return household.head_name + "  " + QCoreApplication.translate(
                "HouseholdTableModel", "Resident: %1").replace("%1", household.matched_name)
        return household.head_name
    if key == "address":
        return household.short_address
    if key == "phone":
        return household.phone or EMPTY
    if key == "tags":
        return tags_text(household.tags)
    if key == "last_visit_at":
        return format_datetime(household.last_visit_at)[:10] if household.last_visit_at else (
            QCoreApplication.translate("HouseholdTableModel", "never"))
    if key == "status":
        return choice_label("status", household.status or "active")
    raise KeyError(key)
